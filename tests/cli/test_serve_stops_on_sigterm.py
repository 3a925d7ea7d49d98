"""`motcua serve` is the server: a SIGTERM to it (what a service manager sends) stops gunicorn and frees the
port. `motcua demo` honours MOTCUA_BIND, and its supervisor stops every child together."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from django.core.management import load_command_class


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_sigterm_to_motcua_serve_stops_the_server_and_frees_the_port(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    proc = subprocess.Popen([sys.executable, "-m", "motcua.cli", "serve", "--bind", f"127.0.0.1:{port}",
                             "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: listening(port), 60), "gunicorn did not start"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert wait_for(lambda: not listening(port), 30), "the server still listens after SIGTERM to motcua serve"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_demo_binds_where_motcua_bind_says(monkeypatch):
    monkeypatch.setenv("MOTCUA_BIND", "127.0.0.1:8765")
    parser = load_command_class("motcua.demo", "demo").create_parser("motcua", "demo")
    assert parser.parse_args([]).bind == "127.0.0.1:8765"


def test_the_demo_supervisor_stops_every_child_on_sigterm():
    from motcua.core.processes import supervise
    children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]) for _ in range(3)]
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    assert supervise(children, grace=5) == 0
    assert [c.poll() is not None for c in children] == [True, True, True]


def test_the_demo_supervisor_stops_the_others_when_one_child_dies():
    from motcua.core.processes import supervise
    dying = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    others = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]) for _ in range(2)]
    assert supervise([dying, *others], grace=5) == 3
    assert all(c.poll() is not None for c in others)
