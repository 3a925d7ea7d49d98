"""mutmut over one part of the core, with the few fast tests that exercise it (bench/mutation/README.md).

    ./run mutate --list
    ./run mutate history                        # all its mutants, in a seeded random order, resumable
    ./run mutate services --until=11:55         # start no mutant after that UTC time
    ./run mutate signing --sample=80 --seed=3   # the first 80 of that order
    ./run mutate services --only='*x_claim__*'  # mutants whose name matches
    ./run mutate history --recheck              # the last survivors against today's tests
    ./run mutate scope --mutmut                 # mutmut's own runner (traces the tests first; slow)

mutmut makes the mutants (var/mutation/<part>/mutants/: the project with the part's files replaced by
mutmut's versions, where MUTANT_UNDER_TEST picks the mutant); this script runs them, one pytest per mutant on
SQLite with a test database migrated once (--reuse-db) and -x, in a seeded shuffle, saving each verdict in
var/mutation/<part>/direct.json. What is done when it stops is the first N of a random order: a uniform
random sample, reported as such. Exit code 1 if any mutant survived.
"""
import fnmatch
import hashlib
import json
import os
import random
import signal
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the worktree venv's python: the bin/mutmut script's shebang may name another venv
MUTMUT = [sys.executable, "-m", "mutmut"]

# part -> (files to mutate, the tests that exercise them: a few fast files, not a directory)
PARTS = {
    "scope": (["src/motcua/agencies/scope.py"],
              ["tests/api/test_other_agency_cannot_see_or_act_on_a_dossier.py", "tests/api/test_worklists_by_role.py",
               "tests/dossiers/test_transitions_follow_the_rules.py", "tests/dossiers/test_intake_codes_and_routing.py",
               "tests/dossiers/test_lifecycle_edges_faults_hide_in.py", "tests/feedback"]),
    "worktime": (["src/motcua/worktime/engine.py", "src/motcua/worktime/hours.py", "src/motcua/worktime/days.py",
                  "src/motcua/worktime/batch.py"], ["tests/worktime"]),
    "hours": (["src/motcua/worktime/hours.py"], ["tests/worktime"]),   # the rounding and office hours alone
    "history": (["src/motcua/dossiers/history.py"],
                ["tests/dossiers/test_history_is_append_only_and_chained.py",
                 "tests/dossiers/test_history_tampering_is_detected.py",
                 "tests/dossiers/test_history_verify_all_checks_each_chain_on_its_own.py",
                 "tests/dossiers/test_history_hash_scheme_is_the_documented_one.py"]),
    "compute": (["src/motcua/indicators/compute.py"],
                ["tests/indicators/test_boundaries_and_points.py", "tests/indicators/test_group_indicators.py",
                 "tests/indicators/test_on_time_rules.py", "tests/indicators/test_dvcqg_2026_scoring.py",
                 "tests/indicators/test_api_pages_cli.py", "tests/integrations/test_sync_indicator_from_delivery_state.py",
                 "tests/datastore/test_digitisation_indicators_from_the_store.py"]),
    "services": (["src/motcua/dossiers/services.py"],
                 ["tests/dossiers/test_lifecycle_edges_faults_hide_in.py",
                  "tests/dossiers/test_transitions_follow_the_rules.py",
                  "tests/dossiers/test_lifecycle_happy_path.py", "tests/dossiers/test_supplement_pauses_clock.py",
                  "tests/dossiers/test_waiting_ends_at_stop_and_restart_only_in_time.py",
                  "tests/dossiers/test_intake_codes_and_routing.py", "tests/dossiers/test_files_payments_ratings.py",
                  "tests/dossiers/test_missing_component_blocks_receipt.py",
                  "tests/dossiers/test_receipt_scope_and_channels.py",
                  "tests/dossiers/test_intake_routing_details.py",
                  "tests/dossiers/test_forward_names_the_specialist.py",
                  "tests/dossiers/test_result_file_and_unpaid_fee.py",
                  "tests/dossiers/test_concurrent_acts_exactly_one_wins.py"]),
    "signing": (["src/motcua/signing/services.py"],
                ["tests/signing/test_registry_dossier_results_copies_and_outgoing.py",
                 "tests/signing/test_trust_roots_from_files_and_directories.py",
                 "tests/signing/test_trust_holes_keys_revocation_secrecy.py",
                 "tests/signing/test_back_office_signing.py", "tests/signing/test_cosigning_service.py",
                 "tests/signing/test_archive_extension_job.py",
                 "tests/signing/test_public_verify_fetch_allow_list_rate_and_messages.py",
                 "tests/signing/test_refusals_word_for_word.py",
                 "tests/signing/test_sign_any_pdf_and_the_keys_a_dossier_offers.py"]),
    "portal": (["src/motcua/portal/views.py"],
               ["tests/web/test_citizen_pages_show_only_what_is_theirs.py",
                "tests/web/test_online_filing_checks_each_field_then_files.py", "tests/web/test_public_lookup_page.py",
                "tests/web/test_uploads_streaming_serving_cleanup.py", "tests/security/test_no_open_redirect.py",
                "tests/web/test_feedback_form.py", "tests/slips/test_slips.py",
                "tests/web/test_generated_input_never_a_server_error.py::test_portal_pages_and_forms",
                "tests/web/test_catalogue_page_filters.py"]),
}

