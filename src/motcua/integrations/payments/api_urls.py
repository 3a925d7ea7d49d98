from django.urls import path

from . import api

urlpatterns = [
    path("differences/", api.Differences.as_view()),
    path("differences/<int:id>/resolve/", api.Resolve.as_view()),
    path("orders/<str:reference>/refund/", api.Refund.as_view()),
]
