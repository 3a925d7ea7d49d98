"""Reconciliation over the API (finance officers of the agency: receiving officer, clerk, leader): the
differences per day / gateway, resolve one with a note, refund a double payment. Thin: services.py checks
scope (another agency's difference or order answers 404) and roles."""
from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import ValidationFailed, error_responses

from . import services
from .models import DiffKind, RefundState


class DifferenceRow(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField()
    reference = serializers.CharField()
    dossier = serializers.CharField()
    kind = serializers.ChoiceField(choices=DiffKind.choices)
    local_amount = serializers.IntegerField(allow_null=True, help_text="đồng")
    remote_amount = serializers.IntegerField(allow_null=True, help_text="đồng")
    order_created_at = serializers.DateTimeField()
    found_at = serializers.DateTimeField()
    refund = serializers.ChoiceField(choices=RefundState.choices)
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField(allow_null=True)
    resolution = serializers.CharField()


DIFFERENCES = inline_serializer("PaymentDifferences", {"count": serializers.IntegerField(),
                                                       "results": DifferenceRow(many=True)})


def row(x):
    return {"id": x.pk, "provider": x.provider, "reference": x.reference, "dossier": x.order.dossier.code,
            "kind": x.kind, "local_amount": x.local_amount, "remote_amount": x.remote_amount,
            "order_created_at": x.order.created_at, "found_at": x.found_at, "refund": x.order.refund,
            "resolved_at": x.resolved_at, "resolved_by": x.resolved_by.get_username() if x.resolved_by_id else None,
            "resolution": x.resolution}


class Differences(APIView):
    @extend_schema(summary="Chênh lệch đối soát thanh toán trực tuyến (theo ngày giao dịch, cổng thanh toán)",
                   parameters=[OpenApiParameter("day", str, description="YYYY-MM-DD: ngày tạo giao dịch"),
                               OpenApiParameter("provider", str, description="vnpay | paygov"),
                               OpenApiParameter("state", str, enum=["open", "resolved", "all"])],
                   responses={200: DIFFERENCES, **error_responses(401, 422)}, tags=["payments"])
    def get(self, request):
        p = request.query_params
        day = None
        if p.get("day"):
            try:
                day = date.fromisoformat(p["day"])
            except ValueError:
                raise ValidationFailed(_("Ngày không hợp lệ."), code="invalid_date", details={"field": "day"}) from None
        qs = services.discrepancies(actor_for(request.user), day=day, provider=p.get("provider") or None,
                                    state=p.get("state") or "open")
        rows = [row(x) for x in qs[:500]]
        return Response({"count": len(rows), "results": rows})


class DifferenceResolveIn(serializers.Serializer):
    note = serializers.CharField(help_text="Cách xử lý (bắt buộc)", allow_blank=True)
    refunded = serializers.BooleanField(required=False, default=False,
                                        help_text="Thanh toán trùng đã được cơ quan tự hoàn (chuyển khoản): hủy biên lai")


class Resolve(APIView):
    @extend_schema(summary="Cán bộ xử lý một chênh lệch đối soát (ghi chú bắt buộc; ai, lúc nào được lưu)",
                   request=DifferenceResolveIn, responses={200: DifferenceRow, **error_responses(401, 403, 404, 409, 422)},
                   tags=["payments"])
    def post(self, request, id):   # noqa: A002 - the documented path parameter
        s = DifferenceResolveIn(data=request.data)
        if not s.is_valid():
            raise ValidationFailed(_("Dữ liệu không hợp lệ."), code="validation_error", details=s.errors)
        diff = services.resolve(actor_for(request.user), id, **s.validated_data)
        diff.refresh_from_db()
        return Response(row(diff))


REFUNDED = inline_serializer("Refunded", {"reference": serializers.CharField(), "refund": serializers.CharField(),
                                          "gateway_code": serializers.CharField()})


class Refund(APIView):
    @extend_schema(summary="Hoàn tiền một giao dịch thanh toán trùng qua cổng thanh toán (VNPay); biên lai bị hủy",
                   request=None, responses={200: REFUNDED, **error_responses(401, 403, 404, 409, 503)},
                   tags=["payments"])
    def post(self, request, reference):
        answer = services.refund(actor_for(request.user), reference)
        return Response({"reference": reference, "refund": RefundState.DONE,
                         "gateway_code": str(answer.get("vnp_ResponseCode", ""))})
