"""What the rest of Motcua calls for notifications (never a channel directly).

- `on_dossier_event(dossier, event)`: called by the delivery layer's `record()` for every act, inside the
  act's transaction. Acts that concern the applicant (received, supplement, financial obligation, refused,
  result ready / returned, apology) write one Notification + one outbox message + one job per chosen
  channel, in a savepoint: whatever goes wrong there is logged and rolled back alone; the act commits.
- `on_feedback_answered(feedback)`: the same for an answered feedback about a dossier.
- `OutboxAdapter`: what the delivery layer calls to send one notification (render the template, check the
  address, send, log the attempt with the recipient masked).
- Templates: list, save (validated in the sandbox), preview; the send log. Each checks the administrator
  role itself.
"""
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.integrations.portal.base import DeliveryError, Permanent, Transient

from . import defaults, events, registry
from .masking import mask_address, scrub
from .models import Channel, Notification, NotificationTemplate, Outcome, SendLog
from .recipients import recipient_for, recipient_for_feedback
from .rendering import check_variables, render_html, render_text

log = logging.getLogger("motcua.notify")


# ---------------------------------------------------------------- enqueue (inside the act's transaction)

def on_dossier_event(dossier, event):
    key = events.FOR_ACTION.get(event.action)
    if key is None:
        return 0
    return _safely(key, dossier, lambda: recipient_for(dossier),
                   lambda: events.dossier_context(key, dossier, event), history_seq=event.seq)


def on_feedback_answered(feedback):
    if feedback.dossier_id is None:
        log.info("feedback %s answered: no dossier, no notification", feedback.pk)
        return 0
    return _safely("feedback_answered", feedback.dossier, lambda: recipient_for_feedback(feedback),
                   lambda: events.feedback_context(feedback), feedback_id=feedback.pk)


def _safely(key, dossier, recipient_fn, context_fn, **extra):
    channels = registry.enabled()
    if not channels:
        return 0
    try:
        with transaction.atomic():
            return _enqueue(key, dossier, recipient_fn(), context_fn, channels, **extra)
    except Exception as exc:   # noqa: BLE001 - a notification never blocks or rolls back the act
        log.error("notification %s for dossier %s not queued: %s", key, dossier.code,
                  scrub(f"{type(exc).__name__}: {exc}"))
        return 0


def _enqueue(key, dossier, recipient, context_fn, channels, history_seq=None, feedback_id=None):
    from motcua.integrations.models import OutboxMessage
    from motcua.integrations.tasks import deliver_dossier

    wanted = [c for c in recipient.channels if c in channels and recipient.address(channels[c].address)]
    if not wanted:
        return 0
    off = set(NotificationTemplate.objects.filter(event=key, channel__in=wanted, active=False)
              .values_list("channel", flat=True))
    wanted = [c for c in wanted if c not in off]
    if not wanted:
        return 0
    context = context_fn()
    now = timezone.now()
    for ident in wanted:
        n = Notification.objects.create(dossier=dossier, feedback_id=feedback_id, event=key, channel=ident,
                                        recipient=recipient.address(channels[ident].address), context=context,
                                        history_seq=history_seq, created_at=now)
        integration = registry.integration_name(ident)
        OutboxMessage.objects.create(integration=integration, dossier_id=dossier.pk, agency_id=dossier.agency_id,
                                     seq=n.pk, action=key, status=dossier.status, next_attempt_at=now, created_at=now)
        deliver_dossier.enqueue(integration, dossier.pk)
    return len(wanted)


# ---------------------------------------------------------------- delivery (the background job)

def template_for(event, channel):
    tpl = NotificationTemplate.objects.filter(event=event, channel=channel).first()
    if tpl is None:
        subject, body = defaults.default(event, channel)
        tpl = NotificationTemplate(event=event, channel=channel, subject=subject, body=body)
    return tpl


def _flat(value):
    return "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value or "")


def render(notification, channel):
    """The Rendered notice of `notification` for `channel` (Permanent when the template cannot render)."""
    from .base import Rendered

    tpl = template_for(notification.event, notification.channel)
    ctx = notification.context or {}
    try:
        text = render_text(tpl.body, ctx)
        subject = render_text(tpl.subject, ctx) if tpl.subject else ""
        html = render_html(tpl.body, ctx) if channel.address == "email" else ""
    except ValidationFailed as exc:
        raise Permanent(_("Mẫu thông báo không dùng được: %(m)s") % {"m": exc.message}, code="template_error") from None
    params = {k: _flat(v) for k, v in ctx.items()}
    params["loi_nhan"] = text
    return Rendered(recipient=channel.check_address(notification.recipient), subject=subject, text=text, html=html,
                    provider_template_id=tpl.provider_template_id, params=params,
                    tracking_id=f"motcua{notification.pk}")


