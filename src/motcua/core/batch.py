"""Rows an act writes at its end, sent to the database in one statement.

Inside `deferred_inserts()`, `insert(model, objs)` keeps the rows instead of writing them; `flush()` (called
at the end of the block, inside the caller's transaction) writes them all. On PostgreSQL that is ONE
statement (each model's INSERT as a data-modifying CTE of the next), so an intake's history events,
outbox message, job row and idempotency key cost one round trip instead of four. Elsewhere (SQLite) each
model is one bulk INSERT. Either way the rows are written in the caller's transaction: a failure (an
idempotency key's unique constraint) rolls back the whole act, as before.

Only rows nobody reads back before the flush may be deferred, and only rows whose primary key is not
needed afterwards (no RETURNING). Outside `deferred_inserts()`, `insert` writes at once (bulk_create).
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, router
from django.db.models import sql

_pending = ContextVar("motcua_deferred_inserts", default=None)


class _Batch:
    def __init__(self):
        self.rows = []          # [(model, [objs])]
        self.after = []         # callables run after a successful flush

    def add(self, model, objs):
        for m, existing in self.rows:
            if m is model:
                existing.extend(objs)
                return
        self.rows.append((model, list(objs)))


@contextmanager
def deferred_inserts():
    batch = _Batch()
    token = _pending.set(batch)
    try:
        yield batch
        flush()
    finally:
        _pending.reset(token)


def insert(model, objs, after=None):
    """Write `objs` (unsaved instances of `model`) now, or at the flush inside `deferred_inserts()`.
    `after` (optional) runs once they are written."""
    objs = list(objs)
    batch = _pending.get()
    if batch is None:
        model.objects.bulk_create(objs)
        if after:
            after()
        return
    batch.add(model, objs)
    if after:
        batch.after.append(after)


def flush():
    """Write the pending rows of the current `deferred_inserts()` block (no-op outside one)."""
    batch = _pending.get()
    if batch is None or not batch.rows:
        return
    rows, after = batch.rows, batch.after
    batch.rows, batch.after = [], []
    db = router.db_for_write(rows[0][0])
    connection = connections[db]
    if connection.vendor != "postgresql" or len(rows) == 1:
        for model, objs in rows:
            model.objects.using(db).bulk_create(objs)
    else:
        statements = []
        for model, objs in rows:
            statements.append(_insert_sql(model, objs, connection, db))
        *ctes, (last_sql, last_params) = statements
        text = "WITH " + ", ".join(f"_w{i} AS ({s})" for i, (s, _p) in enumerate(ctes)) + " " + last_sql
        params = [p for _s, ps in ctes for p in ps] + list(last_params)
        with connection.cursor() as cursor:
            cursor.execute(text, params)
        for model, objs in rows:
            for obj in objs:
                obj._state.adding = False
                obj._state.db = db
    for fn in after:
        fn()


def _insert_sql(model, objs, connection, db):
    """The (sql, params) of one multi-row INSERT of `objs`, as bulk_create would send it (without RETURNING)."""
    opts = model._meta
    with_pk = [o for o in objs if o.pk is not None]
    if with_pk and len(with_pk) != len(objs):
        raise ValueError("deferred rows of one model must all have, or all lack, a primary key")
    fields = [f for f in opts.concrete_fields if not f.generated]
    if not with_pk:
        fields = [f for f in fields if f is not opts.pk]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    query = sql.InsertQuery(model)
    query.insert_values(fields, objs)
    compiler = query.get_compiler(using=db, connection=connection)
    statements = compiler.as_sql()
    if len(statements) != 1:
        raise ValueError(f"expected one INSERT statement for {opts.label}, got {len(statements)}")
    return statements[0]
