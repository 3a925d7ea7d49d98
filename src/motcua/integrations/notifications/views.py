"""Back-office page for administrators (/can-bo/thong-bao/): the templates of every event and channel,
edit with a preview (sample values; nothing is sent), and the latest sends with their outcome (recipients
masked). Failed sends are resent from the delivery page (/can-bo/dong-bo/). Changes go through services."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotAllowed
from motcua.portal.web import staff_required

from . import events, services
from .models import Channel


def _admin(request):
    try:
        services._require_admin(request.actor)
    except NotAllowed:
        raise PermissionDenied from None


@staff_required
def page(request):
    _admin(request)
    rows = services.templates(request.actor)
    return render(request, "notifications/page.html", {
        "rows": [{"t": t, "event_label": events.EVENTS[t.event].label, "channel_label": Channel(t.channel).label}
                 for t in rows],
        "log": services.send_log(request.actor),
    })


@staff_required
def edit(request, event, channel):
    _admin(request)
    if event not in events.EVENTS or channel not in Channel.values:
        raise PermissionDenied
    tpl = services.template_for(event, channel)
    form = {"subject": tpl.subject, "body": tpl.body, "provider_template_id": tpl.provider_template_id,
            "active": tpl.active}
    shown, error = None, None
    if request.method == "POST":
        p = request.POST
        form = {"subject": p.get("subject", ""), "body": p.get("body", ""),
                "provider_template_id": p.get("provider_template_id", ""), "active": p.get("active") == "on"}
        try:
            if p.get("do") == "preview":
                shown = services.preview(request.actor, event, channel, subject=form["subject"], body=form["body"])
            else:
                services.save_template(request.actor, event, channel, **form)
                messages.success(request, _("Đã lưu mẫu thông báo."))
                return redirect("notifications:page")
        except DomainError as exc:
            error = exc
    return render(request, "notifications/edit.html", {
        "event": event, "channel": channel, "event_label": events.EVENTS[event].label,
        "channel_label": Channel(channel).label, "variables": events.EVENTS[event].variables, "form": form,
        "preview": shown, "error": error, "status": 422 if error else 200,
    }, status=422 if error else 200)
