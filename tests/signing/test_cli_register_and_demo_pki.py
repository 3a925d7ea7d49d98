"""A key registered from the command line; the demo province's own test PKI (`motcua signing demo-pki`)
gives working keys: a department's leader signs a result at B-T with the revocation check answered by
Motcua's /demo-pki/ endpoints, and the result verifies."""
import pytest
from django.core.management import CommandError, call_command

from motcua.agencies.models import Agency, Role
from motcua.agencies.scope import actor_for
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Status
from motcua.signing import services
from motcua.signing.models import SigningKey

from ..web.conftest import live  # noqa: F401 (the live server, flushable on SQLite)
from . import pki as testpki


def test_register_from_the_command_line(province, pki, tmp_path, monkeypatch, capsys):
    p12 = tmp_path / "sxd.p12"
    p12.write_bytes(pki.agency.p12())
    monkeypatch.setenv("SXD_P12_PASS", testpki.P12_PASSWORD)
    call_command("signing", "register", "--as", "quantri", "--agency", "000.00.17.H13", "--label", "Con dấu",
                 "--kind", "organisation", "--p12", str(p12), "--passphrase-env", "SXD_P12_PASS")
    key = SigningKey.objects.get()
    assert key.agency == province.sxd and key.source_config["passphrase_env"] == "SXD_P12_PASS"
    assert "Đã đăng ký" in capsys.readouterr().out
    stp = tmp_path / "stp.p12"
    stp.write_bytes(pki.stp.p12())
    with pytest.raises(CommandError, match="certificate_of_other_agency"):
        call_command("signing", "register", "--as", "quantri", "--agency", "000.00.17.H13", "--label", "STP",
                     "--kind", "organisation", "--p12", str(stp), "--passphrase-env", "SXD_P12_PASS")
    with pytest.raises(CommandError, match="role_required"):
        call_command("signing", "register", "--as", "chuyenvien", "--agency", "000.00.17.H13", "--label", "x",
                     "--kind", "organisation", "--p12", str(p12), "--passphrase-env", "SXD_P12_PASS")


@pytest.mark.django_db(transaction=True)
def test_demo_pki_gives_working_keys(live, settings, tmp_path):  # noqa: F811
    live_server = live
    call_command("seed", "--lifecycle", "0", "--quiet")
    directory = tmp_path / "demo-pki"
    call_command("signing", "demo-pki", "--dir", str(directory), "--base-url", live_server.url)
    sxd = Agency.objects.get(symbol="SXD")
    assert SigningKey.objects.filter(agency=sxd).count() == 2
    settings.MOTCUA_SIGNING_DEMO_PKI = str(directory)
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(directory / "root.pem")]
    settings.MOTCUA_SIGNING_TSA_URL = f"{live_server.url}/demo-pki/tsa"
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [live_server.url.split("://")[1]]
    call_command("signing", "demo-pki", "--dir", str(directory), "--base-url", live_server.url)   # idempotent
    assert SigningKey.objects.filter(agency=sxd).count() == 2
    from django.contrib.auth import get_user_model
    User = get_user_model()
    a = {r: actor_for(User.objects.get(username=f"sxd.{r}")) for r in ("tiepnhan", "chuyenvien", "lanhdao", "vanthu")}
    from motcua.catalog.models import Procedure
    proc = Procedure.objects.filter(agencies=sxd, signed_result_required=True).first()
    assert proc is not None     # fully online procedures require a signed result in the demo
    d, _ = dossiers.intake(a["tiepnhan"], {"procedure": proc.code, "channel": 1, "applicant_name": "Nguyễn Văn An",
                                           "applicant_id_number": "001203004567", "applicant_phone": "0912345678",
                                           "applicant_address": "Hòa Bình", "request": "Cấp phép"})
    while True:
        d.refresh_from_db()
        step = d.steps.get(order=d.current_step)
        last = d.steps.order_by("-order").first().order == d.current_step
        who = {Role.RECEIVING_OFFICER: "tiepnhan", Role.SPECIALIST: "chuyenvien"}.get(step.role, "lanhdao")
        if last:
            dossiers.approve(a["lanhdao"], d.code)
            break
        dossiers.forward(a[who], d.code)
    key = SigningKey.objects.get(agency=sxd, kind="personal")
    seal = SigningKey.objects.get(agency=sxd, kind="organisation")
    from motcua.signing import results

    from .samples import make_pdf
    results.sign_result(a["lanhdao"], d.code, key.pk, step="person", pdf_bytes=make_pdf(1, "GIAY PHEP"), level="B-T")
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    out = results.sign_result(a["vanthu"], d.code, seal.pk, step="seal", level="B-T")
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    report = services.verify(out["signed"])
    assert report["valid"] and report["count"] == 2, report
    assert [s["level"] for s in report["signatures"]] == ["B-T", "B-T"], report
    assert {s["revocation"] for s in report["signatures"]} == {"good"}
