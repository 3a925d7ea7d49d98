from django.urls import path

from . import office

app_name = "payment_office"
urlpatterns = [
    path("", office.differences, name="differences"),
    path("<int:diff_id>/xu-ly/", office.resolve, name="resolve"),
    path("hoan-tien/<str:reference>/", office.refund, name="refund"),
]
