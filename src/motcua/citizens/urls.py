from django.urls import path

from . import oidc, views

app_name = "citizens"
urlpatterns = [
    path("ho-so-ca-nhan/", views.profile, name="profile"),
    path("dang-nhap/dinh-danh/", oidc.start, name="oidc_start"),
    path("dang-nhap/dinh-danh/callback/", oidc.Callback.as_view(), name="oidc_callback"),
]
