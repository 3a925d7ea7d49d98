"""Rewrites of the history that passed `verify-history` before: each is now detected.

The database refuses UPDATE and DELETE on the history table through triggers; an attacker with the
database owner's rights can lift them. These tests do exactly that, then check that verification notices.
"""
import base64
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.dossiers import checkpoints, history, services
from motcua.dossiers.models import Dossier, HistoryEvent

from ..conftest import at
from ..signing import pki as testpki

TABLE = "dossiers_historyevent"


@contextmanager
def triggers_lifted():
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS history_no_update")
            cur.execute("DROP TRIGGER IF EXISTS history_no_delete")
        else:
            cur.execute("SET session_replication_role = replica")   # the database owner's way around triggers
        yield cur
        if connection.vendor == "sqlite":
            cur.execute(f"CREATE TRIGGER history_no_update BEFORE UPDATE ON {TABLE} "
                        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;")
            cur.execute(f"CREATE TRIGGER history_no_delete BEFORE DELETE ON {TABLE} "
                        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;")
        else:
            cur.execute("SET session_replication_role = origin")


def _dossier(actors, intake_data):
    """Four events: submit, receive, forward (receiver), forward (specialist)."""
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    d = services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d = services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-02 09:00"))
    d.refresh_from_db()
    return d


def _problems(d):
    return {p["problem"] for p in history.verify_chain(d)}


def _rehash_from(d, seq):
    """What a careful attacker does after editing event `seq`: recompute every hash from there on."""
    events = list(HistoryEvent.objects.filter(dossier=d).order_by("seq"))
    prev = events[seq - 2].hash if seq > 1 else history.GENESIS
    with triggers_lifted() as cur:
        for e in events[seq - 1:]:
            new = history.chain_hash(prev, history.event_content(d.code, e))
            cur.execute(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, e.id])
            prev = new


def test_a_lived_history_verifies_clean(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    assert d.history.count() == 4
    assert history.verify_chain(d) == []
    assert list(history.verify_all()) == []


@pytest.mark.parametrize("column, value", [
    ("actor_id", "other"), ("actor_name", "'ke_gian'"), ("at", "'2026-06-01 09:30:00'"), ("action", "'approve'"),
    ("reason", "'sửa'"), ("status_before", "9"), ("status_after", "10"), ("data", "'{}'"),
    ("state_hash", "'" + "1" * 64 + "'"),
])
def test_changing_any_field_of_an_event_breaks_its_hash(province, actors, intake_data, column, value):
    d = _dossier(actors, intake_data)
    if value == "other":
        value = str(province.leader.pk)
    with triggers_lifted() as cur:
        cur.execute(f"UPDATE {TABLE} SET {column} = {value} WHERE dossier_id = %s AND seq = 2", [d.pk])
    assert {"seq": 2, "problem": "hash_mismatch"} in history.verify_chain(d)


def test_an_unknown_hash_scheme_is_refused(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    with triggers_lifted() as cur:
        cur.execute(f"UPDATE {TABLE} SET scheme = 1 WHERE dossier_id = %s AND seq = 3", [d.pk])
    assert {"seq": 3, "problem": "unknown_scheme", "scheme": 1} in history.verify_chain(d)


def test_deleting_the_last_event_is_detected(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    with triggers_lifted() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s AND seq = 4", [d.pk])
    assert _problems(d) == {"state_mismatch"}


def test_deleting_the_whole_history_is_detected(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    with triggers_lifted() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s", [d.pk])
    assert _problems(d) == {"no_history"}
    assert [(code, [p["problem"] for p in ps]) for code, ps in history.verify_all()] == [(d.code, ["no_history"])]


@pytest.mark.parametrize("change", [{"status": 10}, {"due_at": at("2026-07-01 17:00")}, {"applicant_name": "Người khác"},
                                    {"version": 99}, {"agency": "stp"}])
def test_changing_the_dossier_row_against_its_history_is_detected(province, actors, intake_data, change):
    d = _dossier(actors, intake_data)
    if change.get("agency") == "stp":
        change = {"agency": province.stp}
    Dossier.objects.filter(pk=d.pk).update(**change)
    # reported at the last event, whose recorded state the row no longer matches
    assert history.verify_chain(d) == [{"seq": 4, "problem": "state_mismatch"}]


def test_removing_an_event_and_rehashing_the_next_breaks_the_sequence(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    with triggers_lifted() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s AND seq = 2", [d.pk])
    _rehash_from_seq3_onto_1(d)
    assert _problems(d) == {"gap_or_reorder"}


def _rehash_from_seq3_onto_1(d):
    events = list(HistoryEvent.objects.filter(dossier=d).order_by("seq"))   # seq 1, 3, 4
    prev = events[0].hash
    with triggers_lifted() as cur:
        for e in events[1:]:
            new = history.chain_hash(prev, history.event_content(d.code, e))
            cur.execute(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, e.id])
            prev = new


# ---------------------------------------------------------------- checkpoints

@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    p = testpki.start_pki(tmp_path_factory.mktemp("history-pki"))
    yield p
    p.server.shutdown()


@pytest.fixture
def anchored(settings, tmp_path, tsa):
    settings.MOTCUA_HISTORY_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.MOTCUA_HISTORY_CHECKPOINT_KEY = tmp_path / "keys" / "checkpoint.pem"
    settings.MOTCUA_HISTORY_TSA_URL = tsa.tsa_url
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(tsa.root_pem_path)]
    return settings.MOTCUA_HISTORY_CHECKPOINT_DIR


def test_rewrite_and_rehash_passes_the_chain_but_not_the_checkpoint(province, actors, intake_data, anchored, capsys):
    d = _dossier(actors, intake_data)
    path = checkpoints.make_checkpoint()
    record = json.loads(path.read_text())
    assert record["body"]["heads"] == [[d.code, 4, d.history.order_by("-seq").first().hash]]
    assert record["timestamp_token"]
    with triggers_lifted() as cur:
        cur.execute(f"UPDATE {TABLE} SET reason = 'đã sửa' WHERE dossier_id = %s AND seq = 2", [d.pk])
    _rehash_from(d, 2)
    assert history.verify_chain(d) == []            # the chain alone is fooled ...
    anchors, problems = checkpoints.load_anchors()
    assert problems == []
    assert {p["problem"] for p in history.verify_chain(d, anchors)} == {"checkpoint_head"}   # ... the anchor is not
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_history", "--quiet")
    assert exit_.value.code == 1
    assert f"BROKEN {d.code}" in capsys.readouterr().out


def test_removing_anchored_events_is_detected(province, actors, intake_data, anchored):
    d = _dossier(actors, intake_data)
    checkpoints.make_checkpoint()
    with triggers_lifted() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE dossier_id = %s AND seq >= 3", [d.pk])
    Dossier.objects.filter(pk=d.pk).update(version=2, current_step=1)   # row made to match event 2
    d.refresh_from_db()
    anchors, _ = checkpoints.load_anchors()
    problems = history.verify_chain(d, anchors)
    assert {"seq": 2, "problem": "checkpoint_count", "expected_at_least": 4} in problems


def test_checkpoints_are_incremental_and_chained(province, actors, intake_data, anchored, capsys):
    a = _dossier(actors, intake_data)
    first = checkpoints.make_checkpoint()
    assert checkpoints.make_checkpoint() is None          # nothing changed since
    b, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-03 08:00"))
    second = json.loads(checkpoints.make_checkpoint().read_text())
    first_body = json.loads(first.read_text())["body"]
    assert second["body"]["number"] == 2 and second["body"]["previous"] == checkpoints.body_digest(first_body)
    codes = [h[0] for h in second["body"]["heads"]]
    assert b.code in codes                                # the new chain is anchored (a is only re-listed
    anchors, problems = checkpoints.load_anchors()        # because of the look-back window)
    assert problems == [] and set(anchors) == {a.code, b.code}
    call_command("verify_history", "--quiet")
    assert "2 of 2 dossier histories intact" in capsys.readouterr().out


def test_a_checkpoint_file_that_was_edited_or_removed_is_reported(province, actors, intake_data, anchored):
    _dossier(actors, intake_data)
    first = checkpoints.make_checkpoint()
    services.intake(actors["receiver"], intake_data, now=at("2026-06-03 08:00"))
    second = checkpoints.make_checkpoint()
    checkpoints.make_checkpoint(full=True)
    record = json.loads(second.read_text())
    record["body"]["heads"][0][1] = 1                     # claim a shorter chain
    second.write_text(json.dumps(record))
    problems = {p["problem"] for p in checkpoints.load_anchors()[1]}
    assert {"checkpoint_digest_mismatch", "checkpoint_chain_broken"} <= problems
    first.unlink()
    assert "checkpoint_missing_or_reordered" in {p["problem"] for p in checkpoints.load_anchors()[1]}


def test_a_checkpoint_re_signed_with_another_key_is_reported(province, actors, intake_data, anchored, tmp_path,
                                                              settings):
    _dossier(actors, intake_data)
    path = checkpoints.make_checkpoint()
    settings.MOTCUA_HISTORY_CHECKPOINT_KEY = tmp_path / "keys" / "attacker.pem"
    checkpoints.signing_key()
    record = json.loads(path.read_text())
    assert {p["problem"] for p in checkpoints.load_anchors()[1]} >= {"checkpoint_foreign_key",
                                                                      "checkpoint_signature_invalid"}
    assert record["signature"]


def test_a_timestamp_from_an_untrusted_authority_is_reported(province, actors, intake_data, anchored, settings):
    _dossier(actors, intake_data)
    checkpoints.make_checkpoint()
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []              # the TSA's root is no longer trusted
    assert [p["problem"] for p in checkpoints.load_anchors()[1]] == ["timestamp_untrusted"]


def test_a_token_over_other_data_is_refused(province, actors, intake_data, anchored):
    _dossier(actors, intake_data)
    path = checkpoints.make_checkpoint()
    record = json.loads(path.read_text())
    token = base64.b64decode(record["timestamp_token"])
    with pytest.raises(checkpoints.CheckpointError) as err:
        checkpoints.check_timestamp(token, b"\x00" * 32)
    assert err.value.code in ("timestamp_invalid", "timestamp_untrusted")


def test_no_checkpoint_is_written_when_the_tsa_is_down(province, actors, intake_data, anchored, settings):
    _dossier(actors, intake_data)
    settings.MOTCUA_HISTORY_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(checkpoints.CheckpointError) as err:
        checkpoints.make_checkpoint()
    assert err.value.code == "tsa_unavailable"
    assert not anchored.exists() or not list(anchored.glob("checkpoint-*.json"))
