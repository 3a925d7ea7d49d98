"""The only writers of Feedback. Each function is one transaction and checks the transition and who may
do it: officers of the agency the feedback is about handle it; the citizen who sent it rates the handling."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.dossiers.models import Dossier

from .models import Category, Feedback, FeedbackStatus

S = FeedbackStatus
OPEN = (S.RECEIVED, S.SUPPLEMENT_REQUESTED)
HANDLERS = (Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER)


def _get(feedback_id):
    fb = Feedback.objects.select_for_update().select_related("agency").filter(pk=feedback_id).first()
    if fb is None:
        raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."), code="feedback_not_found")
    return fb


def _handle(actor, feedback_id):
    """The feedback, for an officer of its agency; 404 outside the actor's scope, 403 without a role."""
    fb = _get(feedback_id)
    if not actor.covers(fb.agency.path):
        raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."), code="feedback_not_found")
    if not any(actor.has_role(role, fb.agency.path) for role in HANDLERS):
        raise NotAllowed(_("Bạn không có vai trò xử lý phản ánh, kiến nghị."), code="role_required",
                         details={"roles": [str(r) for r in HANDLERS]})
    return fb


def _require_status(fb, allowed, action):
    if fb.status not in allowed:
        raise Conflict(_("Không thể thực hiện thao tác này với phản ánh đang ở trạng thái “%(status)s”.")
                       % {"status": fb.get_status_display()}, code="invalid_transition",
                       details={"action": action, "status": fb.status})


def _text(value, field, message):
    if not (value or "").strip():
        raise ValidationFailed(message, code=f"{field}_required", details={"field": field})
    return value.strip()


def _bounded(value, field, limit):
    """Text no longer than its column (PostgreSQL would refuse it with a 500)."""
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("Không được dài quá %(limit)d ký tự.") % {"limit": limit}, code="too_long",
                               details={"field": field, "max_length": limit})
    return value


@transaction.atomic
def submit(*, agency_code, category, sender_name, content, sender_contact="", dossier_code=None, now=None,
           owner=None):
    """A citizen's feedback (phản ánh, kiến nghị), optionally about one dossier."""
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise ValidationFailed(_("Không có cơ quan mã %(code)s.") % {"code": agency_code}, code="unknown_agency",
                               details={"field": "agency"})
    if category not in Category.values:
        raise ValidationFailed(_("Nhóm phản ánh không hợp lệ."), code="invalid_category",
                               details={"allowed": list(Category.values)})
    dossier = None
    if dossier_code:
        dossier = Dossier.objects.filter(code=dossier_code).first()
        if dossier is None:
            raise ValidationFailed(_("Không tìm thấy hồ sơ %(code)s.") % {"code": dossier_code},
                                   code="dossier_not_found", details={"field": "dossier"})
        if dossier.agency_id != agency.pk:
            raise ValidationFailed(_("Hồ sơ không thuộc cơ quan bị phản ánh."), code="dossier_agency_mismatch")
    return Feedback.objects.create(
        agency=agency, dossier=dossier, category=category,
        sender_name=_bounded(_text(sender_name, "sender_name", _("Phải có họ tên người phản ánh.")), "sender_name", 255),
        sender_contact=_bounded(sender_contact, "sender_contact", 255), content=_text(content, "content", _("Phải có nội dung phản ánh.")),
        received_at=now or timezone.now(), owner=owner)


@transaction.atomic
def request_supplement(actor, feedback_id, *, reason, now=None):
    fb = _handle(actor, feedback_id)
    _require_status(fb, (S.RECEIVED,), "request_supplement")
    fb.answer = _text(reason, "reason", _("Phải nêu rõ thông tin cần bổ sung."))
    fb.status, fb.supplement_requested_at, fb.handled_by = S.SUPPLEMENT_REQUESTED, now or timezone.now(), actor.username
    fb.save()
    return fb


@transaction.atomic
def supplement_received(actor, feedback_id, *, now=None):
    fb = _handle(actor, feedback_id)
    _require_status(fb, (S.SUPPLEMENT_REQUESTED,), "supplement_received")
    fb.status, fb.supplement_received_at = S.RECEIVED, now or timezone.now()
    fb.save()
    return fb


def _answered(fb):
    """Tell the sender (in this transaction; a failing notice never blocks the answer)."""
    from motcua.integrations.notifications.services import on_feedback_answered
    on_feedback_answered(fb)


@transaction.atomic
def process(actor, feedback_id, *, answer, now=None):
    fb = _handle(actor, feedback_id)
    _require_status(fb, OPEN, "process")
    fb.answer = _text(answer, "answer", _("Phải có kết quả xử lý."))
    fb.status, fb.processed_at, fb.handled_by = S.PROCESSED, now or timezone.now(), actor.username
    fb.save()
    _answered(fb)
    return fb


@transaction.atomic
def reject(actor, feedback_id, *, reason, now=None):
    fb = _handle(actor, feedback_id)
    _require_status(fb, OPEN, "reject")
    fb.answer = _text(reason, "reason", _("Phải nêu rõ lý do từ chối."))
    fb.status, fb.rejected_at, fb.handled_by = S.REJECTED, now or timezone.now(), actor.username
    fb.save()
    _answered(fb)
    return fb


@transaction.atomic
def publish(actor, feedback_id, *, now=None):
    """Publish the handling result (công khai kết quả)."""
    fb = _handle(actor, feedback_id)
    _require_status(fb, (S.PROCESSED,), "publish")
    fb.status, fb.published_at = S.PUBLISHED, now or timezone.now()
    fb.save()
    return fb


@transaction.atomic
def rate_handling(actor, feedback_id, *, score):
    fb = _get(feedback_id)
    if fb.owner_id is None or fb.owner_id != actor.user_id:
        raise NotAllowed(_("Chỉ người gửi phản ánh mới đánh giá được việc xử lý."), code="not_owner")
    _require_status(fb, (S.PROCESSED, S.REJECTED, S.PUBLISHED), "rate_handling")
    if score is None or not 1 <= int(score) <= 5:
        raise ValidationFailed(_("Điểm đánh giá phải từ 1 đến 5."), code="invalid_score", details={"field": "score"})
    if fb.satisfaction is not None:
        raise Conflict(_("Phản ánh này đã được đánh giá."), code="already_rated")
    fb.satisfaction = int(score)
    fb.save()
    return fb
