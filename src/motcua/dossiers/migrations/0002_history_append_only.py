"""Database-level guard: the history table refuses UPDATE and DELETE of rows, whatever code path tries.
(TRUNCATE is left to the database's privileges: production roles should not hold it.)"""
from django.db import migrations

TABLE = "dossiers_historyevent"

SQLITE = [
    f"CREATE TRIGGER history_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
    f"CREATE TRIGGER history_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS history_no_update;", "DROP TRIGGER IF EXISTS history_no_delete;"]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION motcua_history_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'history is append-only'; END; $$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER history_no_update BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION motcua_history_append_only();",
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS history_no_update ON {TABLE};",
                 "DROP FUNCTION IF EXISTS motcua_history_append_only();"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})),
    ]
