"""Dossiers submitted on DVCQG arrive in Motcua: status 1, channel 2, their DVCQG code kept beside the local
code (RemoteDossier), routed to the competent agency through the lifecycle service. Two ways in, both
idempotent by the DVCQG code: polling (list new, fetch one, acknowledge) and a signed webhook.

No public specification of DVCQG's inbound direction exists (INTEGRATIONS.md §0.3): the service names
(LayDanhSachHoSoMoi, LayHoSo, XacNhanHoSo) and the webhook signature are this adapter's own contract.
An unknown procedure or agency code keeps the dossier in the 'cannot map' queue with the reason; an
administrator maps the code and replays it. Nothing is dropped.
"""
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.scope import Actor
from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.dossiers import services as dossier_services

from . import mapping
from .models import InboundDossier, InboundState, RemoteDossier, WebhookNonce
from .portal.base import DeliveryError
from .portal.contrib.dvcqg import signing, spec

log = logging.getLogger("motcua.inbound")
INTEGRATION = "dvcqg"
SYSTEM_ACTOR = Actor(user_id=None, username="dvcqg")     # the adapter itself, recorded in the history


def receive(payload, via):
    """Keep one dossier from DVCQG and create it locally. Idempotent: the same code again returns the
    first record. Returns (InboundDossier, created_now)."""
    if not isinstance(payload, dict):
        raise ValidationFailed(_("Hồ sơ nhận từ Cổng DVCQG phải là một đối tượng JSON."), code="inbound_invalid")
    code = payload.get("MaHoSo")
    if not isinstance(code, str) or not code.strip() or len(code) > 64:
        raise ValidationFailed(_("Thiếu hoặc sai mã hồ sơ DVCQG (MaHoSo)."), code="inbound_code_invalid",
                               details={"field": "MaHoSo"})
    code = code.strip()
    existing = InboundDossier.objects.filter(remote_code=code).first()
    if existing:
        InboundDossier.objects.filter(pk=existing.pk).update(attempts=existing.attempts + 1)
        return existing, False
    try:
        with transaction.atomic():
            inbound = InboundDossier.objects.create(remote_code=code, payload=payload, via=via,
                                                    state=InboundState.CANNOT_MAP, received_at=timezone.now())
            _materialise(inbound)
    except IntegrityError:      # the same dossier arriving by the other way at the same moment
        return InboundDossier.objects.get(remote_code=code), False
    return inbound, True


def _materialise(inbound):
    """Create the local dossier for a kept inbound record (inside the caller's transaction)."""
    p = inbound.payload
    procedure = mapping.local_procedure(str(p.get("MaTTHC") or ""))
    if procedure is None:
        return _park(inbound, InboundState.CANNOT_MAP, "procedure_not_mapped",
                     _("Mã thủ tục DVCQG %(code)s chưa được ánh xạ với thủ tục nào.") % {"code": p.get("MaTTHC")})
    agency = None
    if p.get("MaDinhDanhDV"):
        agency = mapping.local_agency(str(p["MaDinhDanhDV"]))
        if agency is None:
            return _park(inbound, InboundState.CANNOT_MAP, "agency_not_mapped",
                         _("Mã định danh cơ quan %(code)s chưa được ánh xạ.") % {"code": p["MaDinhDanhDV"]})
    submitted = None
    if p.get("NgayNopHoSo"):
        try:
            submitted = spec.parse_date(str(p["NgayNopHoSo"]))
        except ValueError:
            return _park(inbound, InboundState.FAILED, "date_invalid",
                         _("Ngày nộp hồ sơ không đúng định dạng yyyyMMddHHmmss."))
    data = {"procedure": procedure.code, "agency": agency.code if agency else None, "channel": 2,
            "applicant_name": str(p.get("ChuHoSo") or "")[:255],
            "applicant_id_number": str(p.get("SoGiayToChuHoSo") or "")[:20],
            "applicant_phone": str(p.get("SoDienThoai") or "")[:20], "applicant_email": str(p.get("Email") or "")[:254],
            "applicant_address": str(p.get("DiaChi") or p.get("ThongTinKhac") or "")[:500],
            "request": str(p.get("TrichYeuHoSo") or "")[:4000],
            "applicant_kind": "organisation" if str(p.get("LoaiDoiTuong")) == "2" else "citizen"}
    now = timezone.now()
    if submitted:
        data["submitted_at"] = min(submitted, now)
    try:
        dossier, _r = dossier_services.intake(SYSTEM_ACTOR, data, now=now, source=dossier_services.SOURCE_DVCQG)
    except DomainError as exc:
        state = InboundState.CANNOT_MAP if exc.code in ("agency_required", "agency_not_competent",
                                                         "procedure_without_agency", "unknown_procedure") \
            else InboundState.FAILED
        return _park(inbound, state, exc.code, exc.message)
    RemoteDossier.objects.update_or_create(integration=INTEGRATION, dossier=dossier, defaults={
        "remote_code": inbound.remote_code, "created_remotely": True})
    inbound.dossier, inbound.state, inbound.reason, inbound.reason_code = dossier, InboundState.CREATED, "", ""
    inbound.save(update_fields=["dossier", "state", "reason", "reason_code"])
    return inbound


