"""DVCQG over real HTTP against the simulator: both ways of authenticating, every kind of bad answer
(retried with a clear reason, never a crash, never lost), the field rules and the progress chunks."""
import pytest

from motcua.dossiers import services
from motcua.integrations import delivery
from motcua.integrations.models import MessageState, OutboxMessage
from motcua.integrations.portal.base import Permanent, Transient
from motcua.integrations.portal.contrib.dvcqg import spec
from motcua.integrations.portal.contrib.dvcqg.client import Client, Config
from motcua.integrations.portal.contrib.dvcqg.plugin import DvcqgPlugin
from motcua.integrations.worker import run_jobs

from ..conftest import at
from .conftest import drain, point_at, states

S = MessageState


def _intake(actors, intake_data, when="2026-06-01 08:00"):
    return services.intake(actors["receiver"], intake_data, now=at(when))[0]


def test_bearer_token_is_cached_and_a_401_refreshes_it_once(dvcqg, actors, intake_data):
    d = _intake(actors, intake_data)
    drain()
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    drain()
    assert dvcqg.state.token_requests == 1          # one token for both deliveries
    dvcqg.expire_tokens()                           # the gateway forgets it: next call gets 401
    services.forward(actors["specialist"], d.code, now=at("2026-06-01 10:00"))
    drain()
    assert dvcqg.state.token_requests == 2
    assert states(d) == [(2, S.DELIVERED), (3, S.DELIVERED), (4, S.DELIVERED)]
    assert OutboxMessage.objects.get(seq=4).attempts == 1    # refreshed and retried inside one attempt


def test_token_endpoint_that_says_no_is_retried_with_the_reason(dvcqg, actors, intake_data):
    dvcqg.state.refuse_tokens = True
    _intake(actors, intake_data)
    run_jobs()
    m = OutboxMessage.objects.get()
    assert m.state in (S.RETRYING, S.DEAD) and "token_refused" in m.last_error and "invalid_client" in m.last_error
    dvcqg.state.refuse_tokens = False
    delivery.resend(OutboxMessage.objects.all())    # if it went dead meanwhile (fast test back-off)
    drain()
    assert OutboxMessage.objects.get().state == S.DELIVERED


def test_classic_adapter_session_login(settings, dvcqg, actors, intake_data):
    point_at(settings, dvcqg, auth="session")
    d = _intake(actors, intake_data)
    drain()
    dvcqg.expire_tokens()                          # session expired: error_code -401, one re-login
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    drain()
    assert states(d) == [(2, S.DELIVERED), (3, S.DELIVERED)]
    assert dvcqg.state.token_requests == 2
    calls = [r for r in dvcqg.state.received if r["service"] == "DongBoHoSoMC" and r["applied"]]
    assert calls[0]["params"] == {"MaDinhDanhDV": "000.00.17.H13", "isUpdating": "False"}
    assert calls[1]["params"]["isUpdating"] == "True"


def test_wrong_adapter_password_is_a_clear_retryable_reason(settings, dvcqg, actors, intake_data):
    point_at(settings, dvcqg, auth="session", password="wrong")
    _intake(actors, intake_data)
    run_jobs()
    m = OutboxMessage.objects.get()
    assert m.state != S.DELIVERED and "token_refused" in m.last_error


@pytest.mark.parametrize("mode, reason", [("html", "html_answer"), ("garbage", "garbage_answer"),
                                          ("truncated", "connection_broken"), ("500", "http_500"),
                                          ("down", "connection"), ("slow", "timeout")])
def test_bad_answers_are_retried_then_delivered_exactly_once(settings, dvcqg, actors, intake_data, mode, reason):
    point_at(settings, dvcqg, timeout=0.3)
    Client()._credential()              # token first: the bad answer hits the service call itself
    dvcqg.mode(mode, times=1, slow_seconds=1.0)
    d = _intake(actors, intake_data)
    run_jobs()
    first = OutboxMessage.objects.get()
    assert first.attempts >= 1
    drain()
    m = OutboxMessage.objects.get()
    assert m.state == S.DELIVERED
    assert reason in m.last_error          # the reason of the failed attempt stays visible
    assert dvcqg.state.dossiers[d.code]["statuses"] == ["2"]


