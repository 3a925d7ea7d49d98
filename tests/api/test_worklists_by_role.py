"""?list= worklists: each shows the dossiers whose next act is the caller's, by role and scope."""
import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Status

from ..conftest import INTAKE, at, attach_result
from .schema_check import check


@pytest.fixture
def board(province, actors):
    """One dossier waiting at each point of the process (Sở Xây dựng)."""
    def counter(**extra):
        d, _r = services.intake(actors["receiver"], dict(INTAKE, **extra))
        return d

    def step(d, who, action, **kw):
        d.refresh_from_db()
        services.TRANSITIONS[action](actors[who], d.code, version=d.version, **kw)
        d.refresh_from_db()
        return d

    b = {}
    b["new"], _r = services.intake(actors["citizen"], dict(INTAKE, channel=2))
    b["received"] = counter()
    b["at_specialist"] = step(counter(), "receiver", "forward")
    b["assigned"] = step(counter(), "receiver", "forward", assignee="chuyenvien")
    b["at_leader"] = step(step(counter(), "receiver", "forward"), "specialist", "forward")

    def approved():
        return step(step(step(counter(), "receiver", "forward"), "specialist", "forward"), "leader", "approve")
    b["approved"] = approved()
    to_finish = approved()
    attach_result(actors["clerk"], to_finish.code)
    b["finished"] = step(to_finish, "clerk", "mark_result_ready")
    b["paused"] = step(counter(), "receiver", "request_supplement", reason="Thiếu", components=["Bản vẽ"])
    b["overdue"], _r = services.intake(actors["receiver"], dict(INTAKE), now=at("2026-01-05 08:00"))
    assert b["finished"].status == Status.FINISHED and b["overdue"].received_at is not None
    return {k: v.code for k, v in b.items()}


EXPECTED = {
    # (list, who): the board entries it shows
    ("to_receive", "receiver"): {"new"},
    ("to_receive", "specialist"): set(),
    ("to_receive", "other"): set(),
    ("to_process", "receiver"): {"received", "overdue"},
    ("to_process", "specialist"): {"at_specialist", "assigned"},
    ("to_process", "leader"): {"at_leader", "approved"},
    ("to_process", "clerk"): {"approved"},
    ("to_process", "other"): set(),
    ("to_approve", "leader"): {"at_leader"},
    ("to_approve", "head"): set(),
    ("to_approve", "specialist"): set(),
    ("to_approve", "other"): set(),
    ("to_return", "receiver"): {"finished"},
    ("to_return", "clerk"): {"finished"},
    ("to_return", "specialist"): set(),
    ("to_return", "other"): set(),
    ("paused", "specialist"): {"paused"},
    ("paused", "other"): set(),
    ("overdue", "head"): {"overdue"},
    ("overdue", "other"): set(),
    ("assigned_to_me", "specialist"): {"assigned"},
    ("assigned_to_me", "head"): set(),
    ("assigned_to_me", "receiver"): set(),
    ("assigned_to_me", "other"): set(),
}


@pytest.mark.parametrize("name, who", sorted(EXPECTED))
def test_worklist_shows_what_waits_for_the_caller(province, client_for, board, name, who):
    body = check(client_for(getattr(province, who)).get(f"/api/v1/dossiers/?list={name}"))
    by_code = {code: key for key, code in board.items()}
    assert {by_code[d["code"]] for d in body["results"]} == EXPECTED[(name, who)]
    assert body["count"] == len(EXPECTED[(name, who)])


def test_citizen_sees_only_own_dossiers(province, client_for, board):
    body = check(client_for(province.citizen).get("/api/v1/dossiers/"))
    assert [d["code"] for d in body["results"]] == [board["new"]]


def test_unknown_worklist_is_422(province, client_for):
    resp = client_for(province.receiver).get("/api/v1/dossiers/?list=everything")
    assert resp.status_code == 422
    body = check(resp)
    assert body["code"] == "invalid_worklist" and "to_receive" in body["details"]["allowed"]
