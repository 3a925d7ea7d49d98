"""Catalogue API: anyone may read published procedures; administrators import/export Excel."""
from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import ValidationFailed, error_responses

from . import excel
from .models import Procedure
from .serializers import ImportResultSerializer, ProcedureListSerializer, ProcedureSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProcedureList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProcedureListSerializer

    @extend_schema(summary="Danh mục thủ tục hành chính", parameters=[
        OpenApiParameter("q", str, description="Tìm theo mã hoặc tên"), OpenApiParameter("field", str),
        OpenApiParameter("agency", str), OpenApiParameter("online_level", str, enum=["full", "partial", "none"])],
        responses={200: ProcedureListSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = (Procedure.objects.filter(is_active=True).select_related("field", "dvcqg_mapping")
              .prefetch_related("agencies"))
        p = self.request.query_params
        if p.get("q"):
            qs = qs.filter(Q(code__icontains=p["q"]) | Q(name__icontains=p["q"]))
        if p.get("field"):
            qs = qs.filter(field__code=p["field"])
        if p.get("agency"):
            qs = qs.filter(agencies__code=p["agency"])
        if p.get("online_level"):
            qs = qs.filter(online_level=p["online_level"])
        return qs.order_by("code").distinct()


class ProcedureDetail(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProcedureSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    queryset = Procedure.objects.select_related("field", "dvcqg_mapping").prefetch_related("agencies", "components",
                                                                                          "fees", "steps")

    @extend_schema(summary="Chi tiết thủ tục", responses={200: ProcedureSerializer, **error_responses(401, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CatalogExcel(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(summary="Xuất danh mục thủ tục ra Excel", responses={
        (200, XLSX): OpenApiResponse(bytes), **error_responses(401)})
    def get(self, request):
        data = excel.export_catalog()
        resp = HttpResponse(data, content_type=XLSX)
        resp["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.xlsx"'
        return resp

    @extend_schema(
        summary="Nhập danh mục thủ tục từ Excel (quản trị)",
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
                                         "required": ["file"]}},
        responses={200: OpenApiResponse(ImportResultSerializer, description="Số thủ tục đã tạo/cập nhật"),
                   **error_responses(401, 403, 415, 422)})
    def post(self, request):
        actor = actor_for(request.user)
        excel.require_admin(actor)   # before looking at the upload: a non-administrator always gets 403
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("Phải gửi tệp Excel ở trường 'file'.", code="file_required",
                                   details={"field": "file"})
        result = excel.import_catalog(actor, upload)
        return Response(result)
