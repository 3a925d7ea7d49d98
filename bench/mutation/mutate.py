"""mutmut over one part of the core, with the tests that belong to it.

    ./run mutate scope            # or: .venv/bin/python bench/mutation/mutate.py scope
    ./run mutate worktime hours services history compute signing portal
    ./run mutate --list

mutmut 3 first runs the whole selected test suite once under tracing (to learn which tests reach which
function), then every mutant against the tests that reach its function. On the whole core with the whole
suite that is hours on two cores, so each part here has its own source files and test selection. Each part
runs in its own copy of the project under var/mutation/<part>/ (mutmut's mutants/ lives there, results stay
for `mutmut results` / `mutmut show NAME` in that folder); the project's own [tool.mutmut] in
pyproject.toml is the same configuration for the whole core at once (`.venv/bin/mutmut run` at the root).

Prints the score (killed + timeouts) / (all mutants that ran) and the surviving mutants. Exit code 1 if
any mutant survived.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"

PARTS = {
    "scope": (["src/motcua/agencies/scope.py"],
              ["tests/api/test_other_agency_cannot_see_or_act_on_a_dossier.py", "tests/api/test_worklists_by_role.py",
               "tests/dossiers/test_transitions_follow_the_rules.py", "tests/dossiers/test_intake_codes_and_routing.py",
               "tests/dossiers/test_lifecycle_edges_faults_hide_in.py", "tests/feedback"]),
    "worktime": (["src/motcua/worktime/engine.py", "src/motcua/worktime/hours.py", "src/motcua/worktime/days.py",
                  "src/motcua/worktime/batch.py"], ["tests/worktime"]),
    "hours": (["src/motcua/worktime/hours.py"], ["tests/worktime"]),   # the rounding and office hours alone
    "services": (["src/motcua/dossiers/services.py"], ["tests/dossiers", "tests/api"]),
    "history": (["src/motcua/dossiers/history.py"], ["tests/dossiers", "tests/cli"]),
    "compute": (["src/motcua/indicators/compute.py"], ["tests/indicators"]),
    "signing": (["src/motcua/signing/services.py"], ["tests/signing"]),
    "portal": (["src/motcua/portal/views.py"],
               ["tests/web", "--ignore=tests/web/test_e2e_browser.py", "tests/slips"]),
}


def _toml_list(items):
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


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
             'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]\n'
             'also_copy = ["docs/"]\n'
             # a shared, loaded machine slows a run many times over: a timeout must mean a hang, not a wait
             'timeout_multiplier = 30.0\n'
             'timeout_constant = 120.0\n')
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    return work


def run(part, max_children):
    work = prepare(part)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with open(work / "mutmut-run.log", "w") as log:
        subprocess.run(["nice", "-n", "10", str(MUTMUT), "run", "--max-children", str(max_children)],
                       cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=work, env=env, capture_output=True,
                         text=True).stdout
    statuses = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            statuses[m.group(1)] = m.group(2).strip()
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
    print(f"   (details: cd {work.relative_to(ROOT)} && ../../../.venv/bin/mutmut show NAME)")
    return not survived


def main(argv):
    if not argv or "--list" in argv:
        for part, (sources, tests) in PARTS.items():
            print(f"{part:<9} {' '.join(sources)}  <- {' '.join(tests)}")
        return 0
    max_children = 1
    parts = []
    for arg in argv:
        if arg.startswith("--max-children="):
            max_children = int(arg.split("=", 1)[1])
        elif arg in PARTS:
            parts.append(arg)
        else:
            print(f"unknown part {arg!r}; one of {', '.join(PARTS)}", file=sys.stderr)
            return 2
    ok = True
    for part in parts:
        ok &= run(part, max_children)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
