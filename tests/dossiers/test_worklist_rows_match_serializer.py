"""The fast JSON builders give exactly what the serializers (the schema's shapes) give."""
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.render import LIST_COLUMNS, dossier_detail, dossier_dict, list_rows
from motcua.dossiers.serializers import DossierListSerializer, DossierSerializer

from ..conftest import at


def test_rows_equal_serializer_output(province, actors, intake_data):
    a, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], a.code, version=a.version, now=at("2026-06-01 09:15"))
    services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=timezone.now())
    qs = Dossier.objects.select_related("procedure", "agency").only(*LIST_COLUMNS).order_by("id")
    assert list_rows(qs) == DossierListSerializer(Dossier.objects.order_by("id"), many=True).data


def test_detail_equals_serializer_with_pauses_and_extensions(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    services.request_supplement(actors["specialist"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                version=d.version + 1, now=at("2026-06-02 09:00"))
    services.supplement_received(actors["receiver"], d.code, version=d.version + 2, now=at("2026-06-03 09:00"))
    services.extend(actors["leader"], d.code, reason="Cần xác minh", new_appointment=at("2026-06-20 17:00"),
                    version=d.version + 3, now=at("2026-06-04 09:00"))
    for who in ("specialist", "leader", "citizen"):
        fresh = services.get_for(actors["receiver"], d.code)
        expected = DossierSerializer(fresh, context={"actor": actors[who]}).data
        assert dossier_detail(fresh, actors[who]) == expected


def test_intake_answer_from_memory_equals_a_fresh_read(province, actors, intake_data):
    comps = list(province.proc.components.all())
    data = dict(intake_data, components=[{"component_id": comps[0].id, "provided": True},
                                         {"component_id": comps[1].id, "count": 3}, {"name": "Giấy tờ khác"}])
    d, _ = services.intake(actors["receiver"], data, now=at("2026-06-01 08:00"))
    from_memory = dossier_dict(d, actors["receiver"], components=d.created_rows["components"],
                               steps=d.created_rows["steps"], pauses=[], extensions=[])
    fresh = services.get_for(actors["receiver"], d.code)
    assert from_memory == DossierSerializer(fresh, context={"actor": actors["receiver"]}).data
