"""The history's hash scheme 2 is a contract: checkpoints anchor its hashes and anyone holding an export can
recompute them. The expected values below are written out by hand from the documented scheme (sha256 of the
previous hash followed by the canonical JSON: sorted keys, no spaces, UTF-8 text as is, times in UTC with
microseconds), not computed with the code under test, so a changed key, order, format or a field left out of
the hash fails here even though the code would still agree with itself."""
import hashlib
from datetime import datetime

from motcua.dossiers import history
from motcua.dossiers.models import Dossier, Status
from motcua.worktime import TZ


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_an_event_hash_is_sha256_of_the_previous_hash_and_the_canonical_json_of_every_field():
    stub = Dossier(id=1, code="000.00.10.H13-260601-0001")
    at = datetime(2026, 6, 1, 8, 0, 5, 123, tzinfo=TZ)           # 01:00:05.000123 UTC
    e = history.build_event(stub, seq=2, prev_hash="a" * 64, at=at, actor_id=7, actor_name="Nguyễn Văn Á",
                            action="return_step", reason="Thiếu bản vẽ", status_before=3, status_after=4,
                            data={"step": 1, "to": "chuyên viên"},
                            state={"status": 4, "code": "000.00.10.H13-260601-0001"})
    state_hash = sha256('{"code":"000.00.10.H13-260601-0001","status":4}')
    content = ('{"action":"return_step","actor":"Nguyễn Văn Á","actor_id":7,"after":4,'
               '"at":"2026-06-01T01:00:05.000123+00:00","before":3,"data":{"step":1,"to":"chuyên viên"},'
               '"dossier":"000.00.10.H13-260601-0001","reason":"Thiếu bản vẽ","scheme":2,"seq":2,'
               f'"state":"{state_hash}"}}')
    assert e.state_hash == state_hash
    assert e.hash == sha256("a" * 64 + content)
    # and the row stores what was hashed
    assert (e.seq, e.prev_hash, e.at, e.actor_id, e.actor_name, e.action, e.reason, e.status_before, e.status_after,
            e.data, e.scheme) == (2, "a" * 64, at, 7, "Nguyễn Văn Á", "return_step", "Thiếu bản vẽ", 3, 4,
                                  {"step": 1, "to": "chuyên viên"}, 2)
    assert history.verify_events(stub.code, [e]) == [{"seq": 2, "problem": "gap_or_reorder", "expected_seq": 1},
                                                      {"seq": 2, "problem": "prev_hash_mismatch"}]


def test_an_empty_reason_and_data_are_hashed_as_empty_text_and_object():
    stub = Dossier(id=1, code="X-1")
    at = datetime(2026, 6, 1, 7, 0, tzinfo=TZ)
    e = history.build_event(stub, seq=1, prev_hash=history.GENESIS, at=at, actor_id=None, actor_name="Hệ thống",
                            action="submit", reason=None, data=None, state={})
    content = ('{"action":"submit","actor":"Hệ thống","actor_id":null,"after":null,'
               '"at":"2026-06-01T00:00:00.000000+00:00","before":null,"data":{},"dossier":"X-1","reason":"",'
               f'"scheme":2,"seq":1,"state":"{sha256("{}")}"}}')
    assert e.hash == sha256("0" * 64 + content)
    assert (e.reason, e.data) == ("", {})
    assert history.verify_events("X-1", [e]) == []


def test_the_state_digest_covers_the_row_as_plain_json_values(province, actors, intake_data):
    from motcua.dossiers import services
    from tests.conftest import at
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    d = Dossier.objects.get(pk=d.pk)
    state = history.state_of(d)
    assert list(state) == list(history.STATE_FIELDS)
    assert {k: state[k] for k in ("code", "procedure_id", "agency_id", "intake_agency_id", "channel", "status",
                                  "version", "applicant_name", "request", "owner_id", "received_at", "due_at",
                                  "statutory_minutes", "paused_since", "timing", "current_step", "current_role",
                                  "fee_total")} == {
        "code": d.code, "procedure_id": d.procedure_id, "agency_id": province.sxd.pk,
        "intake_agency_id": province.sxd.pk, "channel": 1, "status": Status.RECEIVED, "version": 1,
        "applicant_name": "Nguyễn Văn An", "request": "Cấp phép nhà ở", "owner_id": None,
        "received_at": "2026-06-01T01:00:00.000000+00:00", "due_at": "2026-06-04T01:00:00.000000+00:00",
        "statutory_minutes": 1440, "paused_since": None, "timing": "", "current_step": 1,
        "current_role": "receiving_officer", "fee_total": 150000}
    assert type(state["status"]) is int and type(state["agency_id"]) is int    # plain ints, not enum members
    assert d.history.order_by("-seq").first().state_hash == sha256(history.canonical(state))