def test_tls_error_is_a_clear_retryable_reason(settings, dvcqg):
    point_at(settings, dvcqg, url=dvcqg.url.replace("http://", "https://"))
    with pytest.raises(Transient) as exc:
        Client().call("LayDanhSachHoSoMoi", {}, {})
    assert exc.value.code in ("tls_error", "connection_failed", "connection_broken")
    assert "TLS" in exc.value.reason or "SSL" in exc.value.reason or "kết nối" in exc.value.reason


def test_progress_goes_in_chunks_of_ten_and_the_simulator_refuses_eleven(dvcqg, actors, intake_data):
    d = _intake(actors, intake_data)
    for day in range(2, 7):
        services.request_supplement(actors["receiver"], d.code, reason="Thiếu", components=["Bản vẽ"],
                                    now=at(f"2026-06-0{day} 09:00"))
        services.supplement_received(actors["receiver"], d.code, now=at(f"2026-06-0{day} 10:00"))
    last = OutboxMessage.objects.order_by("-seq").first()
    assert last.seq == 12
    DvcqgPlugin().deliver(last)          # a first sync of a dossier with 12 events
    sizes = [len(r["data"]) for r in dvcqg.state.received if r["service"] == "CapNhatTienDoHoSoMC"]
    assert sizes == [10, 2]
    assert len(dvcqg.state.dossiers[d.code]["progress"]) == 12
    item = dict(dvcqg.state.dossiers[d.code]["progress"][0])
    with pytest.raises(Permanent) as exc:
        Client().call("CapNhatTienDoHoSoMC", [item] * 11, {"MaDinhDanhDV": "000.00.17.H13"}, message_id="x")
    assert "Tối đa 10" in exc.value.reason


def test_simulator_checks_field_rules_and_deduplicates(dvcqg, actors, intake_data):
    d = _intake(actors, intake_data)
    drain()
    item = dict(dvcqg.state.dossiers[d.code]["item"])
    client = Client()
    params = {"MaDinhDanhDV": "000.00.17.H13", "isUpdating": "True"}
    for field, value, problem in [("NgayNopHoSo", "2026-06-01", "date_format_yyyyMMddHHmmss"),
                                  ("TrangThaiHoSo", "11", "invalid_code"), ("TrangThaiHoSo", 2, "not_a_string"),
                                  ("TrichYeuHoSo", "x" * 1001, "longer_than_1000"), ("MaTTHC", "", "required"),
                                  ("KenhThucHien", "4", "invalid_code")]:
        with pytest.raises(Permanent) as exc:
            client.call("DongBoHoSoMC", [{**item, field: value}], params)
        assert field in exc.value.reason and problem in exc.value.reason
    client.call("DongBoHoSoMC", [item], params, message_id="m-1")
    client.call("DongBoHoSoMC", [item], params, message_id="m-1")
    assert dvcqg.state.duplicates == 1
    assert dvcqg.state.dossiers[d.code]["statuses"] == ["2", "2"]   # the delivery + m-1 once


def test_client_clips_to_the_documented_limits(dvcqg, actors, intake_data):
    intake_data["request"] = "Nội dung " * 300      # > 1000 characters
    _intake(actors, intake_data)
    drain()
    item = next(iter(dvcqg.state.dossiers.values()))["item"]
    assert len(item["TrichYeuHoSo"]) == 1000
    assert not spec.check(item, spec.DOSSIER_FIELDS)


def test_config_without_url_is_retried_not_crashed(settings, dvcqg, actors, intake_data):
    point_at(settings, dvcqg, url="")
    assert Config.from_settings().url == ""
    _intake(actors, intake_data)
    run_jobs()
    m = OutboxMessage.objects.get()
    assert m.state in (S.RETRYING, S.DEAD) and "not_configured" in m.last_error
