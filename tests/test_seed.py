"""`motcua seed`: the demo province, dossiers in every status made through the services, and the bulk
synthetic dossiers (consistent codes, counters, deadlines and hash chains)."""
import re
from collections import defaultdict
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.agencies.scope import actor_for
from motcua.catalog.models import Procedure
from motcua.core.errors import NotAllowed
from motcua.dossiers import services
from motcua.dossiers.models import DailyCounter, Dossier, HistoryEvent, Status
from motcua.worktime import TZ

NOW = "2026-06-15T10:00:00+07:00"


def _seed(*args):
    out = StringIO()
    call_command("seed", "--quiet", "--now", NOW, "--lifecycle", "40", *args, stdout=out)
    return out.getvalue()


def _verify():
    out = StringIO()
    call_command("verify_history", "--quiet", stdout=out)
    return out.getvalue()


def _counters_cover_codes():
    """Every dossier code's daily sequence is <= the agency/day counter (later intakes never collide)."""
    last = {(a, d): n for a, d, n in DailyCounter.objects.values_list("agency_id", "day", "last")}
    top = defaultdict(int)
    for agency_id, code in Dossier.objects.values_list("agency_id", "code"):
        m = re.fullmatch(r".+-(\d{6})-(\d{4,})", code)
        day = datetime.strptime(m.group(1), "%y%m%d").date()
        top[(agency_id, day)] = max(top[(agency_id, day)], int(m.group(2)))
    return all(last.get(k, 0) >= v for k, v in top.items())


@pytest.mark.django_db
def test_base_seed_builds_a_province_with_dossiers_in_every_status(django_user_model):
    out = _seed()
    assert Agency.objects.filter(kind=AgencyKind.DEPARTMENT).count() >= 17
    assert Agency.objects.filter(kind=AgencyKind.CENTRE).count() == 1
    assert Agency.objects.filter(kind=AgencyKind.DISTRICT).count() == 8
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() >= 40
    for dept in Agency.objects.filter(kind=AgencyKind.DEPARTMENT):
        assert dept.symbol and 2 <= dept.children.filter(kind=AgencyKind.UNIT).count() <= 3
    assert Procedure.objects.count() >= 40
    # the apps' own demo data ran after the base (catalog/demo.py seed_demo: signed results from now on)
    assert "catalog: " in out
    full = Procedure.objects.filter(online_level="full")
    assert full.exists() and not full.filter(signed_result_required=False).exists()
    for proc in Procedure.objects.prefetch_related("steps", "agencies", "components"):
        steps = list(proc.steps.all())
        assert 3 <= len(steps) <= 5 and [s.order for s in steps] == list(range(1, len(steps) + 1))
        assert sum(s.allowance_minutes for s in steps) <= proc.working_minutes
        assert proc.agencies.exists() and proc.components.exists()
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert "45 of 45 dossier histories intact" in _verify()     # 40 + the data store's 5 (datastore/demo.py)
    assert Dossier.objects.aggregate(m=Max("submitted_at"))["m"] < datetime.fromisoformat(NOW)
    assert HistoryEvent.objects.aggregate(m=Max("at"))["m"] < datetime.fromisoformat(NOW)
    # predictable accounts with the documented password
    sxd = Agency.objects.get(symbol="SXD")
    assert Membership.objects.filter(user__username="sxd.tiepnhan", agency=sxd, role=Role.RECEIVING_OFFICER).exists()
    assert django_user_model.objects.get(username="sxd.chuyenvien").check_password("motcua-demo")
    assert django_user_model.objects.get(username="admin").is_superuser
    assert Membership.objects.filter(user__username="luongson-x1.tiepnhan").exists()
    assert Membership.objects.filter(user__username="ttpvhcc.tiepnhan", role=Role.RECEIVING_OFFICER).exists()
    assert "Hồ sơ theo trạng thái" in out

    # idempotent: a second run leaves the province as it is
    before = (Agency.objects.count(), Dossier.objects.count())
    assert "đã có" in _seed()
    assert (Agency.objects.count(), Dossier.objects.count()) == before


@pytest.mark.django_db
def test_seed_refuses_a_database_with_other_agencies():
    Agency.objects.create(code="X.01", name="Cơ quan khác", kind=AgencyKind.PROVINCE)
    with pytest.raises(CommandError):
        _seed()


