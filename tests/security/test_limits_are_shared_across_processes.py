"""Rate limits and lock-outs hold across worker processes: they live in the shared store (the database cache
on the embedded default, Redis with MOTCUA_CACHE_URL), not in each process's memory. Separate Python
processes on one database file, as gunicorn's workers are."""
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LOOKUP = r"""
import json, os, sys
import django
django.setup()
from django.test import Client
ip, code, secrets = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
c = Client(REMOTE_ADDR=ip)
out = []
for s in secrets:
    r = c.post("/api/v1/public/lookup/", {"code": code, "secret": s}, content_type="application/json")
    out.append([r.status_code, r.json()["code"]])
print(json.dumps(out))
"""

COUNT = r"""
import sys
import django
django.setup()
from motcua.core import limits
key, n = sys.argv[1], int(sys.argv[2])
for _ in range(n):
    limits.count("test", key, 3600)
"""


def _env(tmp, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp),
               DATABASE_URL=f"sqlite:///{tmp / 'shared.sqlite3'}", MOTCUA_LOOKUP_RATE="3/h",
               MOTCUA_LOOKUP_MAX_FAILURES="5", **extra)  # an hour: two process starts can take a minute under load
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One SQLite database file, migrated (which creates the cache table)."""
    tmp = tmp_path_factory.mktemp("shared")
    subprocess.run([sys.executable, "-m", "motcua.cli", "migrate", "-v0"], env=_env(tmp), check=True, cwd=ROOT,
                   timeout=300)
    return tmp


def _redis_url():
    try:
        import redis  # noqa: F401
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except (ImportError, OSError) as exc:
        pytest.skip(f"Redis at 127.0.0.1:6379 with the redis package is needed ({exc})")
    return "redis://127.0.0.1:6379/11"


@pytest.fixture(params=["database", "redis"])
def store(request, migrated):
    if request.param == "redis":
        return _env(migrated, MOTCUA_CACHE_URL=_redis_url())
    return _env(migrated)


def lookups(env, ip, code, *secrets):
    run = subprocess.run([sys.executable, "-c", LOOKUP, ip, code, ",".join(secrets)], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_address_limit_counts_every_process(store):
    ip = fresh_ip()
    code = f"X-{uuid.uuid4().hex[:10]}"
    first = lookups(store, ip, code, "0001", "0002")           # process 1: 2 of the 3 per hour
    second = lookups(store, ip, code, "0003", "0004")          # process 2: the 3rd, then over the limit
    assert [s for s, _c in first + second] == [404, 404, 404, 429], (first, second)
    assert second[1][1] == "throttled"


def fresh_ip():
    """An address no earlier run has counted (Redis keeps its counters between test runs)."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250}"


def test_the_dossier_lock_out_counts_every_process(store):
    code = f"X-{uuid.uuid4().hex[:10]}"
    a = lookups(store, fresh_ip(), code, "0001", "0002")      # 2 wrong secrets in one process,
    b = lookups(store, fresh_ip(), code, "0003", "0004", "0005")   # 3 in another, from another address:
    c = lookups(store, fresh_ip(), code, "1234")              # a third process finds the code locked
    assert [s for s, _c in a + b] == [404] * 5
    assert c == [[429, "lookup_locked"]]


def test_counters_are_exact_when_processes_hit_them_at_once(migrated):
    """Two processes each add 60 to one counter at the same time: 120, none lost (Django's own
    DatabaseCache.incr reads then writes, and loses counts here)."""
    env = _env(migrated)
    key = uuid.uuid4().hex
    procs = [subprocess.Popen([sys.executable, "-c", COUNT, key, "60"], env=env, cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
    check = ("import django, sys; django.setup(); from motcua.core import limits; "
             "print(limits.count('test', sys.argv[1], 3600))")
    run = subprocess.run([sys.executable, "-c", check, key], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.stdout.strip() == "121", run.stderr[-2000:]
