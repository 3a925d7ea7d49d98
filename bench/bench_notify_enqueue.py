"""What notifications add to an act: counter intakes (submit + receive) with no channel configured, then with
email on (the notice, its outbox message and job written in the act's savepoint; nothing is sent: no
worker runs). Prints ms per intake for both. Run:

    .venv/bin/python -m pytest bench/bench_notify_enqueue.py -s -q [--ds=motcua.settings]
    DATABASE_URL=postgres://... for PostgreSQL
"""
import time

from motcua.dossiers import services
from motcua.integrations.notifications.models import Notification
from tests.conftest import INTAKE, province  # noqa: F401 - fixture
from tests.conftest import actors  # noqa: F401 - fixture

N = 150


def _run(actors, email):
    t0 = time.perf_counter()
    for i in range(N):
        services.intake(actors["receiver"], {**INTAKE, "applicant_email": email, "applicant_name": f"Bench {i}"})
    return (time.perf_counter() - t0) * 1000 / N


def test_bench_enqueue(settings, actors):  # noqa: F811
    settings.MOTCUA_VIRUS_SCAN = "off"
    settings.MOTCUA_NATIONAL_PORTAL = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _run(actors, "")                   # warm-up
    plain = settings.MOTCUA_NOTIFY
    email = {**plain, "email": {**plain["email"], "host": "127.0.0.1", "port": 1}}
    offs, ons = [], []
    for _round in range(2):            # interleaved: the machine's load drifts
        settings.MOTCUA_NOTIFY = plain
        offs.append(_run(actors, ""))
        settings.MOTCUA_NOTIFY = email
        ons.append(_run(actors, "bench@example.vn"))
    off, on = min(offs), min(ons)
    assert Notification.objects.count() == 2 * N
    print(f"\nintake, {N} each: no channel {off:.2f} ms/intake; email notice queued {on:.2f} ms/intake "
          f"(+{on - off:.2f} ms)")
