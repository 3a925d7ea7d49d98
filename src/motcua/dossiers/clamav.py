"""ClamAV: a small client for clamd's INSTREAM protocol, and the project's own clamd set-up.

MOTCUA_CLAMD_SOCKET is a Unix socket path (default var/clamav/clamd.sock) or `tcp://host:port`.
MOTCUA_VIRUS_SCAN is `required` (default: fail closed, an unreachable scanner quarantines the file) or
`off` (development only; `manage.py check` warns).

`motcua clamd start` writes var/clamav/clamd.conf and a database directory holding the project's own
signatures (clamav_db/motcua.ndb: the EICAR test file, so the chain can be checked without the internet)
plus links to any official databases in /var/lib/clamav, then starts clamd on the socket.
"""
import os
import shutil
import socket
import struct
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SIGNATURES = Path(__file__).with_name("clamav_db") / "motcua.ndb"
OFFICIAL_DB = Path("/var/lib/clamav")


@dataclass
class Verdict:
    state: str            # clean | infected | pending (scanner unavailable) | unscanned (scanning off)
    signature: str = ""
    error: str = ""

    @property
    def infected(self):
        return self.state == "infected"


class ScannerUnavailable(Exception):
    pass


def enabled():
    return str(getattr(settings, "MOTCUA_VIRUS_SCAN", "required")).lower() not in ("off", "false", "0", "no")


def _connect(address, timeout):
    if address.startswith("tcp://"):
        host, _sep, port = address[len("tcp://"):].rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(address)
    return s


def _reply(sock):
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping(address=None, timeout=2.0):
    address = address or settings.MOTCUA_CLAMD_SOCKET
    try:
        with _connect(address, timeout) as s:
            s.sendall(b"zPING\0")
            return _reply(s) == "PONG"
    except OSError:
        return False


def instream(data: bytes, address=None, timeout=None, chunk=256 * 1024) -> str:
    """Send bytes with INSTREAM; returns clamd's answer ("stream: OK", "stream: X FOUND")."""
    address = address or settings.MOTCUA_CLAMD_SOCKET
    timeout = timeout or settings.MOTCUA_CLAMD_TIMEOUT
    try:
        with _connect(address, timeout) as s:
            s.sendall(b"zINSTREAM\0")
            view = memoryview(data)
            for i in range(0, len(data), chunk):
                part = view[i:i + chunk]
                s.sendall(struct.pack(">I", len(part)) + part)
            s.sendall(struct.pack(">I", 0))
            return _reply(s)
    except OSError as exc:
        raise ScannerUnavailable(f"{address}: {exc}") from exc


def scan(data: bytes) -> Verdict:
    if not enabled():
        return Verdict("unscanned")
    try:
        answer = instream(data)
    except ScannerUnavailable as exc:
        return Verdict("pending", error=str(exc))
    if answer.endswith("FOUND"):
        return Verdict("infected", signature=answer.split(":", 1)[-1].rsplit(" ", 1)[0].strip())
    if answer.endswith(": OK") or answer == "stream: OK":
        return Verdict("clean")
    return Verdict("pending", error=answer[:200] or "no answer")   # size limit exceeded, errors: fail closed


# ---------------------------------------------------------------- the project's own clamd

def clamd_binary():
    return shutil.which("clamd") or ("/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None)


def write_config(folder: Path, socket_path: Path, *, foreground: bool, official=True):
    """clamd.conf and db/ under `folder` (var/clamav by default). Returns the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "db"
    db.mkdir(exist_ok=True)
    for old in db.iterdir():
        if old.is_symlink() or old.suffix in (".ndb", ".hdb"):
            old.unlink()
    shutil.copyfile(SIGNATURES, db / SIGNATURES.name)
    if official and OFFICIAL_DB.is_dir():
        for f in OFFICIAL_DB.iterdir():
            if f.suffix in (".cvd", ".cld"):
                (db / f.name).symlink_to(f)
    max_mb = settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024) + 1
    conf = folder / "clamd.conf"
    lines = [
        f"LocalSocket {socket_path}", "FixStaleSocket yes", "LocalSocketMode 660",
        f"DatabaseDirectory {db}", f"PidFile {folder / 'clamd.pid'}", f"LogFile {folder / 'clamd.log'}",
        f"Foreground {'yes' if foreground else 'no'}", f"StreamMaxLength {max_mb}M", f"MaxFileSize {max_mb}M",
        f"MaxScanSize {max(4 * max_mb, 100)}M", "SelfCheck 0", "ReadTimeout 60", "CommandReadTimeout 30",
        "MaxThreads 4", "Bytecode no",
    ]
    if os.geteuid() == 0:
        lines.append("User root")
    conf.write_text("\n".join(lines) + "\n")
    return conf


def start(folder: Path, socket_path: Path, *, foreground=False, official=True, wait=60.0):
    """Start clamd with the project's config; returns the Popen (foreground) or None once the socket
    answers PING. Raises RuntimeError when clamd is missing or does not come up."""
    binary = clamd_binary()
    if binary is None:
        raise RuntimeError("clamd is not installed (apt-get install clamav-daemon)")
    if ping(str(socket_path)):
        return None
    conf = write_config(folder, socket_path, foreground=foreground, official=official)
    proc = subprocess.Popen([binary, "--config-file", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if ping(str(socket_path)):
            return proc if foreground else None
        if foreground and proc.poll() is not None:
            break
        time.sleep(0.2)
    log = (folder / "clamd.log")
    tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
    if foreground and proc.poll() is None:
        proc.terminate()
    raise RuntimeError(f"clamd did not answer on {socket_path}: {tail}")


def stop(folder: Path):
    pidfile = folder / "clamd.pid"
    if not pidfile.exists():
        return False
    try:
        os.kill(int(pidfile.read_text().strip()), 15)
    except (ValueError, ProcessLookupError):
        pass
    pidfile.unlink(missing_ok=True)
    return True
