from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("giao-dien/", views.display, name="display"),
    path("thu-tuc/", views.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/mau-don/<int:component_id>/", views.blank_form, name="blank_form"),
    path("thu-tuc/<str:code>/nop/", views.file_online, name="file"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.rate, name="rate"),
    path("ho-so-cua-toi/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("tep/<int:pk>/", views.download, name="file_download"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("ty-le-dung-han/", views.ontime, name="ontime"),
    path("dang-nhap/", views.Login.as_view(), name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("dang-ky/", views.signup, name="signup"),
    path("phan-anh/", views.feedback, name="feedback"),
]
