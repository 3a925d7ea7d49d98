from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.page, name="page"),
    path("<str:event>/<str:channel>/", views.edit, name="edit"),
]
