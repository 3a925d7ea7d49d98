"""A dossier missing a mandatory component (catalogue `required`) is not received: the counter intake
is refused with the missing names, and the officer chooses a supplement request (Form 2, status 5, no clock)
or a refusal (Form 3, status 3) through the lifecycle's own acts. Receiving a new (online) dossier is
blocked the same way. Slip 1 numbers the components brought 1, 2, 3..."""
import re

import pytest
from django.template.loader import render_to_string

from motcua.catalog.models import Component
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Channel, DailyCounter, Dossier, Status
from motcua.slips import render as R

from ..conftest import at


@pytest.fixture
def comps(province):
    """Đơn (required), Bản vẽ (required), and an optional photo between them."""
    a, b = province.proc.components.order_by("order")
    b.order = 3
    b.save()
    photo = Component.objects.create(procedure=province.proc, order=2, name="Ảnh hiện trạng", required=False)
    return a, photo, b


def checklist(comps, *brought):
    return [{"component_id": c.id, "provided": c in brought} for c in comps]


def test_missing_mandatory_component_blocks_counter_receipt(province, actors, intake_data, comps):
    don, photo, ban_ve = comps
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], dict(intake_data, components=checklist(comps, don, photo)),
                        now=at("2026-06-01 08:00"))
    assert err.value.code == "components_missing"
    assert err.value.details == {"components": ["Bản vẽ thiết kế"], "if_incomplete": ["request_supplement", "refuse"]}
    assert "Bản vẽ thiết kế" in err.value.message
    assert not Dossier.objects.exists() and not DailyCounter.objects.filter(last__gt=0).exists()


def test_a_missing_optional_component_does_not_block(province, actors, intake_data, comps):
    don, photo, ban_ve = comps
    d, _ = services.intake(actors["receiver"], dict(intake_data, components=checklist(comps, don, ban_ve)))
    assert d.status == Status.RECEIVED


def test_officer_chooses_a_supplement_request_form_2(province, actors, intake_data, comps):
    don, photo, ban_ve = comps
    data = dict(intake_data, components=checklist(comps, don), if_incomplete="request_supplement")
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], data)
    assert err.value.code == "reason_required" and not Dossier.objects.exists()
    d, _ = services.intake(actors["receiver"], dict(data, reason="Thiếu bản vẽ thiết kế"), now=at("2026-06-01 08:00"))
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.received_at is None and d.due_at is None
    assert d.supplement_requests == 0
    pause = d.pauses.get()
    assert pause.components == ["Bản vẽ thiết kế"] and pause.reason == "Thiếu bản vẽ thiết kế"
    assert pause.started_at == at("2026-06-01 08:00") == d.paused_since     # the intake's moment, not the clock's
    assert list(d.history.values_list("action", flat=True)) == ["submit", "request_supplement"]
    assert R.available(d) == [2]
    # the applicant comes back with the drawing: the officer checks it as brought, then receives
    row = d.components.get(component=ban_ve)
    d = services.supplement_received(actors["receiver"], d.code, provided=[row.pk], version=d.version,
                                     now=at("2026-06-02 08:00"))
    assert d.status == Status.NEW
    d = services.receive(actors["receiver"], d.code, version=d.version, now=at("2026-06-02 08:05"))
    assert d.status == Status.RECEIVED and d.clock_start == at("2026-06-02 08:05")


def test_officer_chooses_a_refusal_form_3(province, actors, intake_data, comps):
    don, photo, ban_ve = comps
    d, _ = services.intake(actors["receiver"], dict(intake_data, components=checklist(comps, don),
                                                    if_incomplete="refuse", reason="Không có bản vẽ thiết kế"))
    assert d.status == Status.NOT_RECEIVED and d.received_at is None
    assert list(d.history.values_list("action", flat=True)) == ["submit", "refuse"]
    assert R.available(d) == [3] and R.context(d, 3, "/")["reason"] == "Không có bản vẽ thiết kế"


def test_receiving_a_new_dossier_is_blocked_until_the_component_is_brought(province, actors, intake_data, comps):
    don, photo, ban_ve = comps
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE,
                                                   components=checklist(comps, don)))
    with pytest.raises(ValidationFailed) as err:
        services.receive(actors["receiver"], d.code, version=d.version)
    assert err.value.code == "components_missing" and err.value.details["components"] == ["Bản vẽ thiết kế"]
    d.refresh_from_db()
    assert d.status == Status.NEW and d.version == 1 and d.history.count() == 1
    with pytest.raises(ValidationFailed) as err:
        services.receive(actors["receiver"], d.code, provided=[999999], version=d.version)
    assert err.value.code == "unknown_component"
    row = d.components.get(component=ban_ve)
    d = services.receive(actors["receiver"], d.code, provided=[row.pk], version=d.version)
    assert d.status == Status.RECEIVED and d.history.last().data["provided"] == [row.pk]


def test_slip_1_numbers_the_components_brought_consecutively(province, actors, intake_data, comps):
    don, photo, ban_ve = comps
    d, _ = services.intake(actors["receiver"], dict(intake_data, components=checklist(comps, don, ban_ve)))
    html = render_to_string("slips/form1.html", R.context(d, 1, "http://testserver/"))
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", html)
    assert rows == [("1", "Đơn đề nghị cấp giấy phép"), ("2", "Bản vẽ thiết kế")]


def test_a_checklist_item_takes_the_catalogues_name_form_and_count_unless_given(province, actors, intake_data):
    don, ban_ve = province.proc.components.order_by("order")        # Bản vẽ: a copy, 2 sets in the catalogue
    d, _ = services.intake(actors["receiver"], dict(intake_data, components=[
        {"component_id": don.id, "name": "Đơn (bản gốc có chữ ký)", "form": "certified_copy", "count": 3},
        {"component_id": ban_ve.id}]), now=at("2026-06-01 08:00"))
    rows = {r.component_id: (r.name, r.form, r.count, r.provided) for r in d.components.all()}
    assert rows == {don.id: ("Đơn (bản gốc có chữ ký)", "certified_copy", 3, True),
                    ban_ve.id: ("Bản vẽ thiết kế", "copy", 2, True)}
