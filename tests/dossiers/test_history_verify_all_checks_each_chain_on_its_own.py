"""`verify_all` (what `motcua verify_history` runs) walks every dossier and the events of the whole table in
one pass: each dossier must be checked against its own events only, in sequence order, and every problem
must be reported under the right dossier, whatever the order the acts on different dossiers came in."""
from motcua.dossiers import history, services
from motcua.dossiers.models import Dossier, HistoryEvent

from ..conftest import at
from .test_history_tampering_is_detected import TABLE, triggers_lifted


def _interleaved(actors, intake_data):
    """Three dossiers whose events are interleaved in the table: a1 b1 c1 a2 c2 b2 a3."""
    r, s = actors["receiver"], actors["specialist"]
    a, _ = services.intake(r, intake_data, now=at("2026-06-01 08:00"))
    b, _ = services.intake(r, intake_data, now=at("2026-06-01 08:10"))
    c, _ = services.intake(r, intake_data, now=at("2026-06-01 08:20"))
    a = services.forward(r, a.code, version=a.version, now=at("2026-06-01 09:00"))
    c = services.forward(r, c.code, version=c.version, now=at("2026-06-01 09:10"))
    b = services.forward(r, b.code, version=b.version, now=at("2026-06-01 09:20"))
    a = services.forward(s, a.code, version=a.version, now=at("2026-06-02 09:00"))
    return [Dossier.objects.get(pk=x.pk) for x in (a, b, c)]


def _found(**kwargs):
    return [(code, [p["problem"] for p in problems]) for code, problems in history.verify_all(**kwargs)]


def test_interleaved_histories_all_verify_clean_in_any_batch_size(province, actors, intake_data):
    a, b, c = _interleaved(actors, intake_data)
    assert [a.history.count(), b.history.count(), c.history.count()] == [4, 3, 3]
    seen = []
    assert _found(progress=seen.append) == []
    assert seen == [1, 1, 1]                       # one tick per dossier
    assert _found(batch_size=1) == []


def test_only_the_broken_dossiers_are_reported_in_dossier_order(province, actors, intake_data):
    a, b, c = _interleaved(actors, intake_data)
    with triggers_lifted() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s AND seq = 3", [b.pk])   # b's last event
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s", [c.pk])               # c's whole history
    assert _found() == [(b.code, ["state_mismatch"]), (c.code, ["no_history"])]
    assert _found(batch_size=1) == [(b.code, ["state_mismatch"]), (c.code, ["no_history"])]
    assert history.verify_chain(a) == []


def test_each_chain_is_read_in_sequence_order_whatever_order_its_rows_were_stored_in(province, actors, intake_data):
    a, b, c = _interleaved(actors, intake_data)
    events = list(HistoryEvent.objects.filter(dossier=a).order_by("seq").values())
    columns = [k for k in events[0] if k != "id"]
    with triggers_lifted() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s", [a.pk])
        for e in reversed(events):                 # stored again last event first (new ids, descending seq)
            e["data"] = HistoryEvent._meta.get_field("data").get_db_prep_value(e["data"], cur.db)
            cur.execute(f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                        [e[k] for k in columns])
    assert history.verify_chain(a) == []
    assert _found() == []


def test_checkpoint_anchors_are_checked_per_dossier_and_a_vanished_one_is_reported(province, actors, intake_data):
    a, b, c = _interleaved(actors, intake_data)
    b_head = b.history.order_by("-seq").first().hash
    anchors = {
        a.code: (2, "f" * 64),                  # a's second event is not the one anchored
        b.code: (3, b_head),                    # b's head is the anchored one: intact
        c.code: (5, "e" * 64),                  # c was anchored with 5 events and has 3
        "H99.99-260601-9999": (1, "d" * 64),    # anchored, no longer in the database
    }
    found = list(history.verify_all(anchors=anchors))
    assert found == [
        (a.code, [{"seq": 2, "problem": "checkpoint_head"}]),
        (c.code, [{"seq": 3, "problem": "checkpoint_count", "expected_at_least": 5}]),
        ("H99.99-260601-9999", [{"seq": 0, "problem": "dossier_missing"}]),
    ]
    assert anchors == {a.code: (2, "f" * 64), b.code: (3, b_head), c.code: (5, "e" * 64),
                       "H99.99-260601-9999": (1, "d" * 64)}     # the caller's anchors are not consumed
