"""The data store's fixtures: the signing suite's local test PKI (certified copies and signed results are
made for real), the province with paper and result codes on the catalogue, two verified citizens."""
import pytest
from django.utils import timezone

from motcua.agencies.scope import actor_for
from motcua.catalog.models import Component, Procedure
from motcua.citizens.models import Profile
from motcua.dossiers import services as dossiers
from motcua.signing import results, services

from ..conftest import at
from ..signing.conftest import _signing_settings, p12_config, pki  # noqa: F401  (fixtures)
from ..signing.samples import make_pdf, seal_png, signature_png

AN = "001203004567"       # Nguyễn Văn An, the default intake's applicant
BINH = "001090000001"     # Trần Thị Bình, another person


@pytest.fixture
def store_province(province):
    p = province
    p.proc.result_code = "KQ.GPXD"
    p.proc.save()
    Component.objects.filter(procedure=p.proc, order=2).update(paper_code="GT.BVTK")
    # a later procedure whose components are satisfied by the permit (result) and the drawings (paper)
    p.renew = Procedure.objects.create(code="1.009975", name="Gia hạn giấy phép xây dựng", field=p.field,
                                       online_level="full", time_value=3, time_unit="days")
    p.renew.agencies.add(p.sxd)
    p.renew_permit = Component.objects.create(procedure=p.renew, order=1, name="Giấy phép xây dựng đã được cấp",
                                              result_code="KQ.GPXD")
    p.renew_drawings = Component.objects.create(procedure=p.renew, order=2, name="Bản vẽ thiết kế",
                                                paper_code="GT.BVTK")
    p.renew_form = Component.objects.create(procedure=p.renew, order=3, name="Đơn đề nghị gia hạn", required=False)
    from motcua.catalog.models import ProcessStep
    for s in p.proc.steps.all():
        ProcessStep.objects.create(procedure=p.renew, order=s.order, name=s.name, role=s.role,
                                   allowance_hours=s.allowance_hours)
    Profile.objects.create(user=p.citizen, full_name="Nguyễn Văn An", id_number=AN, verified_by="VNeID",
                           verified_at=timezone.now())
    p.citizen_b = type(p.citizen).objects.create_user(username="congdan_b", password="pw-congdan-b")
    Profile.objects.create(user=p.citizen_b, full_name="Trần Thị Bình", id_number=BINH, verified_by="VNeID",
                           verified_at=timezone.now())
    return p


@pytest.fixture
def store_actors(store_province, actors):
    return {**actors, "citizen_b": actor_for(store_province.citizen_b)}


@pytest.fixture
def keys(store_province, actors, pki):  # noqa: F811
    k = {"seal": services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu Sở Xây dựng",
                                       kind="organisation", source="pkcs12", config=p12_config(pki.agency),
                                       seal_image=seal_png()),
         "leader": services.register_key(actors["leader"], "000.00.17.H13", label="Giám đốc", kind="personal",
                                         holder=store_province.leader, holder_name="Nguyễn Văn Giám",
                                         holder_title="Phó Giám đốc", authority="KT. Giám đốc", source="pkcs12",
                                         config=p12_config(pki.leader), signature_image=signature_png(),
                                         seal_image=seal_png())}
    return k


def certified_copy(actors, keys, code, order=2, **metadata):
    d = dossiers.get_for(actors["receiver"], code)
    comp = d.components.get(component__order=order)
    return services.certify_digitised_copy(actors["receiver"], code, comp.pk, make_pdf(1, "BAN VE THIET KE"),
                                           keys["seal"].pk, metadata=metadata or None)


def finished_with_signed_result(actors, keys, intake_data, when="2026-06-01"):
    """A permit dossier received, its drawings certified, approved, signed and sealed (status 9)."""
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at(f"{when} 08:00"))
    certified_copy(actors, keys, d.code, valid_until="2030-12-31", number_symbol="12/BV")
    dossiers.forward(actors["receiver"], d.code)
    dossiers.forward(actors["specialist"], d.code)
    dossiers.approve(actors["leader"], d.code)
    results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1, "GIAY PHEP"))
    results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="seal")
    d.refresh_from_db()
    return d
