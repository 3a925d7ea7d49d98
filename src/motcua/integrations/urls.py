from django.urls import path

from . import api

urlpatterns = [
    path("delivery/", api.DeliveryCounts.as_view()),
    path("delivery/messages/", api.DeliveryMessages.as_view()),
    path("delivery/messages/<int:id>/resend/", api.ResendOne.as_view()),
    path("delivery/resend-dead/", api.ResendDead.as_view()),
    path("dvcqg/inbound/", api.InboundWaiting.as_view()),
    path("dvcqg/inbound/<str:code>/replay/", api.InboundReplay.as_view()),
    path("dvcqg/mappings/excel/", api.MappingExcel.as_view()),
    path("dvcqg/webhook/", api.Webhook.as_view()),
]
