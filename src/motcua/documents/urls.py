from django.urls import path

from . import api

urlpatterns = [
    path("outgoing/", api.OutgoingList.as_view()),
    path("outgoing/<int:id>/", api.OutgoingDetail.as_view()),
    path("outgoing/<int:id>/actions/<str:action>/", api.OutgoingAction.as_view()),
    path("incoming/", api.IncomingList.as_view()),
    path("incoming/<int:id>/", api.IncomingDetail.as_view()),
    path("incoming/<int:id>/actions/<str:action>/", api.IncomingAction.as_view()),
    path("registers/<str:code>/", api.Registers.as_view()),
    path("archive/due/", api.ArchiveDue.as_view()),
    path("archive/exports/", api.ArchiveExport.as_view()),
]
