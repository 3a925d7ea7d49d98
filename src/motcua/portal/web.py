"""Helpers shared by the citizen portal and the back office: domain errors shown as messages, uploads
checked before anything is written, and aware datetimes from form fields."""
import functools
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.scope import actor_for
from motcua.core.errors import DomainError, ValidationFailed
from motcua.core.forms import ComponentChoice, present, validated
from motcua.dossiers import services
from motcua.dossiers.uploads import check_upload, read_limited


def staff_required(view):
    """Officer pages: a logged-in user holding at least one role; others go to the login page / 403."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/dang-nhap/?next={request.get_full_path()}")
        actor = actor_for(request.user)
        if not actor.roles:
            raise PermissionDenied
        request.actor = actor
        return view(request, *args, **kwargs)
    return wrapper


def citizen_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/dang-nhap/?next={request.get_full_path()}")
        request.actor = actor_for(request.user)
        return view(request, *args, **kwargs)
    return wrapper


def show_error(request, exc: DomainError):
    messages.error(request, exc.message)


def read_uploads(files):
    """[(field, UploadedFile)] -> [(field, name, bytes)] after the engine's own checks (type sniffed from
    the content, size limit), so that a bad file is refused before any dossier row is written."""
    out = []
    for field, f in files:
        try:
            content = read_limited(f)   # in chunks with a running count, never past the limit
            check_upload(f.name, content)
        except ValidationFailed as exc:
            raise ValidationFailed(f"{f.name}: {exc.message}", code=exc.code, details=exc.details) from exc
        out.append((field, f.name, content))
    return out


def attach_all(actor, code, items, kind, internal=None):
    """Attach checked files inside the caller's transaction; on failure remove files already stored so
    nothing is left half-saved (the rows roll back with the transaction)."""
    stored = []
    try:
        for component_id, name, content in items:
            stored.append(services.attach(actor, code, kind=kind, filename=name, content=content,
                                          component_id=component_id, internal=internal))
    except Exception:
        for att in stored:
            att.file.delete(save=False)
        raise
    return stored


def aware(value: str):
    """'2026-06-01T08:00' (datetime-local) -> aware datetime in Asia/Ho_Chi_Minh; '' -> None."""
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Ngày giờ không hợp lệ.", code="invalid_datetime")
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


atomic = transaction.atomic


def attach_posted_files(request, actor, code, kind):
    """Check and attach every file of the request's `file` field (optionally for `component`) in one
    transaction. Returns how many were attached; raises DomainError (nothing stored) otherwise."""
    comp = validated(ComponentChoice, present(request.POST, "component")).get("component")
    files = read_uploads([(comp, f) for f in request.FILES.getlist("file")])
    if not files:
        raise ValidationFailed(_("Chưa chọn tệp."), code="file_required")
    # staff's "other" documents stay internal unless the officer shares them with the applicant
    internal = False if request.POST.get("shared") == "on" else None
    with atomic():
        attach_all(actor, code, [(int(c) if c else None, n, b) for c, n, b in files], kind, internal=internal)
    return len(files)