def shown(recipient):
    """The recipient as logs and pages show it: 'a***@example.vn', '84******678'."""
    from .phones import normalize
    return mask_address(recipient if "@" in recipient else (normalize(recipient) or recipient))


def _log(n, outcome, code="", detail="", ref="", at=None):
    SendLog.objects.create(notification=n, at=at or timezone.now(), channel=n.channel, event=n.event,
                           dossier_code=n.dossier.code, recipient_masked=shown(n.recipient),
                           outcome=outcome, code=code[:40], detail=scrub(detail)[:2000], provider_ref=ref[:100])
    log.info("notify %s %s %s to %s: %s %s", n.channel, n.event, n.dossier.code, shown(n.recipient),
             outcome, scrub(f"{code} {detail}".strip()))


class OutboxAdapter:
    """The delivery layer's plugin for the `notify_<channel>` integrations."""

    def __init__(self, identifier):
        self.identifier = identifier

    def deliver(self, message):
        from motcua.integrations.delivery import conf

        n = Notification.objects.select_related("dossier").filter(pk=message.seq).first()
        if n is None:
            raise Permanent(_("Không tìm thấy thông báo %(id)s.") % {"id": message.seq}, code="notification_missing")
        channel = registry.register.get(self.identifier)
        try:
            if not channel.configured():
                raise Transient(_("Kênh %(c)s chưa được cấu hình.") % {"c": self.identifier}, code="not_configured")
            ref = channel.send(render(n, channel))
        except DeliveryError as exc:
            exc.reason = scrub(exc.reason)
            final = not exc.retry or message.attempts + 1 >= conf("max_attempts")
            _log(n, Outcome.FAILED if final else Outcome.RETRY, exc.code, exc.reason)
            raise
        except Exception as exc:   # noqa: BLE001 - logged masked, retried by the delivery layer
            reason = scrub(f"{type(exc).__name__}: {exc}")
            _log(n, Outcome.RETRY, "unexpected", reason)
            raise Transient(reason, code="unexpected") from None
        _log(n, Outcome.SENT, "", "", ref or "")


def outbox_plugin(integration):
    ident = registry.channel_of(integration)
    if ident is None:
        raise KeyError(integration)
    return OutboxAdapter(ident)


# ---------------------------------------------------------------- administrators

def _require_admin(actor):
    from motcua.integrations.mapping import require_admin
    require_admin(actor)


def _check_pair(event, channel):
    if event not in events.EVENTS:
        raise ValidationFailed(_("Sự kiện không hợp lệ."), code="invalid_event", details={"allowed": list(events.EVENTS)})
    if channel not in Channel.values:
        raise ValidationFailed(_("Kênh không hợp lệ."), code="invalid_channel", details={"allowed": list(Channel.values)})


def templates(actor):
    """Every (event, channel) with its template (the default text when no row exists)."""
    _require_admin(actor)
    return [template_for(e, c) for e in events.EVENTS for c in Channel.values]


def _validated(event, subject, body):
    sample = events.sample_context(event)
    if not (body or "").strip():
        raise ValidationFailed(_("Nội dung mẫu không được để trống."), code="body_required", details={"field": "body"})
    check_variables(body, sample, "body")
    if subject:
        check_variables(subject, sample, "subject")


@transaction.atomic
def save_template(actor, event, channel, *, subject="", body, provider_template_id="", active=True):
    _require_admin(actor)
    _check_pair(event, channel)
    subject, provider_template_id = (subject or "").strip(), (provider_template_id or "").strip()
    if len(subject) > 255 or len(provider_template_id) > 64:
        raise ValidationFailed(_("Tiêu đề hoặc mã mẫu quá dài."), code="too_long")
    _validated(event, subject, body)
    tpl, _c = NotificationTemplate.objects.update_or_create(
        event=event, channel=channel, defaults={"subject": subject, "body": body.strip(), "active": bool(active),
                                                "provider_template_id": provider_template_id,
                                                "updated_by": actor.username})
    return tpl


def preview(actor, event, channel, *, subject="", body):
    """The text a citizen would get, with the event's sample values (nothing saved)."""
    _require_admin(actor)
    _check_pair(event, channel)
    _validated(event, subject, body)
    sample = events.sample_context(event)
    text = render_text(body, sample)
    if channel == Channel.SMS:
        from .contrib.sms_brandname.client import plain_sms
        text = plain_sms(text)
    return {"subject": render_text(subject, sample) if subject else "", "text": text,
            "html": render_html(body, sample) if channel == Channel.EMAIL else ""}


def send_log(actor, limit=200):
    """The latest send attempts in the administrator's agencies (recipients masked)."""
    from motcua.agencies.models import Role
    _require_admin(actor)
    q = Q(pk__in=[])
    for role, path in actor.roles:
        if role == Role.ADMINISTRATOR:
            q |= Q(notification__dossier__agency_path__startswith=path)
    return SendLog.objects.filter(q).order_by("-at", "-id")[:limit]
