"""A generated-input probe over the web pages and forms (not the API): every query parameter and every posted
field of the portal and the back office, one at a time, gets each hostile value below (a NUL, non-numeric
text, integers past every column's range, non-ASCII digits, a very long text, ...), the others staying valid.
No answer may be a server error: bad input is a 4xx page or the form again with a message.

The values are generated from a fixed list so that a failure names the exact request; pytest's -k selects
one page. Django's test client re-raises a view's exception: the probe turns it into a listed failure."""
import pytest
from django.test import Client

from motcua.dossiers import services

HOSTILE = ["\x00", "abc", "", "-1", "1.5", "2147483648", "9" * 19, "9" * 40, "²", "x" * 3000, "2026-13-45"]


def probe(client, method, url, base=None, fields=None):
    """Send the request once per (field, hostile value); return the requests that answered >= 500."""
    base = dict(base or {})
    failures = []
    for field in fields or []:
        for value in HOSTILE:
            data = {**base, field: value}
            if method == "get":
                query = "&".join(f"{k}={_quote(v)}" for k, v in data.items())
                sep = "&" if "?" in url else "?"
                target, send = f"{url}{sep}{query}", lambda t=None: client.get(t)
                args = (target,)
            else:
                target, send = url, client.post
                args = (url, data)
            try:
                resp = send(*args)
                status = resp.status_code
            except Exception as exc:         # the test client re-raises what would be a 500
                status = f"500 ({type(exc).__name__}: {str(exc)[:80]})"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{method.upper()} {target[:150]} {field}={value[:30]!r} -> {status}")
    return failures


def _quote(value):
    from urllib.parse import quote
    return quote(value, safe="")


@pytest.fixture
def world(province, actors, intake_data, django_user_model):
    d, _ = services.intake(actors["receiver"], intake_data)
    owned, _ = services.intake(actors["citizen"], {**intake_data, "channel": 2}, owner=province.citizen) \
        if _online_intake_takes_owner() else (None, None)
    return {"dossier": d, "owned": owned}


def _online_intake_takes_owner():
    import inspect
    return "owner" in inspect.signature(services.intake).parameters


def officer(province):
    c = Client(raise_request_exception=True)
    c.force_login(province.receiver)
    return c


