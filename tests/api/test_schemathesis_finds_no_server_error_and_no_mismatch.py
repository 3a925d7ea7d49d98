"""Schemathesis against the served schema (/api/v1/schema/ of a live server on the test database): generated
requests to every operation, authenticated with an officer's token so the protected operations run too.
Zero server errors and zero answers that differ from the schema (status, content type, body).

Bounded for CI: MOTCUA_SCHEMATHESIS_EXAMPLES examples per operation (default 8) and MOTCUA_SCHEMATHESIS_SECONDS
for the whole run (default 90). Runs on the embedded SQLite database only (CI runs the suite a second time on
PostgreSQL, where this would only double the time; a NUL or an out-of-range number is refused before the
database either way). A larger local run:

    MOTCUA_SCHEMATHESIS_EXAMPLES=100 MOTCUA_SCHEMATHESIS_SECONDS=1200 ./run test tests/api/test_schemathesis*
"""
import os
import shutil
import subprocess
import sys
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from motcua.agencies.tokens import issue as issue_token

from motcua.dossiers import services
from motcua.indicators import services as indicators

EXAMPLES = int(os.environ.get("MOTCUA_SCHEMATHESIS_EXAMPLES", "8"))
SECONDS = int(os.environ.get("MOTCUA_SCHEMATHESIS_SECONDS", "90"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ST = Path(sys.executable).with_name("st")


@pytest.fixture
def live(live_server):
    """As tests/web's: after the test the history rows go on SQLite so the transactional flush can run."""
    yield live_server
    if connection.vendor == "sqlite":
        from importlib import import_module
        m = import_module("motcua.dossiers.migrations.0002_history_append_only")
        with connection.cursor() as cur:
            cur.execute("DROP TRIGGER IF EXISTS history_no_delete")
            cur.execute(f"DELETE FROM {m.TABLE}")
            cur.execute(m.SQLITE[1])


def test_generated_requests_find_no_server_error_and_no_schema_mismatch(live, province, actors, intake_data,
                                                                           settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("schemathesis runs on the embedded SQLite database (CI's first pass)")
    if not ST.exists() and not shutil.which("st"):
        pytest.fail("schemathesis is missing: pip install -r requirements-test.txt")
    settings.MEDIA_ROOT = tmp_path / "media"
    # A province that takes DVCQG webhooks (unconfigured, the endpoint answers 503 by design)
    settings.MOTCUA_DVCQG = {**settings.MOTCUA_DVCQG, "webhook_secret": "bi-mat-thu-nghiem"}
    d, _ = services.intake(actors["receiver"], intake_data)
    plan = indicators.create_plan(actors["leader"], agency_code=province.sxd.code, year=2026, title="Kế hoạch")
    indicators.add_task(actors["leader"], plan.pk, title="Rà soát", deadline=date(2026, 9, 30))
    ins = indicators.record_inspection(actors["leader"], agency_code=province.sxd.code,
                                       inspected_on=date(2026, 5, 20), inspector="Đoàn kiểm tra")
    indicators.add_finding(actors["leader"], ins.pk, description="Tồn tại", follow_up="Khắc phục",
                           due=date(2026, 6, 30))
    token = issue_token(province.receiver)
    # The schema the server serves, fetched once (its generation can take longer than schemathesis waits).
    served = tmp_path / "served-openapi.yaml"
    with urllib.request.urlopen(f"{live.url}/api/v1/schema/", timeout=120) as resp:
        served.write_bytes(resp.read())
    cmd = [str(ST if ST.exists() else shutil.which("st")), "run", str(served), "--url", live.url,
           "--header", f"Authorization: Token {token}", "--checks", CHECKS,
           "--max-examples", str(EXAMPLES), "--max-time", str(SECONDS), "--seed", "8",
           "--workers", "1", "--request-timeout", "30", "--no-color", "--warnings", "off",
           "--report", "junit", "--report-dir", str(tmp_path)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 120, cwd=tmp_path,
                         env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    out = run.stdout + run.stderr
    summary = out[out.rfind("SUMMARY"):] if "SUMMARY" in out else out[-3000:]
    print(out[-6000:])
    assert run.returncode == 0, f"schemathesis found failures (exit {run.returncode}):\n{out[-12000:]}"
    assert "Tested:" in summary, summary
