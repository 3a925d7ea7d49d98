from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.board, name="board"),
    path("gui-lai/<int:pk>/", views.resend_one, name="resend_one"),
    path("gui-lai-that-bai/", views.resend_dead, name="resend_dead"),
    path("anh-xa/", views.set_mapping, name="set_mapping"),
    path("anh-xa/excel/", views.import_mapping, name="import_mapping"),
    path("thu-tuc-dvcqg/", views.import_procedures, name="import_procedures"),
    path("dvcqg/<str:code>/tao-lai/", views.replay, name="replay"),
]
