"""An intake through the API with the enqueue: a bounded number of SQL statements (a query count, not a
timing), and everything it promises still written in its one transaction: the history chain, the outbox
message, the job row exactly as django-tasks-db writes it, the idempotency key. A repeat that fails
writes none of them."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from rest_framework.test import APIClient

from motcua.agencies import tokens
from motcua.dossiers import history
from motcua.dossiers.models import Dossier, HistoryEvent, IdempotentRequest
from motcua.integrations.models import MessageState, OutboxMessage

from ..conftest import INTAKE
from .conftest import drain

# token, memberships (with the receiving organisations), BEGIN, daily number, dossier, components, steps,
# then on PostgreSQL one statement for history + outbox + job + idempotency key, COMMIT.
# SQLite has no data-modifying CTE: those four are separate INSERTs there.
MAX_STATEMENTS = {"postgresql": 9, "sqlite": 12}


def _post(client, body, key):
    return client.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_intake_statements_are_bounded_and_every_row_is_written(province, dvcqg):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(province.receiver)}")
    assert _post(client, INTAKE, "warm-up-0001").status_code == 201    # per-process caches warm
    with CaptureQueriesContext(connection) as ctx:
        resp = _post(client, INTAKE, "dem-cau-lenh-0001")
    assert resp.status_code == 201, resp.content
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) <= MAX_STATEMENTS[connection.vendor], "\n".join(s[:120] for s in statements)
    assert not [s for s in statements if 'FROM "agencies_agency"' in s], \
        "the receiving organisations come with the actor's memberships"

    dossier = Dossier.objects.get(code=resp.json()["code"])
    events = list(HistoryEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [e.action for e in events] == ["submit", "receive"]
    assert history.verify_chain(dossier) == []
    msg = OutboxMessage.objects.get(dossier=dossier)
    assert (msg.seq, msg.action, msg.state, msg.integration) == (2, "receive", MessageState.PENDING, "dvcqg")
    job = DBTaskResult.objects.get(args_kwargs={"args": ["dvcqg", dossier.pk], "kwargs": {}})
    assert job.status == TaskResultStatus.READY and job.run_after == get_date_max()   # no delay, as enqueue()
    assert job.task_path == "motcua.integrations.tasks.deliver_dossier" and job.backend_name == "default"
    assert IdempotentRequest.objects.get(key="dem-cau-lenh-0001").dossier == dossier

    # the same key with another body: the repeat's rows (its history, message, job) roll back with it
    counts = (Dossier.objects.count(), HistoryEvent.objects.count(), OutboxMessage.objects.count(),
              DBTaskResult.objects.count())
    again = _post(client, dict(INTAKE, applicant_name="Trần Thị Bình"), "dem-cau-lenh-0001")
    assert again.status_code == 409 and again.json()["code"] == "idempotency_key_reused"
    assert (Dossier.objects.count(), HistoryEvent.objects.count(), OutboxMessage.objects.count(),
            DBTaskResult.objects.count()) == counts

    # the job written that way is run by the worker and delivers the message
    drain()
    msg.refresh_from_db()
    assert msg.state == MessageState.DELIVERED
