"""The worklist's fast row builder gives exactly what DossierListSerializer (the schema's shape) gives."""
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.api import LIST_COLUMNS, list_rows
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.serializers import DossierListSerializer

from ..conftest import at


def test_rows_equal_serializer_output(province, actors, intake_data):
    a, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], a.code, version=a.version, now=at("2026-06-01 09:15"))
    services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=timezone.now())
    qs = Dossier.objects.select_related("procedure", "agency").only(*LIST_COLUMNS).order_by("id")
    assert list_rows(qs) == DossierListSerializer(Dossier.objects.order_by("id"), many=True).data
