"""Walk EVERY API endpoint and EVERY action as an officer of agency B (Sở Tư pháp, holding all roles there)
and as an anonymous caller, against a dossier of agency A (Sở Xây dựng): B never reads or changes it, and
a hidden dossier looks exactly like a missing one. A new endpoint fails this test until it is classified."""
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.dossiers import services
from motcua.dossiers.models import Dossier

from .schema_check import check

MISSING = "000.00.17.H13-000101-9999"


def api_endpoints():
    """(route, method) for every view under /api/v1/, from the URL configuration itself."""
    found = set()

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("api/v1/"):
                view = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
                for method in ("get", "post", "put", "patch", "delete"):
                    if view is not None and hasattr(view, method):
                        found.add((route, method))
    walk(get_resolver().url_patterns, "")
    return found


# Every endpoint, classified. DOSSIER: reads or acts on one dossier; the rest are not about a dossier.
PUBLIC = "public"            # anyone, no account
DOSSIER = "dossier"          # about the dossier in the URL
SCOPED_LIST = "scoped list"  # a list filtered to the caller's scope
ACCOUNT = "account"          # needs an account, not about a dossier
SIGNED = "signed"            # no account: an HMAC signature instead (refused without one)
ENDPOINTS = {
    ("api/v1/schema/", "get"): PUBLIC,
    ("api/v1/docs/", "get"): PUBLIC,
    ("api/v1/agencies/", "get"): PUBLIC,
    ("api/v1/calendar/due/", "get"): PUBLIC,
    ("api/v1/procedures/", "get"): PUBLIC,
    ("api/v1/procedures/<str:code>/", "get"): PUBLIC,
    ("api/v1/public/lookup/", "post"): PUBLIC,
    ("api/v1/me/", "get"): ACCOUNT,
    ("api/v1/procedures/excel/", "get"): ACCOUNT,
    ("api/v1/procedures/excel/", "post"): ACCOUNT,
    ("api/v1/dossiers/", "post"): ACCOUNT,
    ("api/v1/dossiers/", "get"): SCOPED_LIST,
    ("api/v1/search/", "get"): SCOPED_LIST,       # full-text search: rows in the caller's scope only
    ("api/v1/dossiers/<str:code>/", "get"): DOSSIER,
    ("api/v1/dossiers/<str:code>/history/", "get"): DOSSIER,
    ("api/v1/dossiers/<str:code>/actions/<str:action>/", "post"): DOSSIER,
    ("api/v1/signing/verify/", "post"): PUBLIC,
    ("api/v1/signing/certificates/", "get"): ACCOUNT,
    ("api/v1/signing/dossiers/<str:code>/result/", "get"): DOSSIER,
    ("api/v1/signing/dossiers/<str:code>/result/", "post"): DOSSIER,
    ("api/v1/signing/dossiers/<str:code>/digitised-copies/", "post"): DOSSIER,
    ("api/v1/signing/documents/", "post"): ACCOUNT,
    ("api/v1/indicators/public/", "get"): PUBLIC,
    ("api/v1/indicators/report/", "get"): ACCOUNT,
    ("api/v1/indicators/export/", "get"): ACCOUNT,
    ("api/v1/indicators/trend/", "get"): ACCOUNT,
    ("api/v1/indicators/dvcqg-2026/", "get"): ACCOUNT,
    ("api/v1/indicators/dossiers/", "get"): ACCOUNT,
    ("api/v1/indicators/targets/", "post"): ACCOUNT,
    ("api/v1/indicators/plans/", "get"): ACCOUNT,
    ("api/v1/indicators/plans/", "post"): ACCOUNT,
    ("api/v1/indicators/plans/<int:plan_id>/tasks/", "post"): ACCOUNT,
    ("api/v1/indicators/tasks/<int:task_id>/complete/", "post"): ACCOUNT,
    ("api/v1/indicators/inspections/", "get"): ACCOUNT,
    ("api/v1/indicators/inspections/", "post"): ACCOUNT,
    ("api/v1/indicators/inspections/<int:inspection_id>/findings/", "post"): ACCOUNT,
    ("api/v1/indicators/findings/<int:finding_id>/resolve/", "post"): ACCOUNT,
    # delivery administration: administrators only, filtered to the agencies they administer
    ("api/v1/integrations/delivery/", "get"): ACCOUNT,
    ("api/v1/integrations/delivery/messages/", "get"): ACCOUNT,
    ("api/v1/integrations/delivery/messages/<int:id>/resend/", "post"): ACCOUNT,
    ("api/v1/integrations/delivery/resend-dead/", "post"): ACCOUNT,
    ("api/v1/integrations/dvcqg/inbound/", "get"): ACCOUNT,
    ("api/v1/integrations/dvcqg/inbound/<str:code>/replay/", "post"): ACCOUNT,
    ("api/v1/integrations/dvcqg/mappings/excel/", "get"): ACCOUNT,
    ("api/v1/integrations/dvcqg/mappings/excel/", "post"): ACCOUNT,
    # online payment reconciliation: finance officers, their agencies only (another agency's row: 404)
    ("api/v1/payments/differences/", "get"): SCOPED_LIST,
    ("api/v1/payments/differences/<int:id>/resolve/", "post"): ACCOUNT,
    ("api/v1/payments/orders/<str:reference>/refund/", "post"): ACCOUNT,
    # OCR (motcua.ocr): jobs by id, each checked against the caller's scope (404 otherwise; tests/ocr)
    ("api/v1/ocr/attachments/<int:attachment_id>/", "post"): ACCOUNT,
    ("api/v1/ocr/jobs/", "get"): SCOPED_LIST,
    ("api/v1/ocr/jobs/", "post"): ACCOUNT,
    ("api/v1/ocr/jobs/<int:job_id>/", "get"): ACCOUNT,
    ("api/v1/ocr/jobs/<int:job_id>/pdf/", "get"): ACCOUNT,
    ("api/v1/ocr/jobs/<int:job_id>/password/", "post"): ACCOUNT,
    # official documents (not about a dossier): lists filtered to the caller's organisations, with their own
    # strict filters (?status=2 is refused there), so checked in tests/api/test_documents_api.py; 404 outside
    ("api/v1/documents/outgoing/", "get"): ACCOUNT,
    ("api/v1/documents/outgoing/", "post"): ACCOUNT,
    ("api/v1/documents/outgoing/<int:id>/", "get"): ACCOUNT,
    ("api/v1/documents/outgoing/<int:id>/actions/<str:action>/", "post"): ACCOUNT,
    ("api/v1/documents/incoming/", "get"): ACCOUNT,
    ("api/v1/documents/incoming/", "post"): ACCOUNT,
    ("api/v1/documents/incoming/<int:id>/", "get"): ACCOUNT,
    ("api/v1/documents/incoming/<int:id>/actions/<str:action>/", "post"): ACCOUNT,
    ("api/v1/documents/registers/<str:code>/", "get"): ACCOUNT,
    ("api/v1/documents/archive/due/", "get"): ACCOUNT,
    ("api/v1/documents/archive/exports/", "post"): ACCOUNT,
    # DVCQG pushes new dossiers here: no account, an HMAC signature instead (401 without a valid one)
    ("api/v1/integrations/dvcqg/webhook/", "post"): SIGNED,
    # another agency's Motcua sends edXML documents and status messages here: HMAC of the peer's secret
    ("api/v1/exchange/edxml/", "post"): SIGNED,
}

