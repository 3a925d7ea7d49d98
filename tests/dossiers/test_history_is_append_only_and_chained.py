"""The history cannot be altered through the ORM or SQL, and any tampering is detected."""
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from motcua.dossiers import history, services
from motcua.dossiers.models import HistoryEvent

from ..conftest import at


def _dossier(actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    return d


def test_orm_refuses_update_and_delete(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    event = d.history.first()
    event.reason = "sửa"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.parametrize("sql", ["UPDATE dossiers_historyevent SET reason = 'x'", "DELETE FROM dossiers_historyevent"])
def test_database_refuses_update_and_delete(province, actors, intake_data, sql):
    _dossier(actors, intake_data)
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert HistoryEvent.objects.count() == 3


def test_each_event_links_to_the_previous_hash(province, actors, intake_data):
    d = _dossier(actors, intake_data)
    events = list(d.history.order_by("seq"))
    assert events[0].prev_hash == history.GENESIS
    for prev, cur in zip(events, events[1:]):
        assert cur.prev_hash == prev.hash
    assert len({e.hash for e in events}) == len(events)


def test_tampering_is_detected(province, actors, intake_data, capsys):
    d = _dossier(actors, intake_data)
    events = list(d.history.order_by("seq"))
    assert history.verify_chain(d) == []
    # Simulate an attacker editing a stored event (in memory: the DB itself refuses the update).
    events[1].reason = "đã bị sửa"
    problems = history.verify_events(d.code, events)
    assert {"seq": 2, "problem": "hash_mismatch"} in problems
    # Removing an event breaks the chain after it.
    problems = history.verify_events(d.code, [events[0], events[2]])
    assert any(p["problem"] == "prev_hash_mismatch" for p in problems)


def test_verify_history_command_reports_intact_chains(province, actors, intake_data, capsys):
    _dossier(actors, intake_data)
    _dossier(actors, intake_data)
    call_command("verify_history", "--quiet")
    assert "2 of 2 dossier histories intact" in capsys.readouterr().out


def test_an_online_filing_starts_its_chain_with_one_submit_event(province, actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=2), now=at("2026-06-01 07:00"))
    events = list(HistoryEvent.objects.filter(dossier=d).order_by("seq"))
    assert [(e.seq, e.action, e.prev_hash, e.status_after) for e in events] == [(1, "submit", history.GENESIS, 1)]
    assert history.verify_chain(d) == []
