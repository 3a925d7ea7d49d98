"""Officer pages of reconciliation (/can-bo/doi-soat-thanh-toan/): the differences per day and gateway,
resolved one by one with a note (services.resolve), and the refund of a double payment after a
confirmation page (services.refund). Scoped by the services to the officer's agencies (finance roles)."""
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.portal.web import staff_required

from . import registry, services
from .base import PaymentGateway
from .models import DiffKind, PaymentOrder, RefundState


def _day(text):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@staff_required
def differences(request):
    day = _day(request.GET.get("day", ""))
    provider = request.GET.get("provider", "")
    state = request.GET.get("state", "open")
    try:
        rows = list(services.discrepancies(request.actor, day=day, provider=provider or None, state=state)[:300])
    except DomainError as exc:
        messages.error(request, exc.message)
        rows = []
    registry.load_plugins()
    return render(request, "payments/differences.html", {
        "rows": rows, "day": day, "provider": provider, "state": state,
        "providers": [(i, cls.verbose_name) for i, cls in registry.register],
        "states": [("open", _("Chưa xử lý")), ("resolved", _("Đã xử lý")), ("all", _("Tất cả"))],
        "kinds": DiffKind.choices, "refund_due": RefundState.DUE})


@require_POST
@staff_required
def resolve(request, diff_id):
    try:
        services.resolve(request.actor, diff_id, note=request.POST.get("note", ""),
                         refunded=request.POST.get("refunded") == "1")
        messages.success(request, _("Đã ghi nhận cách xử lý chênh lệch."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("payment_office:differences")


@staff_required
def refund(request, reference):
    """GET: the confirmation page (what will be refunded, to whom, through which gateway); POST: refund."""
    order = PaymentOrder.objects.select_related("dossier").filter(reference=reference).first()
    try:
        if order is None:
            raise NotFound("", code="order_not_found")
        services.require_finance(request.actor, order.dossier, NotFound("", code="order_not_found"))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("payment_office:differences")
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Hãy xác nhận hoàn tiền."))
            return redirect("payment_office:refund", reference=reference)
        try:
            services.refund(request.actor, reference)
            messages.success(request, _("Đã hoàn tiền giao dịch %(ref)s.") % {"ref": reference})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("payment_office:differences")
    plugin = registry.register.get(order.provider) if order.provider in registry.register else None
    return render(request, "payments/refund_confirm.html", {
        "o": order, "gateway": plugin.verbose_name if plugin else order.provider,
        "supported": plugin is not None and type(plugin).refund is not PaymentGateway.refund,
        "due": order.refund == RefundState.DUE})