def _toml_list(items):
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def _env(work):
    # One SQLite test database file for the part, migrated once (mutmut's first, traced run) and reused by
    # every mutant (--reuse-db): no mutant of these modules touches a model. Never PostgreSQL here.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MOTCUA_TEST_SQLITE=str(work / "test.sqlite3"))
    env.pop("DATABASE_URL", None)
    env.pop("MUTANT_UNDER_TEST", None)
    return env


PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:cov", "-x", "-q", "--reuse-db"]


def prepare(part):
    sources, tests = PARTS[part]
    work = ROOT / "var" / "mutation" / part
    for name in ("src", "tests", "docs"):
        if (work / name).exists():
            shutil.rmtree(work / name)
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = text[:text.index("[tool.mutmut]")] if "[tool.mutmut]" in text else text
    text += ("[tool.mutmut]\n"
             'source_paths = ["src/"]\n'
             f"only_mutate = {_toml_list(sources)}\n"
             f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
             f"pytest_add_cli_args = {_toml_list(PYTEST_ARGS)}\n"
             'also_copy = ["docs/"]\n'
             # a shared, loaded machine slows a run many times over: a timeout must mean a hang, not a wait
             'timeout_multiplier = 30.0\n'
             'timeout_constant = 120.0\n')
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    return work


def all_mutant_names(part, work):
    """Every mutant mutmut makes of the part's files (generated without running a test), in file order."""
    sources, _ = PARTS[part]
    code = ("import json, sys\nfrom pathlib import Path\nfrom mutmut.__main__ import create_file_mutants\n"
            "names = []\n"
            "for src in sys.argv[1:]:\n"
            "    if not (Path('mutants') / (src + '.meta')).exists():   # a run killed while generating\n"
            "        (Path('mutants') / src).unlink(missing_ok=True)\n"
            "    r = create_file_mutants(Path(src))\n"
            "    assert r.error is None, r.error\n"
            "    names += list(json.load(open(Path('mutants') / (src + '.meta')))['exit_code_by_key'])\n"
            "print(json.dumps(names))\n")
    out = subprocess.run([sys.executable, "-c", code, *sources], cwd=work, env=_env(work), capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def select(part, work, only, sample, seed):
    """The mutant names to run: those matching the --only patterns (fnmatch, e.g. '*x_claim__*'), then a
    seeded random sample of --sample of them. None = all of them (mutmut's own default)."""
    if not only and not sample:
        return None
    names = all_mutant_names(part, work)
    total = len(names)
    if only:
        names = [n for n in names if any(fnmatch.fnmatch(n, pat) for pat in only)]
    if sample and sample < len(names):
        names = sorted(random.Random(seed).sample(names, sample), key=names.index)
    print(f"== {part}: {len(names)} of the {total} mutants selected"
          + (f" (only {' '.join(only)})" if only else "") + (f" (random sample, seed {seed})" if sample else ""))
    return names


def results(work):
    out = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=work, env=_env(work), capture_output=True,
                         text=True).stdout
    statuses = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            statuses[m.group(1)] = m.group(2).strip()
    return statuses


def report(part, work, statuses, names=None):
    if names is not None:
        statuses = {k: v for k, v in statuses.items() if k in set(names)}
    counted = {k: v for k, v in statuses.items() if v not in ("not checked", "skipped")}
    killed = [k for k, v in counted.items() if v in ("killed", "timeout")]
    survived = sorted(k for k, v in counted.items() if v == "survived")
    other = sorted(f"{k} ({v})" for k, v in counted.items() if v not in ("killed", "timeout", "survived"))
    score = 100 * len(killed) / len(counted) if counted else 0
    print(f"== {part}: {len(killed)} of {len(counted)} mutants killed ({score:.1f}%), "
          f"{len(survived)} survived, {len(other)} other")
    for name in survived:
        print(f"   survived  {name}")
    for name in sorted(k for k, v in counted.items() if v == "timeout"):
        print(f"   timeout   {name}")
    for name in other:
        print(f"   other     {name}")
    print(f"   (details: cd {work.relative_to(ROOT)} && ../../../.venv/bin/python -m mutmut show NAME)")
    return survived