def test_back_office_pages_and_forms(province, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c, code = officer(province), world["dossier"].code
    comp = province.proc.components.first()
    failures = []
    failures += probe(c, "get", "/can-bo/", {"list": "all"}, ["list", "q", "status", "procedure", "ordering", "page"])
    failures += probe(c, "get", "/can-bo/tiep-nhan/", {}, ["procedure"])
    intake = {"procedure": "1.009974", "agency": "", "channel": "1", "applicant_kind": "citizen",
              "applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678", "sets_count": "1",
              f"c{comp.id}_provided": "on", f"c{comp.id}_count": "1", f"c{comp.id}_form": "original"}
    failures += probe(c, "post", "/can-bo/tiep-nhan/?procedure=1.009974", intake,
                      ["procedure", "agency", "channel", "applicant_kind", "applicant_name", "applicant_phone",
                       "applicant_email", "applicant_id_number", "sets_count", f"c{comp.id}_count",
                       f"c{comp.id}_form", "idempotency_key", "return_place", "fee_paid"])
    failures += probe(c, "post", f"/can-bo/ho-so/{code}/thao-tac/request_financial/",
                      {"version": "1", "reason": "Nộp thuế", "amount": "1000"}, ["version", "reason", "amount"])
    failures += probe(c, "post", f"/can-bo/ho-so/{code}/thao-tac/extend/",
                      {"version": "1", "reason": "Xác minh", "new_appointment": "2099-01-05T10:00"},
                      ["version", "new_appointment"])
    failures += probe(c, "post", f"/can-bo/ho-so/{code}/thao-tac/forward/", {"version": "1"}, ["version", "note"])
    failures += probe(c, "post", f"/can-bo/ho-so/{code}/thanh-toan/", {"amount": "1000", "channel": "1"},
                      ["amount", "channel", "reference"])
    failures += probe(c, "post", f"/can-bo/ho-so/{code}/tep/", {"kind": "other"}, ["kind", "component"])
    failures += probe(c, "get", "/can-bo/so-theo-doi/", {}, ["from", "to", "page"])
    failures += probe(c, "get", f"/can-bo/ho-so/{code}/", {}, ["printed"])
    for url in (f"/can-bo/ho-so/{code}/phieu/99999999999999999999.pdf", "/can-bo/ho-so/abc/",
                f"/can-bo/ho-so/{code}/thao-tac/nope/", "/can-bo/so-theo-doi.exe"):
        failures += probe(c, "get", url, {}, ["x"])
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


def test_indicator_pages(province, world):
    c = Client(raise_request_exception=True)
    c.force_login(province.leader)
    failures = []
    failures += probe(c, "get", "/chi-so/", {"period": "2026"}, ["period", "kind", "agency"])
    failures += probe(c, "get", "/chi-so/ho-so/", {"period": "2026", "agency": province.sxd.code,
                                                   "indicator": "2.1", "subset": "late"},
                      ["period", "agency", "indicator", "subset", "page"])
    failures += probe(c, "get", "/chi-so/ke-hoach/", {}, ["year", "agency"])
    failures += probe(c, "get", "/chi-so/cong-khai/", {}, ["period", "kind"])
    failures += probe(c, "get", f"/chi-so/co-quan/{province.sxd.code}/", {}, ["period"])
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


def test_portal_pages_and_forms(province, world):
    anon = Client(raise_request_exception=True)
    failures = []
    failures += probe(anon, "get", "/thu-tuc/", {}, ["q", "field", "agency", "level", "page"])
    failures += probe(anon, "get", "/tra-cuu/", {"code": world["dossier"].code, "secret": "5678"}, ["code", "secret"])
    failures += probe(anon, "get", "/ty-le-dung-han/", {}, ["period", "kind"])
    failures += probe(anon, "post", "/giao-dien/", {"size": "m"}, ["size", "contrast", "next"])
    failures += probe(anon, "post", "/dang-ky/", {"username": "moi", "password1": "x-Very-long-9",
                                                  "password2": "x-Very-long-9"}, ["username", "email", "password1"])
    failures += probe(anon, "post", "/dang-nhap/", {"username": "congdan", "password": "pw"}, ["username", "password"])
    for url in ("/tep/99999999999999999999/", "/thu-tuc/abc/", "/thu-tuc/1.009974/nop/"):
        failures += probe(anon, "get", url, {}, ["x"])

    citizen = Client(raise_request_exception=True)
    citizen.force_login(province.citizen)
    failures += probe(citizen, "get", "/phan-anh/", {}, ["ho_so"])
    failures += probe(citizen, "post", "/phan-anh/", {"agency": province.sxd.code, "category": "other",
                                                      "sender_name": "An", "content": "Nội dung"},
                      ["agency", "category", "dossier", "sender_contact", "content"])
    failures += probe(citizen, "post", "/thu-tuc/1.009974/nop/", {"step": "review", "applicant_name": "An",
                                                                 "applicant_phone": "0912345678"},
                      ["step", "agency", "applicant_kind", "applicant_name", "applicant_phone", "applicant_email",
                       "token"])
    owned = world["owned"]
    if owned is not None:
        failures += probe(citizen, "post", f"/ho-so-cua-toi/{owned.code}/danh-gia/", {"score": "5"},
                          ["score", "comment"])
        failures += probe(citizen, "post", f"/ho-so-cua-toi/{owned.code}/rut/", {"version": "1", "reason": "Thôi"},
                          ["version", "reason"])
        failures += probe(citizen, "post", f"/ho-so-cua-toi/{owned.code}/bo-sung/", {}, ["component", "note"])
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])
