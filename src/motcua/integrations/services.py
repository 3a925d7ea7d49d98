"""What administrators do with the delivery layer (every change here checks the role itself): see
pending / retrying / dead per integration, resend one, resend all dead for an agency or a period, replay
inbound dossiers waiting for a mapping."""
from datetime import datetime, time

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.core.errors import NotFound, ValidationFailed
from motcua.worktime import TZ

from . import delivery
from .mapping import require_admin
from .models import BLOCKED, InboundDossier, InboundState, MessageState, OutboxMessage


def admin_paths(actor):
    return [path for role, path in actor.roles if role == Role.ADMINISTRATOR]


def messages_for(actor):
    """The outbox messages of the agencies the administrator covers."""
    require_admin(actor)
    q = Q(pk__in=[])
    for path in admin_paths(actor):
        q |= Q(agency__path__startswith=path)
    return OutboxMessage.objects.filter(q)


def _agency(code):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationFailed(_("Không có cơ quan mã %(code)s.") % {"code": code}, code="unknown_agency",
                               details={"agency": code})
    return agency


def _day(text, field, end=False):
    try:
        d = datetime.strptime(text, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        raise ValidationFailed(_("Ngày không hợp lệ (YYYY-MM-DD)."), code="invalid_date", details={"field": field}) \
            from None
    return datetime.combine(d, time.max if end else time.min, tzinfo=TZ)


def filtered(actor, *, integration=None, state=None, agency=None, since=None, until=None):
    qs = messages_for(actor)
    if integration:
        qs = qs.filter(integration=integration)
    if state:
        if state not in MessageState.values:
            raise ValidationFailed(_("Trạng thái không hợp lệ."), code="invalid_state",
                                   details={"allowed": list(MessageState.values)})
        qs = qs.filter(state=state)
    if agency:
        qs = qs.filter(agency__path__startswith=_agency(agency).path)
    if since:
        qs = qs.filter(created_at__gte=_day(since, "since"))
    if until:
        qs = qs.filter(created_at__lte=_day(until, "until", end=True))
    return qs


def summary(actor, **filters):
    return delivery.counts(filtered(actor, **filters))


def resend_one(actor, message_id):
    msg = messages_for(actor).filter(pk=message_id).first()
    if msg is None:
        raise NotFound(_("Không tìm thấy thông điệp %(id)s.") % {"id": message_id}, code="message_not_found")
    if msg.state not in BLOCKED:
        raise ValidationFailed(_("Chỉ gửi lại được thông điệp thất bại hoặc chưa ánh xạ được."),
                               code="not_resendable", details={"state": msg.state})
    return delivery.resend(OutboxMessage.objects.filter(pk=msg.pk))


def resend_dead(actor, *, integration=None, agency=None, since=None, until=None):
    """All dead (and unmappable) messages of an agency and/or period back to the queue."""
    qs = filtered(actor, integration=integration, agency=agency, since=since, until=until)
    return delivery.resend(qs.filter(state__in=BLOCKED))


def inbound_waiting(actor):
    require_admin(actor)
    return InboundDossier.objects.exclude(state=InboundState.CREATED).order_by("received_at")