def run(part, max_children, only=(), sample=0, seed=17):
    work = prepare(part)
    names = select(part, work, only, sample, seed)
    todo = names
    if names is not None:
        (work / "selected.json").write_text(json.dumps(names), encoding="utf-8")
        # mutmut reruns every mutant named on its command line: name only those without a verdict yet (an
        # interrupted or smaller earlier run of the same seed), the others keep theirs (the source is the same)
        done = {k for k, v in results(work).items() if v not in ("not checked", "skipped")}
        todo = [n for n in names if n not in done]
        print(f"   {len(names) - len(todo)} already decided by an earlier run, {len(todo)} to run", flush=True)
    if todo != []:
        with open(work / "mutmut-run.log", "w") as log:
            subprocess.run(["nice", "-n", "10", *MUTMUT, "run", "--max-children", str(max_children), *(todo or [])],
                           cwd=work, env=_env(work), stdout=log, stderr=subprocess.STDOUT)
    survived = report(part, work, results(work), names)
    (work / "survived.json").write_text(json.dumps(survived), encoding="utf-8")
    return not survived


def recheck(part):
    """Run the last run's survivors again against the tests as they are now (tests added since), without a new
    mutmut run: the mutated copy under mutants/ picks the mutant from MUTANT_UNDER_TEST, as mutmut does."""
    work = ROOT / "var" / "mutation" / part
    direct = work / "direct.json"
    if direct.exists():
        done = json.loads(direct.read_text(encoding="utf-8"))
        survived = [n for n, r in done["results"].items() if r["status"] == "survived"]
    else:
        survived = json.loads((work / "survived.json").read_text(encoding="utf-8"))
    _copy_tests(work / "mutants")
    still = []
    for name in survived:
        status, seconds = run_one(part, work, name)
        print(f"   {status:<9} {name}  ({seconds:.0f} s)", flush=True)
        if status == "survived":
            still.append(name)
    print(f"== {part}: {len(survived) - len(still)} of the {len(survived)} survivors killed by today's tests")
    return not still


# ---------------------------------------------------------------- direct runner
# mutmut's own runner first traces the whole test selection (to map tests to functions), runs it clean, and only
# then the mutants, in its own order (fastest functions first). On a loaded shared machine that first phase alone
# can take longer than the time there is, and a run stopped half-way has done a biased subset. The direct runner
# uses mutmut only to make the mutants (its mutated copy of the file picks the mutant from MUTANT_UNDER_TEST) and
# runs them itself, one pytest per mutant (-x: a killed mutant stops at its first failing test), in the order
# of a seeded random shuffle, saving each verdict as it comes: stopped at any point, what is done is a uniform
# random sample of the part's mutants, and the next run resumes where it stopped.

def _copy_tests(dest):
    if (dest / "tests").exists():
        shutil.rmtree(dest / "tests")
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def generate(part, work):
    """work/mutants: the project with the part's files replaced by mutmut's mutated versions."""
    sources, _ = PARTS[part]
    mutants = work / "mutants"
    stamp = mutants / "sources.sha256"
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in sources)).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        _copy_tests(mutants)
        return json.loads((mutants / "names.json").read_text(encoding="utf-8"))
    if mutants.exists():
        shutil.rmtree(mutants)
    prepare(part)
    names = all_mutant_names(part, work)          # writes mutants/<source> (mutated) and its .meta
    mutated = {f: (mutants / f).read_bytes() for f in sources}
    for name in ("src", "tests", "docs"):
        shutil.copytree(work / name, mutants / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for f, text in mutated.items():
        (mutants / f).write_bytes(text)
    shutil.copy(work / "pyproject.toml", mutants / "pyproject.toml")
    (mutants / "names.json").write_text(json.dumps(names), encoding="utf-8")
    stamp.write_text(digest)
    return names


def run_one(part, work, name, timeout=1800):
    """One pytest over the part's tests with mutant `name` active ("" = none, "fail" = every mutated
    function raises). Returns (status, seconds)."""
    _, tests = PARTS[part]
    env = dict(_env(work), MUTANT_UNDER_TEST=name)
    started = time.monotonic()
    proc = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "pytest", *PYTEST_ARGS, *tests],
                            cwd=work / "mutants", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return "timeout", time.monotonic() - started
    seconds = time.monotonic() - started
    return ("survived" if code == 0 else "killed" if code == 1 else f"error {code}"), seconds


