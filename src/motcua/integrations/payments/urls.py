from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("ho-so/<str:code>/", views.start, name="start"),
    path("don/<str:reference>/", views.order, name="order"),
    path("don/<str:reference>/bien-lai.pdf", views.receipt, name="receipt"),
    path("bien-lai/<int:receipt_id>.pdf", views.own_receipt, name="own_receipt"),
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),
    path("paygov/xac-nhan/", views.paygov_confirm, name="paygov_confirm"),
    path("<str:provider>/ket-qua/", views.returned, name="returned"),
]
