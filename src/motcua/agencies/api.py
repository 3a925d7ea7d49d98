from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import ValidationFailed, error_responses

from .calendar import calendar_for
from .models import Agency
from .scope import actor_for


@extend_schema_field({"type": "array", "items": {"type": "array", "items": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
                                                  "minItems": 2, "maxItems": 2},
                       "description": "Giờ làm việc, ví dụ [[\"07:30\",\"11:30\"],[\"13:00\",\"17:00\"]]; "
                                      "rỗng = giờ mặc định"})
class OfficeHoursField(serializers.JSONField):
    pass


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)
    office_hours = OfficeHoursField(read_only=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "symbol", "kind", "parent", "address", "phone", "office_hours"]
        read_only_fields = fields


class AgencyList(generics.ListAPIView):
    """The public tree of agencies (codes and names are public information)."""
    permission_classes = [AllowAny]
    serializer_class = AgencySerializer
    queryset = Agency.objects.filter(is_active=True).select_related("parent").order_by("path")

    @extend_schema(summary="Cây cơ quan, đơn vị (công khai)", responses={200: AgencySerializer(many=True),
                                                                       **error_responses(401, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeRoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    agency = serializers.CharField(help_text="Mã cơ quan/đơn vị")
    agency_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = MeRoleSerializer(many=True)


class Me(APIView):
    @extend_schema(summary="Tài khoản hiện tại và vai trò", responses={200: MeSerializer, **error_responses(401)})
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
        responses={200: DueSerializer, **error_responses(401, 422)})
    def get(self, request):
        from .duecalc import compute_due
        p = request.query_params
        agency = Agency.objects.filter(code=p["agency"]).first() if p.get("agency") else None
        if p.get("agency") and agency is None:
            raise ValidationFailed("Không có cơ quan mã này.", code="unknown_agency")
        result = compute_due(calendar_for(agency), p.get("start"), p.get("working_days"), p.get("working_hours"),
                             p.get("cutoff"))
        return Response(DueSerializer(result).data)
