"""HTML pages, mounted at /chi-so/."""
from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("co-quan/<str:code>/", views.agency, name="agency"),
    path("ho-so/", views.dossiers, name="dossiers"),
    path("cong-khai/", views.public, name="public"),
    path("bao-cao.<str:fmt>", views.export, name="export"),
    path("ke-hoach/", views.plans, name="plans"),
]
