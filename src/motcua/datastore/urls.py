from django.urls import path

from . import views

app_name = "datastore"
urlpatterns = [
    path("", views.my_store, name="mine"),
    path("<int:pk>/tep/", views.my_file, name="file"),
]