# A public endpoint called anonymously with no parameters (the dossier's code where the route has one).
PUBLIC_ANSWERS = {
    ("api/v1/schema/", "get"): 200, ("api/v1/docs/", "get"): 200, ("api/v1/agencies/", "get"): 200,
    ("api/v1/procedures/", "get"): 200, ("api/v1/signing/verify/", "post"): 200,
    ("api/v1/procedures/<str:code>/", "get"): 404,    # a dossier's code is no procedure's code
    ("api/v1/calendar/due/", "get"): 422, ("api/v1/public/lookup/", "post"): 422,   # parameters missing
    ("api/v1/indicators/public/", "get"): 422,
}

ACTION_BODY = {"version": None, "reason": "Lý do", "note": "Ghi chú", "components": ["Bản vẽ"],
               "new_appointment": "2099-01-05T10:00:00+07:00", "amount": 1000}


def urls_for(route, code):
    """Concrete calls for a route: every action for the action route."""
    if "<str:action>" in route:
        return [(re.sub(r"<int:\w+>", "1", f"/{route}".replace("<str:code>", code).replace("<str:action>", a)), a)
                for a in services.ACTIONS]
    url = f"/{route}".replace("<str:code>", code).replace("<str:procedure>", "1.009974")
    return [(re.sub(r"<int:\w+>", "1", url), None)]


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
              b"trailer<</Root 1 0 R>>\n%%EOF\n"


