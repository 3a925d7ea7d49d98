from django.urls import path

from motcua.slips import views as slips

from . import views

app_name = "office"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("ho-so/<str:code>/", views.dossier, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.act, name="act"),
    path("ho-so/<str:code>/tep/", views.upload, name="upload"),
    path("ho-so/<str:code>/thanh-toan/", views.payment, name="payment"),
    path("ho-so/<str:code>/phieu/<int:number>.pdf", slips.slip_pdf, name="slip"),
    path("so-theo-doi/", slips.register, name="register"),
    path("so-theo-doi.<str:fmt>", slips.register_export, name="register_export"),
]