@pytest.mark.django_db
def test_bulk_dossiers_are_consistent_and_later_intakes_do_not_collide():
    _seed()  # base province first (the bulk mode would also do it by itself)
    base = Dossier.objects.count()
    _seed("--dossiers", "500")
    assert Dossier.objects.count() == base + 500
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    by_status = dict(Dossier.objects.values_list("status").annotate(c=Count("id")))
    assert len(by_status) >= 8 and by_status[Status.RETURNED] > 200
    assert f"{base + 500} of {base + 500} dossier histories intact" in _verify()
    assert _counters_cover_codes()
    # every received dossier has a due moment from the calendar; open paused ones have a pause
    assert not Dossier.objects.filter(received_at__isnull=False, due_at__isnull=True).exists()
    assert not Dossier.objects.filter(status=Status.SUPPLEMENT_REQUESTED, pauses__isnull=True).exists()
    # a real intake afterwards on a busy agency/day gets the next number, not a duplicate
    counter = DailyCounter.objects.order_by("-last").first()
    agency = Agency.objects.get(pk=counter.agency_id)
    proc = Procedure.objects.filter(agencies=agency).first()
    officer = Membership.objects.filter(agency=agency, role=Role.RECEIVING_OFFICER).first().user
    moment = datetime.combine(counter.day, datetime.min.time(), tzinfo=TZ).replace(hour=16, minute=30)
    d, _r = services.intake(actor_for(officer), {"procedure": proc.code, "agency": agency.code, "channel": 1,
                                                 "applicant_name": "Nguyễn Văn Mới", "submitted_at": moment},
                            now=moment)
    assert d.code.endswith(f"-{counter.last + 1:04d}")


@pytest.mark.django_db
def test_bulk_dossiers_for_one_agency_seed_the_base_first():
    out = StringIO()
    call_command("seed", "--quiet", "--now", NOW, "--lifecycle", "10", "--dossiers", "50",
                 "--agency", "000.00.17.H13", stdout=out)
    assert Dossier.objects.filter(agency__code="000.00.17.H13").count() >= 50
    assert "65 of 65 dossier histories intact" in _verify()     # 10 + 5 (data store demo) + 50


@pytest.mark.django_db
def test_demo_receiving_officers_take_in_what_they_may_and_only_that(client):
    """The reproductions of issue 8 on the demo data: luongson.tiepnhan and 2.000386 (every district decides)
    gets its district preselected and receives; a commune officer receives birth registration for its
    commune; Sở Xây dựng's officer cannot take in Sở Tài chính's procedure, the centre can."""
    call_command("seed", "--quiet", "--now", NOW, "--lifecycle", "0", stdout=StringIO())
    from django.contrib.auth import get_user_model
    User = get_user_model()
    luongson = Agency.objects.get(code="000.20.02.H13")
    client.force_login(User.objects.get(username="luongson.tiepnhan"))
    html = client.get("/can-bo/tiep-nhan/?procedure=2.000386").content.decode()
    assert f'<option value="{luongson.code}" selected>' in html
    proc = Procedure.objects.get(code="2.000386")
    post = {"procedure": proc.code, "agency": luongson.code, "applicant_name": "Bùi Văn Sơn",
            "applicant_phone": "0912000111", "channel": "1", "sets_count": "1"}
    for c in proc.components.all():
        post.update({f"c{c.id}_provided": "on", f"c{c.id}_count": str(c.count)})
    resp = client.post("/can-bo/tiep-nhan/?procedure=2.000386", post)
    assert resp.status_code == 302, resp.content.decode()[-3000:]
    d = Dossier.objects.get(procedure=proc)
    assert d.agency == luongson and d.status == Status.RECEIVED
    commune = actor_for(User.objects.get(username="luongson-x1.tiepnhan"))
    birth = Procedure.objects.filter(agencies__kind=AgencyKind.COMMUNE).distinct().first()
    d, _ = services.intake(commune, {"procedure": birth.code, "applicant_name": "Bùi Thị Mai"})
    assert d.agency.code == "001.20.02.H13"
    stc = {"procedure": "1.001009", "applicant_name": "Công ty TNHH Minh Phát"}
    with pytest.raises(NotAllowed) as err:
        services.intake(actor_for(User.objects.get(username="sxd.tiepnhan")), stc)
    assert err.value.code == "receipt_out_of_scope"
    d, _ = services.intake(actor_for(User.objects.get(username="ttpvhcc.tiepnhan")), stc)
    assert d.agency.symbol == "STC" and d.intake_agency.kind == AgencyKind.CENTRE