def call(client, method, url, version):
    if method == "get":
        return client.get(url)
    if "/signing/" in url:   # file endpoints take a multipart form with a PDF
        from django.core.files.uploadedfile import SimpleUploadedFile
        form = {"file": SimpleUploadedFile("ket-qua.pdf", MINIMAL_PDF, content_type="application/pdf"),
                "key_id": "1", "component_id": "1", "version": str(version)}
        return client.post(url, form, format="multipart")
    return client.post(url, dict(ACTION_BODY, version=version), format="json")


def snapshot(d):
    d = Dossier.objects.get(pk=d.pk)
    return (d.version, d.status, d.current_step, d.updated_at, d.history.count(), d.pauses.count(),
            d.extensions.count())


def test_every_api_endpoint_is_classified():
    found = api_endpoints()
    assert found == set(ENDPOINTS), (
        "Classify new API endpoints in ENDPOINTS (and make sure they respect agency scope): "
        f"unclassified {sorted(found - set(ENDPOINTS))}, gone {sorted(set(ENDPOINTS) - found)}")


def _same_but_code(hidden, missing, code):
    assert hidden["code"] == missing["code"]
    assert hidden["details"] == missing["details"]
    assert hidden["message"].replace(code, "X") == missing["message"].replace(MISSING, "X")


def test_officer_of_another_agency_never_reads_or_acts(province, client_for, dossier):
    other = client_for(province.other)
    before = snapshot(dossier)
    for (route, method), kind in sorted(ENDPOINTS.items()):
        if kind == DOSSIER:
            for (url, action), (missing_url, _a) in zip(urls_for(route, dossier.code), urls_for(route, MISSING)):
                resp = call(other, method, url, dossier.version)
                where = f"{method.upper()} {url}"
                if method == "get":
                    assert resp.status_code == 404, where     # not 403: that would confirm it exists
                    missing = call(other, method, missing_url, dossier.version)
                    _same_but_code(check(resp), check(missing), dossier.code)
                else:
                    # 404, never 403: a 403 would confirm that the dossier exists
                    assert resp.status_code == 404, (where, resp.status_code, resp.content)
                    check(resp)
                    assert "applicant" not in resp.content.decode() and dossier.applicant_name not in resp.content.decode()
        elif kind == SCOPED_LIST:
            for query in ["", f"?q={dossier.code}", "?agency=000.00.17.H13", "?procedure=1.009974", "?status=2",
                          *(f"?list={name}" for name in ("to_receive", "to_process", "to_approve", "to_return",
                                                         "paused", "overdue"))]:
                body = check(other.get(f"/{route}{query}"))
                assert body["count"] == 0 and dossier.code not in json.dumps(body), query
    # public lookup without the dossier's secret: the same 404 as for a missing dossier
    resp = other.post("/api/v1/public/lookup/", {"code": dossier.code, "secret": "0000"}, format="json")
    assert resp.status_code == 404
    assert snapshot(dossier) == before


def test_anonymous_caller_gets_401_except_on_public_endpoints(province, client_for, dossier):
    anon = client_for(None)
    before = snapshot(dossier)
    for (route, method), kind in sorted(ENDPOINTS.items()):
        for url, _action in urls_for(route, dossier.code):
            resp = call(anon, method, url, dossier.version)
            where = f"{method.upper()} {url}"
            if kind == PUBLIC:   # what each public endpoint answers to this bare call, exactly
                assert resp.status_code == PUBLIC_ANSWERS[(route, method)], (where, resp.status_code)
            elif kind == SIGNED and route == "api/v1/exchange/edxml/":   # unsigned: refused, always
                assert resp.status_code == 401 and check(resp)["code"] == "exchange_unsigned", where
            elif kind == SIGNED:    # unsigned: refused (401), or 503 while no secret is configured
                from django.conf import settings
                expected = 401 if settings.MOTCUA_DVCQG["webhook_secret"] else 503
                assert resp.status_code == expected, (where, resp.status_code)
                assert check(resp)["code"].startswith("webhook_")
            else:
                assert resp.status_code == 401, (where, resp.status_code)
                body = check(resp)
                assert body["code"] == "not_authenticated" and dossier.applicant_name not in resp.content.decode()
    assert snapshot(dossier) == before


