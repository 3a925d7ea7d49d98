"""Shared fixtures: a small province with two departments, a centre, staff in every role, procedures; the
real-thread race helper of the concurrency tests."""
import threading
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection, connections

from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.agencies.scope import actor_for
from motcua.catalog.models import Component, Fee, Field, OnlineLevel, Procedure, ProcessStep, TimeUnit
from motcua.worktime import TZ


def at(text):
    """Local Vietnamese time: at('2026-06-01 08:00')."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="real concurrency needs PostgreSQL row locks (CI runs it)")


def race(n, work):
    """Run work(0..n-1) in n real threads released together by a barrier; each thread closes its own database
    connection. Returns [("ok", value) | ("error", exception)] in thread order, for the test to inspect."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from motcua.agencies.calendar import invalidate
    from motcua.catalog import cache as catalog_cache
    invalidate()
    catalog_cache.invalidate()
    from django.core.cache import caches
    caches["local"].clear()    # per-process memo of pages (catalogue, on-time rates): no test sees another's
    yield
    invalidate()
    catalog_cache.invalidate()
    caches["local"].clear()


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _fresh_limits(request):
    """Rate-limit counters and lock-outs live in the shared cache (a database table): start every test that
    uses the database with none, whatever earlier tests did from the same address."""
    if DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames
                                or "live_server" in request.fixturenames else "db")
        from django.core.cache import caches
        caches["default"].clear()
    yield


class Province:
    """Handles to the fixture objects."""


def make_user(django_user_model, username, agency=None, *roles):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def province(db, django_user_model):
    p = Province()
    p.root = Agency.objects.create(code="000.00.00.H13", name="UBND tỉnh Demo", kind=AgencyKind.PROVINCE)
    p.centre = Agency.objects.create(code="000.00.01.H13", name="Trung tâm Phục vụ hành chính công tỉnh",
                                     kind=AgencyKind.CENTRE, parent=p.root)
    p.sxd = Agency.objects.create(code="000.00.17.H13", name="Sở Xây dựng", symbol="SXD",
                                  kind=AgencyKind.DEPARTMENT, parent=p.root)
    p.sxd_unit = Agency.objects.create(code="000.17.01.H13", name="Phòng Quản lý xây dựng", kind=AgencyKind.UNIT,
                                       parent=p.sxd)
    p.stp = Agency.objects.create(code="000.00.18.H13", name="Sở Tư pháp", symbol="STP",
                                  kind=AgencyKind.DEPARTMENT, parent=p.root)
    p.field = Field.objects.create(code="XD", name="Xây dựng")
    p.proc = Procedure.objects.create(code="1.009974", name="Cấp giấy phép xây dựng", field=p.field,
                                      online_level=OnlineLevel.FULL, time_value=Decimal(3), time_unit=TimeUnit.DAYS,
                                      result_type="Giấy phép xây dựng", legal_basis="Luật Xây dựng 2014")
    p.proc.agencies.add(p.sxd)
    Component.objects.create(procedure=p.proc, order=1, name="Đơn đề nghị cấp giấy phép", count=1)
    Component.objects.create(procedure=p.proc, order=2, name="Bản vẽ thiết kế", form="copy", count=2)
    Fee.objects.create(procedure=p.proc, name="Lệ phí cấp phép", amount=150000)
    for order, name, role, hours in [(1, "Tiếp nhận hồ sơ", Role.RECEIVING_OFFICER, 4),
                                     (2, "Thẩm định hồ sơ", Role.SPECIALIST, 12),
                                     (3, "Phê duyệt", Role.AGENCY_LEADER, 8)]:
        ProcessStep.objects.create(procedure=p.proc, order=order, name=name, role=role,
                                   allowance_hours=Decimal(hours), unit_name="")
    p.proc_stp = Procedure.objects.create(code="2.000908", name="Chứng thực bản sao từ bản chính", field=p.field,
                                          time_value=Decimal(4), time_unit=TimeUnit.HOURS)
    p.proc_stp.agencies.add(p.stp)

    u = lambda name, agency, *roles: make_user(django_user_model, name, agency, *roles)  # noqa: E731
    p.receiver = u("tiepnhan", p.sxd, Role.RECEIVING_OFFICER)
    p.centre_receiver = u("tiepnhan_tt", p.centre, Role.RECEIVING_OFFICER)
    p.specialist = u("chuyenvien", p.sxd_unit, Role.SPECIALIST)
    p.head = u("truongphong", p.sxd_unit, Role.UNIT_HEAD)
    p.leader = u("giamdoc", p.sxd, Role.AGENCY_LEADER)
    p.clerk = u("vanthu", p.sxd, Role.CLERK)
    p.admin = u("quantri", p.sxd, Role.ADMINISTRATOR)
    p.other = u("tiepnhan_stp", p.stp, Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.AGENCY_LEADER, Role.CLERK)
    p.citizen = django_user_model.objects.create_user(username="congdan", password="pw-congdan")
    return p


