"""Signed, RFC 3161 time-stamped checkpoints of every history chain head, kept apart from the database.

A hash chain alone does not stop someone with write access to the database from editing an event and
re-hashing everything after it. A checkpoint anchors the chains: it lists, for every dossier whose history
grew since the previous checkpoint, the number of events and the hash of the last one; the list is signed
with the checkpoint key (Ed25519) and time-stamped by a time-stamping authority, and written as one file
into a directory that should live on other storage than the database (write-once/off-site in production).
Checkpoints are chained (each names the digest of the one before), so a removed or edited checkpoint
file is detected too. `verify-history` reads them and reports any chain that no longer holds an anchored
head at its anchored position.

Settings: MOTCUA_HISTORY_CHECKPOINT_DIR, MOTCUA_HISTORY_CHECKPOINT_KEY (PEM Ed25519 private key; created
on first use when missing), MOTCUA_HISTORY_TSA_URL (defaults to the signing TSA; when set, a checkpoint
that cannot be time-stamped is not written).
"""
import base64
import hashlib
import json
import os
import secrets
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from asn1crypto import algos, cms, tsp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .history import GENESIS, canonical
from .models import Dossier, HistoryEvent

FORMAT = "motcua-history-checkpoint/1"
# Events are numbered when inserted but may commit later than a higher-numbered one: each checkpoint
# looks back this many ids behind the previous high-water mark, so a late commit is still anchored.
OVERLAP = 10_000
# A checkpoint's time stamp must be this close to the moment the checkpoint says it was made.
TIMESTAMP_TOLERANCE = timedelta(hours=1)


class CheckpointError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def directory():
    return Path(settings.MOTCUA_HISTORY_CHECKPOINT_DIR)


def _key_path():
    return Path(settings.MOTCUA_HISTORY_CHECKPOINT_KEY)