@pytest.mark.parametrize("who", ["receiver", "specialist", "head", "leader", "clerk", "admin"])
def test_officers_of_the_agency_can_read_it(province, client_for, dossier, who):
    client = client_for(getattr(province, who))
    assert check(client.get(f"/api/v1/dossiers/{dossier.code}/"))["code"] == dossier.code
    assert check(client.get(f"/api/v1/dossiers/{dossier.code}/history/"))[0]["action"] == "submit"
    assert dossier.code in [d["code"] for d in check(client.get("/api/v1/dossiers/"))["results"]]


def test_officer_of_another_agency_may_act_on_nothing_even_holding_every_role(province, actors, dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    assert services.allowed_actions(actors["other"], d) == []
    assert not services.can_read(actors["other"], d)


def test_member_at_the_province_root_sees_the_departments_dossiers(province, client_for, dossier, django_user_model):
    """Scope is a subtree, not one agency: the province (UBND tỉnh) covers every department under it."""
    from motcua.agencies.models import Membership, Role
    from motcua.agencies.scope import actor_for, agencies_in_scope
    official = django_user_model.objects.create_user(username="ubnd_tinh", password="pw-ubnd")
    Membership.objects.create(user=official, agency=province.root, role=Role.AGENCY_LEADER)
    actor = actor_for(official)
    d = Dossier.objects.get(pk=dossier.pk)
    assert actor.covers(d.agency_path) and services.can_read(actor, d)
    assert services.get_for(actor, d.code) == d
    assert list(services.visible_dossiers(actor)) == [d]
    assert {province.sxd, province.sxd_unit, province.stp, province.centre} <= set(agencies_in_scope(actor))
    client = client_for(official)
    assert check(client.get(f"/api/v1/dossiers/{d.code}/"))["code"] == d.code
    assert [row["code"] for row in check(client.get("/api/v1/dossiers/"))["results"]] == [d.code]
    # and the department's own officers do not see upwards: nothing of the province root or a sibling
    sxd_actor = actor_for(province.receiver)
    assert not sxd_actor.covers(province.root.path) and not sxd_actor.covers(province.stp.path)


def test_a_role_covers_its_organisations_subtree_and_nothing_beside_it():
    """Actor.has_role's contract: the role held in an organisation whose subtree contains the agency."""
    from motcua.agencies.scope import Actor
    leader = Actor(user_id=1, username="ubnd", roles=frozenset({("agency_leader", "/1/")}), org_paths=("/1/",))
    assert leader.has_role("agency_leader", "/1/") and leader.has_role("agency_leader", "/1/5/23/")
    assert leader.has_role("agency_leader")                       # anywhere
    assert not leader.has_role("agency_leader", "/2/5/") and not leader.has_role("clerk", "/1/5/")
    assert not leader.has_role("agency_leader", "/10/") and not leader.covers("/10/3/")   # /1/ is not /10/
    assert leader.is_staff_member and not Actor(user_id=2, username="congdan").is_staff_member


@pytest.mark.parametrize("user", [None, "anonymous"])
def test_nobody_logged_in_is_the_anonymous_actor_who_sees_nothing(province, dossier, user):
    from django.contrib.auth.models import AnonymousUser
    from motcua.agencies.scope import actor_for
    actor = actor_for(AnonymousUser() if user == "anonymous" else None)
    assert (actor.user_id, actor.username, actor.roles, actor.org_paths) == (None, "anonymous", frozenset(), ())
    assert not actor.is_staff_member and not services.can_read(actor, dossier)
    assert not services.visible_dossiers(actor).exists()


def test_an_actor_costs_one_query_once_per_request(province, django_assert_num_queries):
    """Scope is asked for on every check of a request: one query (a unit's membership included, its parent
    organisation joined), then cached on the user object."""
    from django.contrib.auth import get_user_model
    from motcua.agencies.scope import actor_for
    user = get_user_model().objects.get(pk=province.specialist.pk)      # a fresh object: nothing cached
    with django_assert_num_queries(1):
        actor = actor_for(user)
    assert actor.org_paths == (province.sxd.path,)                       # the unit's organisation
    with django_assert_num_queries(0):
        assert actor_for(user) is actor
