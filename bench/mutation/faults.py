"""Hand-placed realistic faults in the core, each put in alone into a copy of the project and checked
against the tests that should catch it (issue 17's measurement, repeatable).

    .venv/bin/python bench/mutation/faults.py            # every fault
    .venv/bin/python bench/mutation/faults.py scope      # the faults whose name contains "scope"
    .venv/bin/python bench/mutation/faults.py --list

A fault is (name, file, the exact text it replaces, the faulty text, tests to run). The text must occur
exactly once in the file: a fault that no longer applies (the code moved) is reported as STALE, not as
killed. The copy lives in a temporary folder, so the work tree is never touched; pytest's `pythonpath =
["src"]` makes the copy's src/ win over the editable install. Exit code 1 if any fault survives.
mutmut (README.md beside this file) measures the same code with machine-made mutants.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable

SERVICES = "src/motcua/dossiers/services.py"
ENGINE = "src/motcua/worktime/engine.py"
SCOPE = "src/motcua/agencies/scope.py"
COMPUTE = "src/motcua/indicators/compute.py"
FACTS = "src/motcua/indicators/facts.py"
PORTAL = "src/motcua/portal/views.py"
DAYS = "src/motcua/worktime/days.py"
HOURS = "src/motcua/worktime/hours.py"
RENDER = "src/motcua/slips/render.py"
MY_DOSSIER = "src/motcua/portal/templates/portal/my_dossier.html"

T_EDGES = "tests/dossiers/test_lifecycle_edges_faults_hide_in.py"
T_SECONDS = "tests/worktime/test_seconds_round_the_safe_way.py"
T_CITIZEN = "tests/web/test_citizen_pages_show_only_what_is_theirs.py"
T_SCOPE = "tests/api/test_other_agency_cannot_see_or_act_on_a_dossier.py"
T_IND = "tests/indicators/test_boundaries_and_points.py"
T_GROUP = "tests/indicators/test_group_indicators.py"
T_HYPO = "tests/worktime/test_properties_hypothesis.py"
T_SLIPS = "tests/slips/test_slips.py"

FAULTS = [
    # ---------------------------------------------------------------- lifecycle
    ("lifecycle: claim ignores a lost race", SERVICES,
     "        if claimed != 1:\n            raise Conflict(",
     "        if claimed > 1:\n            raise Conflict(", [T_EDGES]),
    ("lifecycle: claim without the version condition", SERVICES,
     "Dossier.objects.filter(pk=d.pk, version=d.version).update(",
     "Dossier.objects.filter(pk=d.pk).update(", [T_EDGES]),
    ("lifecycle: return_result allowed from processing", SERVICES,
     '"return_result": Rule((S.FINISHED,),',
     '"return_result": Rule((S.PROCESSING, S.FINISHED),', [T_EDGES]),
    ("lifecycle: resuming overwrites an extended appointment", SERVICES,
     "            if not d.extensions.exists():\n                changes[\"appointment_at\"]",
     "            if True:\n                changes[\"appointment_at\"]", [T_EDGES]),
    ("lifecycle: resuming never moves the appointment", SERVICES,
     "        if d.appointment_at is None or d.appointment_at < changes[\"due_at\"]:",
     "        if d.appointment_at is None:", [T_EDGES]),
    ("lifecycle: extension to the same appointment accepted", SERVICES,
     "if current and new_appointment <= current:", "if current and new_appointment < current:", [T_EDGES]),
    ("lifecycle: rating score 0 accepted", SERVICES,
     "not 1 <= int(score) <= 5", "not 0 <= int(score) <= 5", [T_EDGES]),
    ("lifecycle: rating score 5 refused", SERVICES,
     "not 1 <= int(score) <= 5", "not 1 <= int(score) < 5", [T_EDGES]),
    ("lifecycle: the current step's role check dropped", SERVICES,
     'if action in ("forward", "return_step", "approve") and dossier.current_role:',
     'if action in ("return_step", "approve") and dossier.current_role:', [T_EDGES]),
    # ---------------------------------------------------------------- working time
    ("worktime: clock start rounded down", ENGINE,
     's = self._check(ceil_minute_s(received_at, "received_at"))',
     's = self._check(floor_minute_s(received_at, "received_at"))', [T_SECONDS]),
    ("worktime: pause start rounded up", ENGINE,
     'a = floor_minute_s(p_start, "pause start")', 'a = ceil_minute_s(p_start, "pause start")', [T_SECONDS]),
    ("worktime: pause end rounded down", ENGINE,
     'b = ceil_minute_s(p_end, "pause end")', 'b = floor_minute_s(p_end, "pause end")', [T_SECONDS]),
    ("worktime: start of add_working_minutes rounded down", ENGINE,
     's = self._check(ceil_minute_s(start, "start"))', 's = self._check(floor_minute_s(start, "start"))',
     [T_SECONDS]),
    ("worktime: the engine forgets the Hùng Kings' day", DAYS,
     "off = frozenset(d for d in vn.keys() if first_year <= d.year <= last_year)",
     'off = frozenset(d for d in vn.keys() if first_year <= d.year <= last_year and "Hung" not in vn.get(d))',
     [T_HYPO]),
    ("worktime: office-hour moments read in the process's own time zone", HOURS,
     "return int(datetime.combine(d, t, tzinfo=TZ).timestamp())", "return int(datetime.combine(d, t).timestamp())",
     ["tests/worktime"]),
    ("worktime: office hours of fractional minutes accepted", HOURS,
     "if sum(_seconds(e) - _seconds(s) for s, e in self.intervals) % 60:",
     "if self.minutes_per_day != int(self.minutes_per_day):", ["tests/worktime"]),
    # ---------------------------------------------------------------- slips
    # the QR carries only the code: the lookup secret is printed beside it, never put in a URL (access logs)
    ("slips: the QR on slip 1 puts the lookup secret in the URL", RENDER,
     "ctx.update(lookup_url=url, qr=qr_data_uri(url))",
     'ctx.update(lookup_url=url, qr=qr_data_uri(url + "&secret=" + d.lookup_secret))', [T_SLIPS, "-k", "qr"]),
    # ---------------------------------------------------------------- scope
    ("scope: covers() matches only the exact agency", SCOPE,
     "return any(agency_path.startswith(p) for p in self.org_paths)",
     "return any(agency_path == p for p in self.org_paths)", [T_SCOPE]),
    ("scope: has_role() matches only the exact agency", SCOPE,
     "agency_path is None or agency_path.startswith(path)", "agency_path is None or agency_path == path",
     [T_SCOPE, T_EDGES]),
    # ---------------------------------------------------------------- indicators
    ("indicators: average time equal to the statutory time not within", COMPUTE,
     "good = avg <= stat", "good = avg < stat", [T_IND]),
    ("indicators: feedback handled in exactly the allowed days not timely", COMPUTE,
     "return cal.working_minutes_between(a, b) <= days * day", "return cal.working_minutes_between(a, b) < days * day",
     [T_IND]),
    ("indicators: a rating equal to satisfied_from not satisfied", COMPUTE,
     'o["satisfied"] += fb.satisfaction >= satisfied_from', 'o["satisfied"] += fb.satisfaction > satisfied_from',
     [T_IND]),
    ("indicators: a dossier ended exactly at its due moment counted late", FACTS,
     "((due >= 0) & (end > due))", "((due >= 0) & (end >= due))", [T_IND]),
    ("worktime: finished exactly at the due moment classified late", ENGINE,
     'return "on_time" if finished_at <= due_at else "late"', 'return "on_time" if finished_at < due_at else "late"',
     [T_IND]),
    ("indicators: ranking by code instead of score", COMPUTE,
     'ranked = sorted(result, key=lambda r: (-(r["score_100"] or 0), r["code"]))',
     'ranked = sorted(result, key=lambda r: r["code"])', [T_GROUP, "-k", "ranking"]),
    ("indicators: points not capped above the threshold", COMPUTE,
     "min(1.0, max(0.0, value) / threshold)", "max(0.0, value) / threshold", [T_IND]),
    # ---------------------------------------------------------------- portal
    ("portal: file download without the read check", PORTAL,
     "if att is None or not visibility.attachment_visible(request.actor, att):", "if att is None:", [T_CITIZEN]),
    # the page shows indicator 2.1 per agency (compute.public_rates, the same figures as /chi-so/cong-khai/)
    ("portal: late dossiers counted on time on /ty-le-dung-han/", COMPUTE,
     '"on_time": i["numerator"],', '"on_time": i["denominator"],', [T_CITIZEN]),
    ("portal: owner check on the dossier page dropped", PORTAL,
     "    if d.owner_id != request.user.pk:\n        raise Http404\n", "", [T_CITIZEN]),
    ("portal: 'Hồ sơ của tôi' lists every dossier", PORTAL,
     "(Dossier.objects.filter(owner=request.user)", "(Dossier.objects.all()", [T_CITIZEN]),
    ("portal: |safe on the history reason", MY_DOSSIER, "<td>{{ h.reason }}</td>", "<td>{{ h.reason|safe }}</td>",
     [T_CITIZEN]),
    ("portal: |safe on the pause reason", MY_DOSSIER, "{{ pause.reason }}", "{{ pause.reason|safe }}", [T_CITIZEN]),
]


def _copy_project(dest):
    for name in ("src", "tests", "docs"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")


def run(faults):
    results = []
    with tempfile.TemporaryDirectory(prefix="motcua-faults-") as tmp:
        work = Path(tmp)
        _copy_project(work)
        # One SQLite test database file, migrated once and reused by every run (no fault touches a model).
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MOTCUA_TEST_SQLITE=str(work / "test.sqlite3"))
        env.pop("DATABASE_URL", None)
        for name, rel, old, new, tests in faults:
            path = work / rel
            original = path.read_text(encoding="utf-8")
            if original.count(old) != 1:
                results.append((name, "STALE", 0.0))
                print(f"STALE     {name}  ({rel}: text found {original.count(old)} times)", flush=True)
                continue
            path.write_text(original.replace(old, new), encoding="utf-8")
            t0 = time.monotonic()
            try:
                proc = subprocess.run([PY, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--reuse-db", *tests],
                                      cwd=work, env=env, capture_output=True, text=True, timeout=900)
                verdict = {0: "SURVIVED", 1: "killed"}.get(proc.returncode, f"ERROR({proc.returncode})")
                if verdict.startswith("ERROR"):
                    print(proc.stdout[-2000:], proc.stderr[-2000:])
            except subprocess.TimeoutExpired:
                verdict = "killed(timeout)"
            finally:
                path.write_text(original, encoding="utf-8")
            elapsed = time.monotonic() - t0
            results.append((name, verdict, elapsed))
            print(f"{verdict:<9} {name}  ({elapsed:.0f}s)", flush=True)
    killed = sum(1 for _, v, _ in results if v.startswith("killed"))
    counted = sum(1 for _, v, _ in results if v != "STALE")
    print(f"\n{killed} of {counted} faults killed ({100 * killed / max(counted, 1):.0f}%)")
    return all(v.startswith("killed") or v == "STALE" for _, v, _ in results)


def main(argv):
    if "--list" in argv:
        for name, rel, *_ in FAULTS:
            print(f"{name}  [{rel}]")
        return 0
    words = [a.lower() for a in argv if not a.startswith("-")]
    chosen = [f for f in FAULTS if not words or any(w in f[0].lower() for w in words)]
    return 0 if run(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
