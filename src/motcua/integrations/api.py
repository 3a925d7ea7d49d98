"""Delivery state and administration over the API (administrators), and the DVCQG webhook."""
import json
import logging

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import ValidationFailed, error_responses

from . import inbound, mapping, services
from .models import MessageState

log = logging.getLogger("motcua.inbound")
STATE_COUNTS = {s: serializers.IntegerField() for s in MessageState.values}
COUNTS = inline_serializer("DeliveryCounts", {
    "integrations": serializers.DictField(child=inline_serializer("DeliveryStateCounts", {
        **STATE_COUNTS, "oldest_undelivered": serializers.CharField(required=False)}))})
FILTERS = [OpenApiParameter("integration", str), OpenApiParameter("agency", str, description="mã cơ quan"),
           OpenApiParameter("since", str, description="YYYY-MM-DD"), OpenApiParameter("until", str, description="YYYY-MM-DD")]


class MessageRow(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField()
    integration = serializers.CharField()
    dossier = serializers.CharField()
    agency = serializers.CharField()
    seq = serializers.IntegerField()
    action = serializers.CharField()
    status = serializers.IntegerField()
    state = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


def message_row(m):
    return {"id": m.pk, "message_id": m.message_id, "integration": m.integration, "dossier": m.dossier.code,
            "agency": m.agency.code, "seq": m.seq, "action": m.action, "status": m.status, "state": m.state,
            "attempts": m.attempts, "next_attempt_at": m.next_attempt_at, "last_error": m.last_error,
            "created_at": m.created_at, "delivered_at": m.delivered_at}


def _filters(request):
    p = request.query_params
    return {k: p.get(k) or None for k in ("integration", "agency", "since", "until")}


class DeliveryCounts(APIView):
    @extend_schema(summary="Số thông điệp theo trạng thái (chờ gửi, đang thử lại, thất bại...) của từng kết nối",
                   parameters=FILTERS, responses={200: COUNTS, **error_responses(401, 403, 422)}, tags=["integrations"])
    def get(self, request):
        return Response({"integrations": services.summary(actor_for(request.user), **_filters(request))})


class DeliveryMessages(APIView):
    @extend_schema(summary="Danh sách thông điệp (lọc theo trạng thái), kèm lỗi gần nhất",
                   parameters=[*FILTERS, OpenApiParameter("state", str, enum=list(MessageState.values))],
                   responses={200: MessageRow(many=True), **error_responses(401, 403, 422)}, tags=["integrations"])
    def get(self, request):
        qs = services.filtered(actor_for(request.user), state=request.query_params.get("state") or None,
                               **_filters(request)).select_related("dossier", "agency").order_by("created_at", "pk")
        return Response([message_row(m) for m in qs[:500]])


RESENT = inline_serializer("Resent", {"resent": serializers.IntegerField()})


class ResendOne(APIView):
    @extend_schema(summary="Gửi lại một thông điệp thất bại", request=None, responses={200: RESENT, **error_responses(401, 403, 404, 422)}, tags=["integrations"])
    def post(self, request, id):   # noqa: A002 - the documented path parameter
        return Response({"resent": services.resend_one(actor_for(request.user), id)})


class ResendIn(serializers.Serializer):
    integration = serializers.CharField(required=False)
    agency = serializers.CharField(required=False)
    since = serializers.CharField(required=False, help_text="YYYY-MM-DD")
    until = serializers.CharField(required=False, help_text="YYYY-MM-DD")


class ResendDead(APIView):
    @extend_schema(summary="Gửi lại mọi thông điệp thất bại của một cơ quan và/hoặc một khoảng thời gian",
                   request=ResendIn, responses={200: RESENT, **error_responses(401, 403, 422)}, tags=["integrations"])
    def post(self, request):
        s = ResendIn(data=request.data)
        if not s.is_valid():
            raise ValidationFailed(_("Dữ liệu không hợp lệ."), code="validation_error", details=s.errors)
        return Response({"resent": services.resend_dead(actor_for(request.user), **s.validated_data)})


class InboundRow(serializers.Serializer):
    remote_code = serializers.CharField()
    state = serializers.CharField()
    reason_code = serializers.CharField()
    reason = serializers.CharField()
    via = serializers.CharField()
    received_at = serializers.DateTimeField()
    dossier = serializers.CharField(allow_null=True)


def inbound_row(i):
    return {"remote_code": i.remote_code, "state": i.state, "reason_code": i.reason_code, "reason": i.reason,
            "via": i.via, "received_at": i.received_at, "dossier": i.dossier.code if i.dossier_id else None}


class InboundWaiting(APIView):
    @extend_schema(summary="Hồ sơ nhận từ Cổng DVCQG đang chờ ánh xạ (hoặc lỗi dữ liệu)",
                   responses={200: InboundRow(many=True), **error_responses(401, 403)}, tags=["integrations"])
    def get(self, request):
        qs = services.inbound_waiting(actor_for(request.user)).select_related("dossier")
        return Response([inbound_row(i) for i in qs[:500]])


class InboundReplay(APIView):
    @extend_schema(summary="Tạo lại hồ sơ DVCQG sau khi đã bổ sung ánh xạ", request=None, responses={200: InboundRow, **error_responses(401, 403, 404)},
                   tags=["integrations"])
    def post(self, request, code):
        item = inbound.replay(actor_for(request.user), code)
        return Response(inbound_row(item))


class MappingExcel(APIView):
    @extend_schema(summary="Bảng ánh xạ mã thủ tục và mã định danh cơ quan với Cổng DVCQG (Excel)",
                   responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiResponse(description="tệp .xlsx"), **error_responses(401, 403)},
                   tags=["integrations"])
    def get(self, request):
        from django.http import HttpResponse
        mapping.require_admin(actor_for(request.user))
        resp = HttpResponse(mapping.template_excel(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = 'attachment; filename="anh-xa-dvcqg.xlsx"'
        return resp

    @extend_schema(summary="Nhập bảng ánh xạ từ Excel (trang 'thu_tuc', 'co_quan')",
                   request={"multipart/form-data": inline_serializer("MappingUpload", {"file": serializers.FileField()})},
                   responses={200: inline_serializer("MappingImported", {"procedures": serializers.IntegerField(),
                                                                         "agencies": serializers.IntegerField()}),
                              **error_responses(401, 403, 422)},
                   tags=["integrations"])
    def post(self, request):
        actor = actor_for(request.user)
        mapping.require_admin(actor)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("Thiếu tệp Excel."), code="file_required", details={"field": "file"})
        return Response(mapping.import_excel(actor, upload.read()))


@method_decorator(csrf_exempt, name="dispatch")
class Webhook(APIView):
    """DVCQG pushes a newly submitted dossier. Signed (HMAC-SHA256 over timestamp, nonce and body); a bad
    signature, a stale timestamp or a replayed nonce is refused, logged, and nothing is created."""
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(summary="Webhook: Cổng DVCQG đẩy hồ sơ mới (ký HMAC, chống phát lại)",
                   request={"application/json": OpenApiTypes.OBJECT},
                   responses={200: InboundRow, **error_responses(401, 422, 503)},
                   auth=[], tags=["integrations"])
    def post(self, request):
        body = request.body
        try:
            inbound.verify_webhook(request.headers, body)
        except inbound.WebhookRefused as exc:
            log.warning("DVCQG webhook refused from %s: %s", request.META.get("REMOTE_ADDR"), exc.code)
            return JsonResponse(exc.as_dict(), status=exc.status_code)
        try:
            payload = json.loads(body)
        except ValueError:
            raise ValidationFailed(_("Nội dung webhook không phải JSON hợp lệ."), code="invalid_json") from None
        item, _created = inbound.receive(payload, "webhook")
        return Response(inbound_row(item))
