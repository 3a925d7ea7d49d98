"""GET /api/v1/search/?q=: the officer's full-text search (thin: services.search decides everything)."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import error_responses

from . import services
from .kinds import kinds


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="dossier, component, result, outgoing, incoming")
    object_id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="Trang cán bộ của đối tượng")
    snippet = serializers.CharField(help_text="Đoạn văn bản quanh từ khớp")
    highlights = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField(), min_length=2,
                                                                   max_length=2),
                                       help_text="Vị trí [đầu, cuối) của các từ khớp trong snippet")


class SearchSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Số kết quả (của loại `kind` nếu có, nếu không: mọi loại)")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Số kết quả theo loại")
    kind = serializers.CharField(allow_null=True)
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = HitSerializer(many=True)


def results_dict(res):
    return {"count": res.counts.get(res.kind, 0) if res.kind else res.total,
            "counts": res.counts, "kind": res.kind, "page": res.page, "page_size": res.page_size,
            "results": [vars(h) for h in res.hits]}


class Search(APIView):
    @extend_schema(
        summary="Tìm kiếm toàn văn hồ sơ, thành phần, kết quả, văn bản (trong phạm vi của cán bộ)",
        parameters=[
            OpenApiParameter("q", str, description=f"Từ khoá, không phân biệt dấu (tối đa {services.MAX_QUERY} "
                                                   "ký tự); rỗng: không có kết quả"),
            OpenApiParameter("kind", str, enum=sorted(k for k, _c in kinds),
                             description="Chỉ một loại (phân trang trong loại đó)"),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int,
                                                            description=f"Tối đa {services.MAX_PAGE_SIZE}")],
        responses={200: SearchSerializer, **error_responses(401, 403, 422)})
    def get(self, request):
        p = request.query_params
        res = services.search(actor_for(request.user), p.get("q", ""), kind=p.get("kind"), page=p.get("page"),
                              page_size=p.get("page_size"))
        return Response(results_dict(res))
