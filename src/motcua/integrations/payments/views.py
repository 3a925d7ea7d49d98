"""Thin web endpoints of online payment: the citizen starts a payment, the gateways call the IPN /
CONFIRM, the browser comes back. Everything else is in services.py."""
import json
import logging

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.portal.web import citizen_required

from . import registry, services
from .models import OrderState, PaymentOrder

log = logging.getLogger("motcua.payments")


@require_POST
@citizen_required
def start(request, code):
    """"Thanh toán trực tuyến": the amount is computed by the service, never read from the form."""
    try:
        order = services.start(request.actor, code, provider=request.POST.get("provider", ""),
                               purpose=request.POST.get("purpose", ""), ip=_client_ip(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:my_dossier", code=code)
    return redirect("payments:order", reference=order.reference)


def _client_ip(request):
    """The client's address (TrustedProxyMiddleware has already resolved REMOTE_ADDR behind proxies)."""
    return request.META.get("REMOTE_ADDR", "")


@citizen_required
def order(request, reference):
    """The order before the citizen leaves for the gateway (a link, so the page's form-action policy holds),
    and its state afterwards."""
    o = PaymentOrder.objects.select_related("dossier", "dossier__procedure").filter(reference=reference).first()
    if o is None or o.dossier.owner_id != request.user.pk:
        raise Http404
    return render(request, "payments/order.html", {"o": o, "gateway": registry.register.get(o.provider).verbose_name,
                                                   "open": o.state == OrderState.PENDING})


@csrf_exempt
@require_GET
def vnpay_ipn(request):
    status, body = services.notify("vnpay", request.GET.dict(), kind="ipn")
    return JsonResponse(body, status=status)


@csrf_exempt
@require_POST
def paygov_confirm(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = {}
    status, body = services.notify("paygov", data if isinstance(data, dict) else {}, kind="confirm")
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def returned(request, provider):
    """The browser back from the gateway: shows the order's state as Motcua knows it (set by the IPN only)."""
    if provider not in registry.register:
        raise Http404
    o, notice = services.returned(provider, request.GET.dict())
    owner = o is not None and request.user.is_authenticated and o.dossier.owner_id == request.user.pk
    return render(request, "payments/returned.html", {"o": o if owner else None, "found": o is not None,
                                                      "gateway_says_paid": notice.valid and notice.paid})


@citizen_required
def receipt(request, reference):
    """The platform's receipt (PDF) of a paid order, for its applicant or an officer in scope."""
    from django.http import HttpResponse

    from motcua.dossiers.visibility import sees_everything
    o = PaymentOrder.objects.select_related("dossier").filter(reference=reference).first()
    if o is None or not (o.dossier.owner_id == request.user.pk or sees_everything(request.actor, o.dossier)) \
            or not o.receipt_pdf:
        raise Http404
    response = HttpResponse(bytes(o.receipt_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{o.reference}.pdf"'
    return response


@citizen_required
def own_receipt(request, receipt_id):
    """Motcua's electronic receipt (PDF), for the applicant or an officer in scope; 404 for anyone else."""
    from django.http import HttpResponse

    from . import receipts
    try:
        r, pdf = receipts.for_download(request.actor, receipt_id)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{r.series}-{r.number_text}-{r.year}.pdf"'
    return response
