from django.urls import path

from . import api

urlpatterns = [
    path("verify/", api.Verify.as_view(), name="signing-verify"),
    path("certificates/", api.Certificates.as_view(), name="signing-certificates"),
    path("dossiers/<str:code>/result/", api.DossierResult.as_view(), name="signing-dossier-result"),
    path("dossiers/<str:code>/digitised-copies/", api.DigitisedCopy.as_view(), name="signing-digitised-copy"),
    path("documents/", api.OutgoingDocument.as_view(), name="signing-outgoing"),
]
