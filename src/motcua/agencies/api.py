from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import ValidationFailed

from .calendar import calendar_for
from .models import Agency
from .scope import actor_for


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "symbol", "kind", "parent", "address", "phone", "office_hours"]


class AgencyList(generics.ListAPIView):
    """The public tree of agencies (codes and names are public information)."""
    permission_classes = [AllowAny]
    serializer_class = AgencySerializer
    queryset = Agency.objects.filter(is_active=True).select_related("parent").order_by("path")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.DictField())


class Me(APIView):
    @extend_schema(summary="Tài khoản hiện tại và vai trò", responses=MeSerializer)
    def get(self, request):
        actor_for(request.user)
        roles = [{"role": m.role, "agency": m.agency.code, "agency_name": m.agency.name}
                 for m in request.user.memberships.select_related("agency")]
        return Response({"username": request.user.get_username(), "roles": roles})


class DueSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    clock_start = serializers.DateTimeField()
    due = serializers.DateTimeField()
    working_minutes = serializers.IntegerField()


class CalendarDue(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="Tính hạn giải quyết theo thời gian làm việc", auth=[], parameters=[
        OpenApiParameter("start", str, required=True, description="ISO 8601, ví dụ 2026-06-01T08:00:00+07:00"),
        OpenApiParameter("working_days", float), OpenApiParameter("working_hours", float),
        OpenApiParameter("agency", str), OpenApiParameter("cutoff", str, description="HH:MM")],
        responses=DueSerializer)
    def get(self, request):
        from .duecalc import compute_due
        p = request.query_params
        agency = Agency.objects.filter(code=p["agency"]).first() if p.get("agency") else None
        if p.get("agency") and agency is None:
            raise ValidationFailed("Không có cơ quan mã này.", code="unknown_agency")
        result = compute_due(calendar_for(agency), p.get("start"), p.get("working_days"), p.get("working_hours"),
                             p.get("cutoff"))
        return Response(DueSerializer(result).data)
