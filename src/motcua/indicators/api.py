"""REST API of the indicators: report, trend, drill-down, exports, public on-time rates, reform plans,
inspections, targets. Thin views over compute/drilldown/services."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Agency
from motcua.agencies.scope import actor_for
from motcua.core.errors import NotAllowed, NotFound, ValidationFailed, error_responses, vietnamese_messages

from . import compute, drilldown, exports, own2026, services
from .models import Inspection, ReformPlan
from .periods import parse

PERIOD = OpenApiParameter("period", str, required=True, description="2026-06 | 2026-Q2 | 2026-H1 | 2026")
KIND = OpenApiParameter("kind", str, description="loại cơ quan để xếp hạng (mặc định department)")
AGENCY = OpenApiParameter("agency", str, description="mã cơ quan (có thể lặp lại)", many=True)
OBJ = OpenApiResponse(OpenApiTypes.OBJECT)


def _staff(request):
    actor = actor_for(request.user)
    if not actor.is_staff_member:
        raise NotAllowed(_("Chỉ cán bộ mới xem được chỉ số của cơ quan."), code="role_required")
    return actor


def _report(request):
    return compute.report(parse(request.query_params.get("period")), kind=request.query_params.get("kind"),
                          agencies=request.query_params.getlist("agency") or None)


class Report(APIView):
    @extend_schema(summary="Chỉ số Quyết định 766: điểm theo nhóm, tổng điểm, xếp hạng, chỉ tiêu",
                   parameters=[PERIOD, KIND, AGENCY], responses={200: OBJ, **error_responses(401, 403, 404, 422)})
    def get(self, request):
        _staff(request)
        return Response(_report(request))


class Dvcqg2026(APIView):
    @extend_schema(summary="Chấm điểm dữ liệu của Motcua theo bộ chỉ số 2026 của Cổng DVCQG (6 nhóm, xếp hạng, "
                           "thay đổi so với kỳ trước; chỉ tiêu không có dữ liệu ghi rõ lý do)",
                   parameters=[PERIOD, KIND, AGENCY], responses={200: OBJ, **error_responses(401, 403, 404, 422)})
    def get(self, request):
        _staff(request)
        return Response(own2026.report(parse(request.query_params.get("period")),
                                       kind=request.query_params.get("kind"),
                                       agencies=request.query_params.getlist("agency") or None))


class Export(APIView):
    @extend_schema(summary="Xuất báo cáo chỉ số (Excel hoặc PDF)",
                   parameters=[PERIOD, KIND, AGENCY, OpenApiParameter("format", str, enum=["xlsx", "pdf"])],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              **error_responses(401, 403, 404, 422)})
    def get(self, request):
        _staff(request)
        rep = _report(request)
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in ("xlsx", "pdf"):
            raise ValidationFailed(_("Định dạng xuất phải là xlsx hoặc pdf."), code="invalid_format",
                                   details={"field": "format", "allowed": ["xlsx", "pdf"]})
        if fmt == "pdf":
            body = exports.pdf_bytes(rep, compute.trend(parse(rep["period"]["code"]),
                                                        kind=request.query_params.get("kind")))
            ctype = "application/pdf"
        else:
            fmt, body = "xlsx", exports.xlsx_bytes(rep)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        resp = HttpResponse(body, content_type=ctype)
        resp["Content-Disposition"] = f'attachment; filename="chi-so-{rep["period"]["code"]}.{fmt}"'
        return resp


class Trend(APIView):
    @extend_schema(summary="Diễn biến theo tháng trong kỳ (đúng hạn, trực tuyến, số hóa)",
                   parameters=[PERIOD, KIND, OpenApiParameter("agency", str)],
                   responses={200: OBJ, **error_responses(401, 403, 404, 422)})
    def get(self, request):
        _staff(request)
        return Response(compute.trend(parse(request.query_params.get("period")),
                                      agency=request.query_params.get("agency"), kind=request.query_params.get("kind")))


class DrillRow(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    procedure_name = serializers.CharField()
    status = serializers.IntegerField()
    channel = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    appointment_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    supplement_requests = serializers.IntegerField()


DrillPage = inline_serializer("IndicatorDossierPage", {
    "count": serializers.IntegerField(), "next": serializers.CharField(allow_null=True),
    "previous": serializers.CharField(allow_null=True), "results": DrillRow(many=True)})


def _row(d):
    return {"code": d.code, "procedure": d.procedure.code, "procedure_name": d.procedure.name, "status": d.status,
            "channel": d.channel, "received_at": d.received_at, "due_at": d.due_at,
            "appointment_at": d.appointment_at, "finished_at": d.finished_at,
            "supplement_requests": d.supplement_requests}


def scoped_agency(actor, code):
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not actor.covers(agency.path):
        raise NotFound(_("Không tìm thấy cơ quan %(code)s.") % {"code": code}, code="agency_not_found")
    return agency


class Dossiers(APIView):
    @extend_schema(summary="Danh sách hồ sơ sau một con số (drill-down)",
                   parameters=[PERIOD, OpenApiParameter("agency", str, required=True),
                               OpenApiParameter("indicator", str, required=True, enum=sorted(drilldown.choices())),
                               OpenApiParameter("subset", str, required=True,
                                                description="; ".join(f"{k}: {', '.join(v)}"
                                                                      for k, v in drilldown.choices().items())),
                               OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
                   responses={200: DrillPage, **error_responses(401, 403, 404, 422)})
    def get(self, request):
        actor = _staff(request)
        q = request.query_params
        agency = scoped_agency(actor, q.get("agency"))
        qs = drilldown.dossiers(parse(q.get("period")), agency, q.get("indicator"), q.get("subset"))
        from motcua.core.pagination import Pagination
        pager = Pagination()
        page = pager.paginate_queryset(qs, request, view=self)
        return pager.get_paginated_response([_row(d) for d in page])


class Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="Công khai: tỷ lệ hồ sơ giải quyết đúng hạn của từng cơ quan", parameters=[PERIOD, KIND],
                   responses={200: OBJ, **error_responses(404, 422)})
    def get(self, request):
        return Response(public_rates(parse(request.query_params.get("period")), request.query_params.get("kind")))


public_rates = compute.public_rates


# ---------------------------------------------------------------- reform plans, inspections, targets

# Input bounds match the database columns (a longer text would fail there instead of answering 422).
class PlanIn(serializers.Serializer):
    agency = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=500)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class TaskIn(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    deadline = serializers.DateField()
    owner_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    area = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    owner_agency = serializers.CharField(required=False, allow_null=True, default=None, max_length=40)


class DoneIn(serializers.Serializer):
    done_on = serializers.DateField()
    result = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionIn(serializers.Serializer):
    agency = serializers.CharField(max_length=40)
    inspected_on = serializers.DateField()
    inspector = serializers.CharField(max_length=255)
    decision = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class FindingIn(serializers.Serializer):
    description = serializers.CharField()
    follow_up = serializers.CharField()
    due = serializers.DateField()


class ResolveIn(serializers.Serializer):
    resolved_on = serializers.DateField()
    resolution = serializers.CharField()


class TargetIn(serializers.Serializer):
    agency = serializers.CharField(max_length=40)
    indicator = serializers.CharField(max_length=10)
    value = serializers.DecimalField(max_digits=6, decimal_places=4)
    valid_from = serializers.DateField()
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class PlansQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class ProgressOut(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    done_late = serializers.IntegerField()
    overdue = serializers.IntegerField()


class TaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    area = serializers.CharField(allow_blank=True)
    owner_name = serializers.CharField(allow_blank=True)
    owner_agency = serializers.CharField(allow_null=True)
    deadline = serializers.DateField()
    done_at = serializers.DateField(allow_null=True)
    result = serializers.CharField(allow_blank=True)


class PlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    progress = ProgressOut()
    tasks = TaskOut(many=True)


class FindingOut(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    follow_up = serializers.CharField()
    due = serializers.DateField()
    resolved_on = serializers.DateField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True)


class InspectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    inspected_on = serializers.DateField()
    inspector = serializers.CharField()
    decision = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    findings = FindingOut(many=True)


class TargetOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField()
    indicator = serializers.CharField()
    value = serializers.FloatField()
    valid_from = serializers.DateField()


def plan_dict(plan):
    return {"id": plan.pk, "agency": plan.agency.code, "agency_name": plan.agency.name, "year": plan.year,
            "number": plan.number, "title": plan.title, "progress": services.progress(plan),
            "tasks": [{"id": t.pk, "title": t.title, "area": t.area, "owner_name": t.owner_name,
                       "owner_agency": t.owner_agency.code if t.owner_agency else None,
                       "deadline": t.deadline, "done_at": t.done_at, "result": t.result} for t in plan.tasks.all()]}


def inspection_dict(ins):
    return {"id": ins.pk, "agency": ins.agency.code, "agency_name": ins.agency.name,
            "inspected_on": ins.inspected_on, "inspector": ins.inspector, "decision": ins.decision,
            "summary": ins.summary,
            "findings": [{"id": f.pk, "description": f.description, "follow_up": f.follow_up, "due": f.due,
                          "resolved_on": f.resolved_on, "resolution": f.resolution} for f in ins.findings.all()]}


def _valid(serializer_cls, request, data=None):
    s = vietnamese_messages(serializer_cls(data=request.data if data is None else data))
    s.is_valid(raise_exception=True)
    return s.validated_data


class Plans(APIView):
    @extend_schema(summary="Kế hoạch cải cách hành chính và tiến độ", parameters=[PlansQuery],
                   responses={200: PlanOut(many=True), **error_responses(401, 403, 422)})
    def get(self, request):
        actor = _staff(request)
        year = _valid(PlansQuery, request, {k: v for k, v in request.query_params.items() if v != ""}).get("year")
        qs = ReformPlan.objects.filter(actor.scope_q("agency__path")).select_related("agency").prefetch_related(
            "tasks__owner_agency")
        if year is not None:
            qs = qs.filter(year=year)
        return Response([plan_dict(p) for p in qs])

    @extend_schema(summary="Tạo kế hoạch", request=PlanIn, responses={201: PlanOut, **error_responses(401, 403, 404, 422)})
    def post(self, request):
        v = _valid(PlanIn, request)
        plan = services.create_plan(_staff(request), agency_code=v["agency"], year=v["year"], title=v["title"],
                                    number=v["number"])
        return Response(plan_dict(plan), status=201)


class PlanTasks(APIView):
    @extend_schema(summary="Thêm nhiệm vụ vào kế hoạch", request=TaskIn,
                   responses={201: PlanOut, **error_responses(401, 403, 404, 422)})
    def post(self, request, plan_id):
        v = _valid(TaskIn, request)
        task = services.add_task(_staff(request), plan_id, title=v["title"], deadline=v["deadline"],
                                 owner_name=v["owner_name"], area=v["area"], owner_agency_code=v["owner_agency"])
        return Response(plan_dict(task.plan), status=201)


class TaskDone(APIView):
    @extend_schema(summary="Ghi nhận hoàn thành nhiệm vụ", request=DoneIn,
                   responses={200: PlanOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request, task_id):
        v = _valid(DoneIn, request)
        task = services.complete_task(_staff(request), task_id, done_on=v["done_on"], result=v["result"])
        return Response(plan_dict(task.plan))


class Inspections(APIView):
    @extend_schema(summary="Biên bản kiểm tra, tồn tại và việc khắc phục",
                   responses={200: InspectionOut(many=True), **error_responses(401, 403)})
    def get(self, request):
        actor = _staff(request)
        qs = Inspection.objects.filter(actor.scope_q("agency__path")).select_related("agency").prefetch_related(
            "findings")
        return Response([inspection_dict(i) for i in qs])

    @extend_schema(summary="Ghi biên bản kiểm tra", request=InspectionIn,
                   responses={201: InspectionOut, **error_responses(401, 403, 404, 422)})
    def post(self, request):
        v = _valid(InspectionIn, request)
        ins = services.record_inspection(_staff(request), agency_code=v["agency"], inspected_on=v["inspected_on"],
                                         inspector=v["inspector"], decision=v["decision"], summary=v["summary"])
        return Response(inspection_dict(ins), status=201)


class InspectionFindings(APIView):
    @extend_schema(summary="Thêm tồn tại cần khắc phục", request=FindingIn,
                   responses={201: InspectionOut, **error_responses(401, 403, 404, 422)})
    def post(self, request, inspection_id):
        v = _valid(FindingIn, request)
        f = services.add_finding(_staff(request), inspection_id, description=v["description"],
                                 follow_up=v["follow_up"], due=v["due"])
        return Response(inspection_dict(f.inspection), status=201)


class FindingResolve(APIView):
    @extend_schema(summary="Ghi nhận đã khắc phục", request=ResolveIn,
                   responses={200: InspectionOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request, finding_id):
        v = _valid(ResolveIn, request)
        f = services.resolve_finding(_staff(request), finding_id, resolved_on=v["resolved_on"],
                                     resolution=v["resolution"])
        return Response(inspection_dict(f.inspection))


class Targets(APIView):
    @extend_schema(summary="Đặt chỉ tiêu của cơ quan cho một chỉ số", request=TargetIn,
                   responses={201: TargetOut, **error_responses(401, 403, 404, 422)})
    def post(self, request):
        v = _valid(TargetIn, request)
        t = services.set_target(_staff(request), agency_code=v["agency"], indicator=v["indicator"], value=v["value"],
                                valid_from=v["valid_from"], source=v["source"])
        return Response({"id": t.pk, "agency": v["agency"], "indicator": t.indicator, "value": float(t.value),
                         "valid_from": t.valid_from}, status=201)