def run_direct(part, only=(), sample=0, seed=17, until=None):
    work = ROOT / "var" / "mutation" / part
    work.mkdir(parents=True, exist_ok=True)
    names = generate(part, work)
    total = len(names)
    if only:
        names = [n for n in names if any(fnmatch.fnmatch(n, pat) for pat in only)]
    order = names[:]
    random.Random(seed).shuffle(order)
    if sample:
        order = order[:sample]
    path = work / "direct.json"
    done = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if done.get("seed") != seed or done.get("only") != list(only) or done.get("total") != total:
        done = {"seed": seed, "only": list(only), "total": total, "results": {}}
    print(f"== {part}: {total} mutants; {len(order)} in the run (seed {seed}"
          + (f", only {' '.join(only)}" if only else "") + f"), {len(done['results'])} already done", flush=True)
    if "clean" not in done:
        clean, seconds = run_one(part, work, "")
        forced, _ = run_one(part, work, "fail")
        print(f"   clean run: {clean} ({seconds:.0f} s); every mutated function raising: {forced}", flush=True)
        if clean != "survived" or forced != "killed":
            print("   the tests do not pass on the unmutated copy, or do not reach the mutated file", file=sys.stderr)
            return False
        done["clean"] = seconds
    for name in order:
        if name in done["results"]:
            continue
        if until and time.time() > until:
            print("   stopped: --until reached", flush=True)
            break
        status, seconds = run_one(part, work, name, timeout=max(600, 20 * done["clean"]))
        done["results"][name] = {"status": status, "seconds": round(seconds, 1)}
        path.write_text(json.dumps(done, indent=1), encoding="utf-8")
        print(f"   {status:<9} {name}  ({seconds:.0f} s)", flush=True)
    return report_direct(part, work, order, done)


def report_direct(part, work, order, done):
    results = done["results"]
    ran = []
    for name in order:                     # the done prefix of the shuffled order: a uniform random sample
        if name not in results:
            break
        ran.append(name)
    killed = [n for n in ran if results[n]["status"] != "survived"]
    survived = [n for n in ran if results[n]["status"] == "survived"]
    score = 100 * len(killed) / len(ran) if ran else 0
    kind = "all" if len(ran) == done["total"] else f"a random sample (seed {done['seed']}) of the {done['total']}"
    print(f"== {part}: {len(killed)} of {len(ran)} mutants killed ({score:.1f}%), {kind}; {len(survived)} survived")
    for name in survived:
        print(f"   survived  {name}")
    print(f"   (diff: cd {work.relative_to(ROOT)} && ../../../.venv/bin/python -m mutmut show NAME)")
    return not survived


def main(argv):
    if not argv or "--list" in argv:
        for part, (sources, tests) in PARTS.items():
            print(f"{part:<9} {' '.join(sources)}  <- {' '.join(tests)}")
        return 0
    max_children, sample, seed, only, again, native, until = 1, 0, 17, [], False, False, None
    parts = []
    for arg in argv:
        if arg.startswith("--max-children="):
            max_children = int(arg.split("=", 1)[1])
        elif arg.startswith("--sample="):
            sample = int(arg.split("=", 1)[1])
        elif arg.startswith("--seed="):
            seed = int(arg.split("=", 1)[1])
        elif arg.startswith("--only="):
            only.append(arg.split("=", 1)[1])
        elif arg == "--recheck":
            again = True
        elif arg == "--mutmut":
            native = True
        elif arg.startswith("--until="):      # a UTC wall-clock time HH:MM: start no mutant after it
            hh, mm = arg.split("=", 1)[1].split(":")
            now = time.gmtime()
            until = time.time() + ((int(hh) * 60 + int(mm)) - (now.tm_hour * 60 + now.tm_min)) * 60 - now.tm_sec
        elif arg in PARTS:
            parts.append(arg)
        else:
            print(f"unknown part {arg!r}; one of {', '.join(PARTS)}", file=sys.stderr)
            return 2
    ok = True
    for part in parts:
        if again:
            ok &= recheck(part)
        elif native:
            ok &= run(part, max_children, only, sample, seed)
        else:
            ok &= run_direct(part, only, sample, seed, until)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