def signing_key(create=True):
    path = _key_path()
    if not path.exists():
        if not create:
            raise CheckpointError(_("Chưa có khóa ký điểm neo lịch sử (%(path)s).") % {"path": path},
                                  code="checkpoint_key_missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(_("Khóa ký điểm neo lịch sử phải là khóa Ed25519."), code="checkpoint_key_invalid")
    return key


def _public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def body_digest(body):
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- RFC 3161

def _tsa_url():
    return settings.MOTCUA_HISTORY_TSA_URL


def request_timestamp(digest: bytes, url: str, timeout=10):
    """Ask the TSA for a token over `digest` (SHA-256); returns the token (DER ContentInfo)."""
    nonce = secrets.randbits(63)
    req = tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                            "hashed_message": digest},
        "nonce": nonce, "cert_req": True,
    })
    http = urllib.request.Request(url, data=req.dump(), method="POST",
                                  headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(http, timeout=timeout) as resp:   # noqa: S310 (configured service)
            raw = resp.read(1 << 20)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CheckpointError(_("Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian: %(e)s") % {"e": exc},
                              code="tsa_unavailable") from exc
    try:
        answer = tsp.TimeStampResp.load(raw)
        status = answer["status"]["status"].native
        token = answer["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        ok = status in ("granted", "granted_with_mods") and info["nonce"].native == nonce \
            and info["message_imprint"]["hashed_message"].native == digest
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CheckpointError(_("Máy chủ cấp dấu thời gian trả lời không hợp lệ."), code="tsa_bad_answer") from exc
    if not ok:
        raise CheckpointError(_("Máy chủ cấp dấu thời gian từ chối hoặc trả dấu thời gian không khớp."),
                              code="tsa_refused")
    return token.dump()


def check_timestamp(token_der: bytes, digest: bytes):
    """Validate a time-stamp token over `digest` against the configured trust roots; returns its time."""
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko_certvalidator import ValidationContext

    from motcua.signing.common import run_sync
    from motcua.signing.services import trust_roots

    try:
        token = cms.ContentInfo.load(token_der)
        signed = token["content"]
        info = signed["encap_content_info"]["content"].parsed
    except (ValueError, TypeError, KeyError) as exc:
        raise CheckpointError(_("Dấu thời gian không đọc được."), code="timestamp_unreadable") from exc
    context = ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = run_sync(validate_tst_signed_data(signed, context, lambda _algo: digest))
    except Exception as exc:   # pyHanko raises several validation error types
        raise CheckpointError(_("Dấu thời gian không hợp lệ: %(e)s") % {"e": exc}, code="timestamp_invalid") from exc
    trusted = status.get("validation_path") is not None and status.get("trust_problem_indic") is None
    if not (status.get("intact") and status.get("valid") and trusted):
        raise CheckpointError(_("Dấu thời gian không hợp lệ hoặc không do tổ chức tin cậy cấp."),
                              code="timestamp_untrusted")
    return info["gen_time"].native


# ---------------------------------------------------------------- making checkpoints

def _files():
    d = directory()
    return sorted(d.glob("checkpoint-*.json")) if d.exists() else []


def _read(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(_("Không đọc được tệp điểm neo %(f)s.") % {"f": Path(path).name},
                              code="checkpoint_unreadable") from exc


def make_checkpoint(now=None, full=False):
    """Anchor the heads of every chain that grew since the last checkpoint (all chains with `full`).
    Returns the written file's path, or None when nothing changed. Several workers (and the command) may
    call it at once: a lock file in the directory lets one write at a time, so numbers never collide."""
    import fcntl

    directory().mkdir(parents=True, exist_ok=True)
    with open(directory() / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _make_checkpoint(now, full)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _make_checkpoint(now, full):
    now = now or timezone.now()
    files = _files()
    previous = _read(files[-1]) if files else None
    previous_digest = body_digest(previous["body"]) if previous else GENESIS
    since = 0 if (full or previous is None) else max(previous["body"]["high_water"] - OVERLAP, 0)
    high_water = HistoryEvent.objects.aggregate(m=Max("id"))["m"] or 0
    if previous is not None and not full and high_water <= previous["body"]["high_water"]:
        return None
    changed = (HistoryEvent.objects.filter(id__gt=since, id__lte=high_water)
               .values_list("dossier_id", flat=True).distinct())
    heads = []
    ids = sorted(set(changed))
    for lo in range(0, len(ids), 2000):
        chunk = ids[lo:lo + 2000]
        codes = dict(Dossier.objects.filter(id__in=chunk).values_list("id", "code"))
        last = {}
        for dossier_id, seq, digest in (HistoryEvent.objects.filter(dossier_id__in=chunk, id__lte=high_water)
                                        .order_by("dossier_id", "seq").values_list("dossier_id", "seq", "hash")):
            last[dossier_id] = (seq, digest)
        heads += [[codes[i], *last[i]] for i in chunk if i in last]
    heads.sort()
    number = (previous["body"]["number"] + 1) if previous else 1
    body = {"format": FORMAT, "number": number, "made_at": now.isoformat(), "previous": previous_digest,
            "high_water": high_water, "full": bool(full or previous is None), "heads": heads}
    digest = body_digest(body)
    key = signing_key()
    record = {"body": body, "digest": digest,
              "signature": base64.b64encode(key.sign(digest.encode())).decode(),
              "public_key": _public_pem(key), "timestamp_token": None}
    if _tsa_url():
        record["timestamp_token"] = base64.b64encode(request_timestamp(bytes.fromhex(digest), _tsa_url())).decode()
    directory().mkdir(parents=True, exist_ok=True)
    path = directory() / f"checkpoint-{number:08d}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return path


# ---------------------------------------------------------------- reading them back

def load_anchors():
    """Check every checkpoint file (chain of digests, signature by the configured key, time stamp) and
    return ({dossier code: (count, head hash)} from the latest checkpoint naming it, problems)."""
    problems = []
    anchors = {}
    files = _files()
    if not files:
        return anchors, problems
    public = _public_pem(signing_key(create=False))
    previous = GENESIS
    for expected_number, path in enumerate(files, start=1):
        name = path.name
        try:
            record = _read(path)
            body = record["body"]
        except (CheckpointError, KeyError, TypeError) as exc:
            problems.append({"checkpoint": name, "problem": "unreadable", "message": str(exc)})
            previous = None
            continue
        digest = body_digest(body)
        if body.get("number") != expected_number:
            problems.append({"checkpoint": name, "problem": "checkpoint_missing_or_reordered",
                             "expected_number": expected_number})
        if previous is not None and body.get("previous") != previous:
            problems.append({"checkpoint": name, "problem": "checkpoint_chain_broken"})
        if record.get("digest") != digest:
            problems.append({"checkpoint": name, "problem": "checkpoint_digest_mismatch"})
        if record.get("public_key") != public:
            problems.append({"checkpoint": name, "problem": "checkpoint_foreign_key"})
        try:
            signing_key(create=False).public_key().verify(base64.b64decode(record.get("signature") or ""),
                                                         digest.encode())
        except (InvalidSignature, ValueError):
            problems.append({"checkpoint": name, "problem": "checkpoint_signature_invalid"})
        token = record.get("timestamp_token")
        if token:
            try:
                stamped = check_timestamp(base64.b64decode(token), bytes.fromhex(digest))
                made = timezone.datetime.fromisoformat(body["made_at"])
                if abs(stamped - made) > TIMESTAMP_TOLERANCE:
                    problems.append({"checkpoint": name, "problem": "checkpoint_timestamp_far",
                                     "stamped": stamped.isoformat()})
            except CheckpointError as exc:
                problems.append({"checkpoint": name, "problem": exc.code, "message": str(exc)})
        elif _tsa_url():
            problems.append({"checkpoint": name, "problem": "checkpoint_not_timestamped"})
        for code, count, head in body.get("heads", []):
            anchors[code] = (count, head)
        previous = digest
    return anchors, problems
