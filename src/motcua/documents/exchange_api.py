"""The exchange endpoint: a peer Motcua POSTs an edXML envelope or status message here, signed with the secret
the two agencies share (transport.hmac_sign). No account: the signature is the authentication. A missing or bad
signature, an unknown sender, a stale timestamp or a replayed signature is refused (401) and nothing is read.
A signed envelope that is refused on its content answers 200 with accepted=false: the refusal travels back as a
02 status message through the outbox."""
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError, error_responses
from motcua.integrations.models import WebhookNonce

from . import exchange_flow
from .models import ExchangePeer
from .transport import HEADER_SENDER, HEADER_SIG, HEADER_TS, hmac_valid

log = logging.getLogger("motcua.exchange")

INTAKE = inline_serializer("ExchangeIntake", {
    "accepted": serializers.BooleanField(), "code": serializers.CharField(),
    "document": serializers.IntegerField(allow_null=True)})


class ExchangeRefused(DomainError):
    status_code = 401
    code = "exchange_refused"


def verify_call(headers, body, now=None):
    """The peer that signed this call, or ExchangeRefused. Records the signature (replays are refused)."""
    ts, sender, sig = headers.get(HEADER_TS, ""), headers.get(HEADER_SENDER, ""), headers.get(HEADER_SIG, "")
    if not (ts.isdigit() and sender and sig):
        raise ExchangeRefused(_("Thiếu chữ ký, thời điểm hoặc mã cơ quan gửi."), code="exchange_unsigned")
    peer = ExchangePeer.objects.filter(code=sender, is_active=True).first()
    if peer is None or not hmac_valid(peer.secret, ts, sender, body, sig):
        raise ExchangeRefused(_("Chữ ký của lời gọi liên thông không hợp lệ."), code="exchange_bad_signature")
    window = settings.MOTCUA_EXCHANGE["window"]
    if abs((now or time.time()) - int(ts)) > window:
        raise ExchangeRefused(_("Lời gọi liên thông đã quá hạn (ngoài cửa sổ chống phát lại)."),
                              code="exchange_expired")
    try:
        with transaction.atomic():
            WebhookNonce.objects.create(nonce=f"edxml:{sig[:64]}", seen_at=timezone.now())
    except IntegrityError:
        raise ExchangeRefused(_("Lời gọi liên thông bị gửi lại."), code="exchange_replayed") from None
    WebhookNonce.objects.filter(nonce__startswith="edxml:",
                                seen_at__lt=timezone.now() - timedelta(seconds=2 * window)).delete()
    return peer


@method_decorator(csrf_exempt, name="dispatch")
class ExchangeInbox(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(summary="Liên thông văn bản: nhận gói tin edXML (văn bản hoặc thông điệp trạng thái) "
                           "từ cơ quan khác (ký HMAC, chống phát lại)",
                   request={"application/xml": OpenApiTypes.STR}, responses={200: INTAKE, **error_responses(401, 403, 422)},
                   auth=[], tags=["documents"])
    def post(self, request):
        body = request.body
        try:
            peer = verify_call(request.headers, body)
        except ExchangeRefused as exc:
            log.warning("exchange call refused from %s: %s", request.META.get("REMOTE_ADDR"), exc.code)
            return JsonResponse(exc.as_dict(), status=exc.status_code)
        result = exchange_flow.intake(body, sender_code=peer.code, via="direct")
        if result.http_status != 200:
            return JsonResponse({"code": result.code, "message": _("Thông điệp trạng thái không được chấp nhận."),
                                 "details": {}}, status=result.http_status)
        return Response({"accepted": result.accepted, "code": result.code,
                         "document": getattr(result.document, "pk", None)})