@pytest.fixture
def districts(province, django_user_model):
    """Two districts with communes; a house-building permit decided by any district, a birth registration by
    any commune (as in the demo province)."""
    p = province
    p.luongson = Agency.objects.create(code="000.20.02.H13", name="UBND huyện Lương Sơn", kind=AgencyKind.DISTRICT,
                                       parent=p.root)
    p.kimboi = Agency.objects.create(code="000.20.03.H13", name="UBND huyện Kim Bôi", kind=AgencyKind.DISTRICT,
                                     parent=p.root)
    p.x1 = Agency.objects.create(code="001.20.02.H13", name="UBND Thị trấn Lương Sơn", kind=AgencyKind.COMMUNE,
                                 parent=p.luongson)
    p.x2 = Agency.objects.create(code="002.20.02.H13", name="UBND Xã Hòa Sơn", kind=AgencyKind.COMMUNE,
                                 parent=p.luongson)
    p.kx1 = Agency.objects.create(code="001.20.03.H13", name="UBND Thị trấn Bo", kind=AgencyKind.COMMUNE,
                                  parent=p.kimboi)
    p.house = Procedure.objects.create(code="2.000386", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=p.field,
                                       time_value=Decimal(15), time_unit=TimeUnit.DAYS)
    p.house.agencies.add(p.luongson, p.kimboi)
    Component.objects.create(procedure=p.house, order=1, name="Đơn đề nghị cấp giấy phép xây dựng")
    p.birth = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", field=p.field,
                                       time_value=Decimal(1), time_unit=TimeUnit.DAYS)
    p.birth.agencies.add(p.x1, p.x2, p.kx1)
    p.district_ro = make_user(django_user_model, "luongson.tiepnhan", p.luongson, Role.RECEIVING_OFFICER)
    p.commune_ro = make_user(django_user_model, "luongson-x1.tiepnhan", p.x1, Role.RECEIVING_OFFICER)
    return p


@pytest.fixture
def actors(province):
    return {name: actor_for(getattr(province, name)) for name in
            ("receiver", "centre_receiver", "specialist", "head", "leader", "clerk", "admin", "other", "citizen")}


INTAKE = {
    "procedure": "1.009974", "channel": 1, "applicant_name": "Nguyễn Văn An", "applicant_id_number": "001203004567",
    "applicant_address": "12 Trần Phú, Hà Đông", "applicant_phone": "0912345678", "request": "Cấp phép nhà ở",
}


@pytest.fixture
def intake_data():
    return dict(INTAKE)


@pytest.fixture(autouse=True)
def _virus_scan_off_unless_asked(settings):
    """No clamd for most tests: scanning is switched off explicitly, as a development set-up would.
    tests/dossiers/test_uploads_* turn it on against a real clamd (fixture `clamd`)."""
    settings.MOTCUA_VIRUS_SCAN = "off"


RESULT_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


def attach_result(actor, code, now=None):
    """The result file a dossier needs before mark_result_ready (procedures without a signing plan)."""
    from motcua.dossiers import services
    return services.attach(actor, code, kind="result", filename="ket-qua.pdf", content=RESULT_PDF, now=now)
