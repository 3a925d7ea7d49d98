"""`motcua demo` (what `./run demo` runs) starts the web server, a worker and the DVCQG simulator together:
an intake through the web server reaches the simulator with nothing set up by hand, and Ctrl-C (SIGINT to
the terminal's process group) stops all three. Real processes on free loopback ports, a fresh SQLite file."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

SETUP = """
from decimal import Decimal
from django.contrib.auth import get_user_model
from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.agencies.tokens import issue
from motcua.catalog.models import Field, Procedure, ProcessStep
root = Agency.objects.create(code="000.00.00.H13", name="UBND tỉnh thử", kind=AgencyKind.PROVINCE)
dept = Agency.objects.create(code="000.00.17.H13", name="Sở Xây dựng", kind=AgencyKind.DEPARTMENT, parent=root)
proc = Procedure.objects.create(code="1.009974", name="Cấp giấy phép xây dựng", time_value=Decimal(3),
                                field=Field.objects.create(code="XD", name="Xây dựng"))
proc.agencies.add(dept)
for order, role in ((1, Role.RECEIVING_OFFICER), (2, Role.SPECIALIST)):
    ProcessStep.objects.create(procedure=proc, order=order, name=f"Bước {order}", role=role, allowance_hours=Decimal(8))
user = get_user_model().objects.create(username="tiepnhan")
Membership.objects.create(user=user, agency=dept, role=Role.RECEIVING_OFFICER)
admin = get_user_model().objects.create(username="admin")   # the demo's test PKI registers keys as "admin"
Membership.objects.create(user=admin, agency=root, role=Role.ADMINISTRATOR)
print("TOKEN=" + issue(user))
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token=None, data=None):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json",
                                                          **({"Authorization": f"Token {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, json.loads(resp.read() or b"null")


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def _wait(check, seconds, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def test_demo_syncs_an_intake_and_ctrl_c_stops_web_worker_and_simulator(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", MOTCUA_VAR_DIR=str(tmp_path), MOTCUA_WORKERS="2",
               MOTCUA_VIRUS_SCAN="off")
    cli = [sys.executable, "-m", "motcua.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=600)
    out = subprocess.run([*cli, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True, timeout=120)
    token = out.stdout.split("TOKEN=")[1].strip()   # an agency exists: the demo skips the (slow) demo seed

    web, sim = _free_port(), _free_port()
    demo = subprocess.Popen([*cli, "demo", "--bind", f"127.0.0.1:{web}", "--sim-port", str(sim)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(lambda: _get(f"http://127.0.0.1:{sim}/_sim/state")[0] == 200, 400, "the simulator")
        _wait(lambda: _get(f"http://127.0.0.1:{web}/api/v1/procedures/")[0] == 200, 400, "the web server")
        body = json.dumps({"procedure": "1.009974", "channel": 1, "applicant_name": "Nguyễn Văn An",
                           "applicant_id_number": "001203004567", "request": "Cấp phép nhà ở"}).encode()
        status, dossier = _get(f"http://127.0.0.1:{web}/api/v1/dossiers/", token, body)
        assert status == 201
        # the worker delivers it (the demo maps every procedure and agency) and the simulator applies it
        _wait(lambda: any(d["statuses"] for d in _get(f"http://127.0.0.1:{sim}/_sim/state")[1]["dossiers"].values()),
              300, "the dossier to reach the simulator")
        state = _get(f"http://127.0.0.1:{sim}/_sim/state")[1]
        assert list(state["dossiers"]) == [dossier["code"]]
        assert state["dossiers"][dossier["code"]]["statuses"][0] == str(dossier["status"])
    finally:
        os.killpg(demo.pid, signal.SIGINT)              # Ctrl-C in the terminal: the whole foreground group
        end = time.monotonic() + 90
        while time.monotonic() < end:
            demo.poll()                                 # reap the leader (a zombie still answers killpg)
            if not _group_alive(demo.pid):
                break
            time.sleep(0.5)
        alive = _group_alive(demo.pid)
        left = subprocess.run(["ps", "-o", "pid,stat,cmd", "-g", str(demo.pid)], capture_output=True, text=True).stdout
        if alive:
            os.killpg(demo.pid, signal.SIGKILL)
    assert not alive, f"Ctrl-C left a process of the demo running:\n{left}"
    with pytest.raises(OSError):
        _get(f"http://127.0.0.1:{sim}/_sim/state")
    with pytest.raises(OSError):
        _get(f"http://127.0.0.1:{web}/api/v1/procedures/")
