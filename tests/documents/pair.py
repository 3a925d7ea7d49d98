"""Two Motcua instances on 127.0.0.1, each its own database (a SQLite file, or a PostgreSQL database when
`pg_base` is given), its own web server (`motcua serve`) and worker (`motcua worker`): agency A (Sở Xây dựng,
province H13) and agency B (Sở Tư pháp, province H14), each the other's peer with a shared secret. A holds a
demo PKI (served by A's web server); B trusts its root. Used by test_two_instances_exchange.py and
bench/bench_exchange.py. `Instance.run(code)` runs Python (after PRELUDE) in a `motcua shell` of that instance."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "two-instances-shared-secret-0123456789"
A = {"root": "000.00.00.H13", "code": "000.00.17.H13", "name": "Sở Xây dựng", "symbol": "SXD"}
B = {"root": "000.00.00.H14", "code": "000.00.18.H14", "name": "Sở Tư pháp", "symbol": "STP"}

PRELUDE = """
import json, os, time
from django.contrib.auth import get_user_model
from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.agencies.scope import actor_for
from motcua.documents import exchange_flow, services
from motcua.documents.models import *
E = os.environ
def actor(name):
    return actor_for(get_user_model().objects.get(username=name))
def wait(check, seconds=float(E.get("PAIR_WAIT", "240"))):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise SystemExit("timed out: " + (check.__doc__ or ""))
"""

SETUP = """
root = Agency.objects.create(code=E["ME_ROOT"], name="UBND tỉnh " + E["ME_ROOT"][-3:], kind=AgencyKind.PROVINCE)
me = Agency.objects.create(code=E["ME_CODE"], name=E["ME_NAME"], symbol=E["ME_SYMBOL"], kind=AgencyKind.DEPARTMENT,
                           parent=root)
U = get_user_model()
for name, role in (("chuyenvien", Role.SPECIALIST), ("giamdoc", Role.AGENCY_LEADER), ("vanthu", Role.CLERK),
                   ("quantri", Role.ADMINISTRATOR)):
    Membership.objects.create(user=U.objects.create(username=name), agency=me, role=role)
exchange_flow.set_peer(actor("quantri"), E["PEER_CODE"], name=E["PEER_NAME"], plugin="direct",
                       endpoint=E["PEER_URL"] + "/api/v1/exchange/edxml/", secret=E["SECRET"])
if E.get("PKI_CREATE"):
    from motcua.signing import demopki
    pki = demopki.DemoPKI(E["MOTCUA_SIGNING_DEMO_PKI"])
    if not pki.exists():
        pki.create(E["PKI_BASE"])
    demopki.register_demo_keys(pki, actor("quantri"))
"""

ISSUE = """
from motcua.signing.models import SigningKey
from tests.signing.samples import make_pdf
seal = SigningKey.objects.filter(agency__code=E["ME_CODE"], kind="organisation").first()
leader = SigningKey.objects.filter(agency__code=E["ME_CODE"], kind="personal").first()
ids = []
for i in range(int(E.get("N", "1"))):
    doc = services.create_draft(actor("chuyenvien"), E["ME_CODE"], type_name="Công văn", secrecy="thuong",
                                subject=f"Về việc phối hợp thẩm định hồ sơ số {i + 1}", signer_authority="KT. GIÁM ĐỐC",
                                signer_position="PHÓ GIÁM ĐỐC", signer_name="Trần Văn Bình",
                                recipients=[{"OrganId": E["PEER_CODE"], "OrganName": E["PEER_NAME"]}],
                                pdf_bytes=make_pdf(1, "CONG VAN", str(i + 1)))
    services.review(actor("giamdoc"), doc.pk)
    services.approve(actor("giamdoc"), doc.pk)
    services.sign(actor("giamdoc"), doc.pk, key_id=leader.pk, level="B-B")      # the leader signs
    services.sign(actor("vanthu"), doc.pk, key_id=seal.pk, level="B-B")         # the clerk numbers and seals
    ids.append(services.issue(actor("vanthu"), doc.pk).pk)