def _park(inbound, state, code, reason):
    inbound.state, inbound.reason_code, inbound.reason = state, code, str(reason)
    inbound.save(update_fields=["state", "reason_code", "reason"])
    log.warning("inbound %s waits (%s): %s", inbound.remote_code, code, reason)
    return inbound


def replay(actor, remote_code):
    """An administrator mapped the missing code: create the dossier now."""
    mapping.require_admin(actor)
    with transaction.atomic():
        inbound = InboundDossier.objects.select_for_update().filter(remote_code=remote_code).first()
        if inbound is None:
            raise NotFound(_("Không có hồ sơ DVCQG mã %(code)s.") % {"code": remote_code}, code="inbound_not_found")
        if inbound.state == InboundState.CREATED:
            return inbound
        return _materialise(inbound)


# ---------------------------------------------------------------- webhook

class WebhookRefused(DomainError):
    status_code = 401
    code = "webhook_refused"


def verify_webhook(headers, body, now=None):
    """Refuse a webhook call unless it is signed with the shared secret, fresh (replay window) and its
    nonce was never seen. Records the nonce."""
    conf = settings.MOTCUA_DVCQG
    secret, window = conf.get("webhook_secret", ""), int(conf.get("webhook_window", 300))
    ts, nonce, sig = (headers.get(signing.HEADER_TS, ""), headers.get(signing.HEADER_NONCE, ""),
                      headers.get(signing.HEADER_SIG, ""))
    if not secret:
        raise WebhookRefused(_("Chưa cấu hình khoá bí mật của webhook DVCQG."), code="webhook_not_configured",
                             status_code=503)
    if not (ts.isdigit() and nonce and 8 <= len(nonce) <= 100 and sig):
        raise WebhookRefused(_("Thiếu chữ ký, thời điểm hoặc nonce của webhook."), code="webhook_unsigned")
    if not signing.valid(secret, ts, nonce, body, sig):
        raise WebhookRefused(_("Chữ ký webhook không hợp lệ."), code="webhook_bad_signature")
    now_s = (now or time.time())
    if abs(now_s - int(ts)) > window:
        raise WebhookRefused(_("Webhook đã quá hạn (ngoài cửa sổ chống phát lại)."), code="webhook_expired")
    try:
        with transaction.atomic():
            WebhookNonce.objects.create(nonce=nonce, seen_at=timezone.now())
    except IntegrityError:
        raise WebhookRefused(_("Webhook bị gửi lại (nonce đã dùng)."), code="webhook_replayed") from None
    WebhookNonce.objects.filter(seen_at__lt=timezone.now() - timedelta(seconds=2 * window)).delete()


# ---------------------------------------------------------------- polling

def poll_once(plugin=None):
    """List new dossiers on DVCQG, fetch and keep each, acknowledge it. Returns counts; a DVCQG failure is
    logged and retried at the next poll (an unacknowledged dossier is listed again)."""
    from .portal.registry import register
    plugin = plugin or register.get(INTEGRATION)
    out = {"listed": 0, "created": 0, "waiting": 0, "already": 0, "errors": 0}
    try:
        codes = plugin.list_new()
    except DeliveryError as exc:
        log.warning("DVCQG polling failed: %s", exc.reason)
        out["errors"] += 1
        return out
    out["listed"] = len(codes)
    for code in codes:
        try:
            payload = plugin.fetch(code)
            inbound, created = receive(payload, "poll")
            plugin.acknowledge(code)
            InboundDossier.objects.filter(pk=inbound.pk).update(acknowledged=True)
        except (DeliveryError, ValidationFailed) as exc:
            log.warning("DVCQG dossier %s not taken: %s", code, getattr(exc, "reason", exc))
            out["errors"] += 1
            continue
        key = "already" if not created else ("created" if inbound.state == InboundState.CREATED else "waiting")
        out[key] += 1
    return out