print("IDS=" + ",".join(map(str, ids)))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, name, me, peer, directory, database_url, port, peer_port, pki_dir, pki_root):
        self.name, self.me, self.port = name, me, port
        self.url = f"http://127.0.0.1:{port}"
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
        env.update(DATABASE_URL=database_url, MOTCUA_VAR_DIR=str(self.dir), MOTCUA_WORKERS="2",
                   MOTCUA_VIRUS_SCAN="off", MOTCUA_NATIONAL_PORTAL="", MOTCUA_SIGNING_TRUST_ROOTS=str(pki_root),
                   MOTCUA_SIGNING_LEVEL="B-B", MOTCUA_SIGNING_FETCH_ALLOW=f"127.0.0.1:{peer_port if pki_dir is None else port}",
                   MOTCUA_EXCHANGE_POLL_EVERY_SECONDS="2", MOTCUA_DELIVERY_SWEEP_AFTER_SECONDS="5",
                   ME_ROOT=me["root"], ME_CODE=me["code"], ME_NAME=me["name"], ME_SYMBOL=me["symbol"],
                   PEER_CODE=peer["code"], PEER_NAME=peer["name"], PEER_URL=f"http://127.0.0.1:{peer_port}",
                   SECRET=SECRET, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        if pki_dir is not None:
            env.update(MOTCUA_SIGNING_DEMO_PKI=str(pki_dir), PKI_CREATE="1", PKI_BASE=self.url)
        self.env = env
        self.procs = []

    def cli(self, *args, timeout=600, extra=None):
        return subprocess.run([sys.executable, "-m", "motcua.cli", *args], env={**self.env, **(extra or {})},
                              cwd=ROOT, check=False, capture_output=True, text=True, timeout=timeout)

    def run(self, code, timeout=600, **extra):
        out = self.cli("shell", "-c", PRELUDE + code, timeout=timeout, extra={k: str(v) for k, v in extra.items()})
        if out.returncode:
            raise AssertionError(f"{self.name} shell failed:\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}")
        return out.stdout

    def start(self):
        for args in (["serve", "--bind", f"127.0.0.1:{self.port}"], ["worker"]):
            log = open(self.dir / f"{args[0]}.log", "wb")
            self.procs.append(subprocess.Popen([sys.executable, "-m", "motcua.cli", *args], env=self.env, cwd=ROOT,
                                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        return self

    def wait_up(self, seconds=300):
        import urllib.request
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/agencies/", timeout=5) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"{self.name} did not start: {(self.dir / 'serve.log').read_text()[-2000:]}")

    def stop(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def make_pair(tmp, pg_base=None):
    """Two configured, migrated instances (not started). `pg_base`: postgres://.../motcua_docx_pair (the
    databases `<base>_a` and `<base>_b` are dropped and created)."""
    tmp = Path(tmp)
    port_a, port_b = free_port(), free_port()
    pki_dir = tmp / "pki"
    if pg_base:
        urls = []
        for suffix in ("a", "b"):
            name = pg_base.rsplit("/", 1)[1] + "_" + suffix
            admin = pg_base.rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
            urls.append(pg_base.rsplit("/", 1)[0] + "/" + name)
    else:
        urls = [f"sqlite:///{tmp}/a.sqlite3", f"sqlite:///{tmp}/b.sqlite3"]
    a = Instance("A", A, B, tmp / "a", urls[0], port_a, port_b, pki_dir, pki_dir / "root.pem")
    b = Instance("B", B, A, tmp / "b", urls[1], port_b, port_a, None, pki_dir / "root.pem")
    out = a.cli("migrate", "-v0")
    assert out.returncode == 0, out.stderr[-3000:]
    if pg_base:
        assert b.cli("migrate", "-v0").returncode == 0
    else:
        shutil.copy(tmp / "a.sqlite3", tmp / "b.sqlite3")     # same schema: one migration for both
    a.run(SETUP)
    b.run(SETUP)
    return a, b


SIGN_DRAFTS = ISSUE.replace('    ids.append(services.issue(actor("vanthu"), doc.pk).pk)', '    ids.append(doc.pk)')

ISSUE_ALL = """
import time
ids = [int(i) for i in E["IDS"].split(",")]
t0 = time.time()
for pk in ids:
    services.issue(actor("vanthu"), pk)
print(f"T0={t0}")
"""

COUNT_B = """
import time
n = int(E["N"])
def all_in():
    '''every document registered on B'''
    return IncomingDocument.objects.count() >= n
wait(all_in, float(E.get("PAIR_WAIT", "3600")))
last = IncomingDocument.objects.order_by("-received_at").values_list("received_at", flat=True).first()
print(f"B_INCOMING={IncomingDocument.objects.count()} B_LAST={last.timestamp()} "
      f"B_REFUSED={ExchangeEvent.objects.filter(action='refused').count()}")
"""

COUNT_A = """
n = int(E["N"])
def answered():
    '''01 and 03 back on A for every document'''
    return ExchangeStatus.objects.count() >= 2 * n
wait(answered, float(E.get("PAIR_WAIT", "3600")))
print(f"A_SENT={ExchangeMessage.objects.filter(kind='edoc', state='delivered').count()} "
      f"A_STATUSES={ExchangeStatus.objects.count()} "
      f"A_DOCS_WITH_03={ExchangeStatus.objects.filter(status_code='03').values('outgoing').distinct().count()}")
"""
