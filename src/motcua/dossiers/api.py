"""REST API for dossiers: thin views over motcua.dossiers.services."""

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Role
from motcua.agencies.scope import actor_for
from motcua.core.errors import NotFound, ValidationFailed, error_responses
from motcua.core.limits import ScopedSharedRateThrottle

from . import lookup, services, visibility
from .models import OPEN_STATUSES, DossierStep, Status
from .render import LIST_COLUMNS, dossier_detail, dossier_dict, list_rows
from .serializers import (ActionSerializer, DossierListSerializer, DossierSerializer, HistorySerializer,
                          IntakeSerializer, PublicLookupSerializer, PublicStatusSerializer)


WORKLISTS = {
    "to_receive": "Hồ sơ mới chờ tiếp nhận",
    "to_process": "Hồ sơ cần xử lý ở bước của tôi",
    "to_approve": "Hồ sơ chờ phê duyệt",
    "to_return": "Hồ sơ chờ trả kết quả",
    "paused": "Hồ sơ đang tạm dừng (bổ sung, nghĩa vụ tài chính)",
    "overdue": "Hồ sơ quá hạn",
    "assigned_to_me": "Hồ sơ được giao cho tôi (đang ở bước được giao đích danh)",
}


def _held(actor, roles, *fields):
    """Rows whose agency (through any of `fields`) lies under an organisation where the actor holds one of
    `roles`: a person may be a receiving officer in one place and a specialist in another."""
    q = Q(pk__in=[])
    for role, path in actor.roles:
        if role in roles:
            for f in fields:
                q |= Q(**{f"{f}__startswith": path})
    return q


def _side_fields(action):
    side = services.RULES[action].side
    return {services.AGENCY: ("agency_path",), services.INTAKE: ("intake_path",)}.get(
        side, ("agency_path", "intake_path"))


def _worklist_filter(actor, name, now):
    """Each worklist is the dossiers whose next act is the actor's, by the same rules the services enforce."""
    R = services.RULES
    if name == "to_receive":
        return Q(status=Status.NEW) & _held(actor, R["receive"].roles, *_side_fields("receive"))
    if name == "to_process":
        at_my_step = Q(pk__in=[])
        for role, path in actor.roles:
            where = Q(agency_path__startswith=path)
            if role == Role.RECEIVING_OFFICER:   # the receiving step may be done at the intake centre
                where |= Q(intake_path__startswith=path)
            at_my_step |= Q(current_role=role) & where
        result_to_issue = Q(status=Status.PROCESSING, approved_at__isnull=False) & _held(
            actor, R["mark_result_ready"].roles, *_side_fields("mark_result_ready"))
        return (Q(status__in=[Status.RECEIVED, Status.PROCESSING], approved_at__isnull=True) & at_my_step) \
            | result_to_issue
    if name == "to_approve":
        leaders = set(R["approve"].roles)
        last_step = Subquery(DossierStep.objects.filter(dossier=OuterRef("pk")).values("dossier")
                             .annotate(m=Max("order")).values("m")[:1])
        mine = Q(pk__in=[])
        for role, path in actor.roles:
            if role in leaders:
                mine |= Q(current_role=role, agency_path__startswith=path)
        return Q(status=Status.PROCESSING, approved_at__isnull=True, current_step=last_step) & mine
    if name == "to_return":
        return Q(status=Status.FINISHED) & _held(actor, R["return_result"].roles, *_side_fields("return_result"))
    if name == "paused":
        return Q(status__in=[Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION])
    if name == "overdue":
        return Q(status__in=OPEN_STATUSES, due_at__lt=now, paused_since__isnull=True)
    if name == "assigned_to_me":
        named = DossierStep.objects.filter(dossier=OuterRef("pk"), order=OuterRef("current_step"),
                                           assignee_id=actor.user_id)
        return Q(status__in=[Status.RECEIVED, Status.PROCESSING]) & Q(Exists(named))
    raise ValidationFailed(_("Danh sách không hợp lệ."), code="invalid_worklist",
                           details={"list": name, "allowed": list(WORKLISTS)})


ORDERINGS = {"due_at", "-due_at", "submitted_at", "-submitted_at", "received_at", "-received_at", "code", "-code"}


class DossierListCreate(generics.GenericAPIView):
    serializer_class = DossierListSerializer

    @extend_schema(
        summary="Danh sách hồ sơ (worklist) trong phạm vi của cán bộ",
        parameters=[
            OpenApiParameter("list", str, enum=list(WORKLISTS), description="; ".join(f"{k}: {v}" for k, v in WORKLISTS.items())),
            OpenApiParameter("status", int, description="Mã trạng thái 1-10"),
            OpenApiParameter("procedure", str), OpenApiParameter("agency", str),
            OpenApiParameter("q", str, description="Mã hồ sơ hoặc tên người nộp (bắt đầu bằng)"),
            OpenApiParameter("ordering", str, enum=sorted(ORDERINGS)),
        ],
        responses={200: DossierListSerializer(many=True), **error_responses(401, 404, 422)},
    )
    def get(self, request):
        actor = actor_for(request.user)
        qs = services.visible_dossiers(actor).select_related("procedure", "agency")
        p = request.query_params
        if p.get("list"):
            qs = qs.filter(_worklist_filter(actor, p["list"], timezone.now()))
        if p.get("status"):
            try:
                qs = qs.filter(status=int(p["status"]))
            except ValueError:
                raise ValidationFailed(_("Mã trạng thái phải là số từ 1 đến 10."), code="invalid_status")
        if p.get("procedure"):
            qs = qs.filter(procedure__code=p["procedure"])
        if p.get("agency"):
            qs = qs.filter(agency__code=p["agency"])
        if p.get("q"):
            qs = qs.filter(Q(code__startswith=p["q"]) | Q(applicant_name__istartswith=p["q"]))
        ordering = p.get("ordering", "due_at")
        if ordering not in ORDERINGS:
            raise ValidationFailed(_("Cách sắp xếp không hợp lệ."), code="invalid_ordering",
                                   details={"allowed": sorted(ORDERINGS)})
        qs = qs.order_by(ordering, "id").only(*LIST_COLUMNS)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(list_rows(page))

    @extend_schema(
        summary="Tiếp nhận hồ sơ (tại quầy, bưu chính) hoặc nộp trực tuyến",
        request=IntakeSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                     description="Gửi lại cùng khóa sẽ trả về cùng hồ sơ, không tạo hồ sơ mới")],
        responses={201: OpenApiResponse(DossierSerializer, description="Đã tạo hồ sơ"),
                   200: OpenApiResponse(DossierSerializer, description="Gửi lại cùng Idempotency-Key: hồ sơ đã tạo "
                                        "trước đó (header Idempotent-Replayed: true)"),
                   **error_responses(400, 401, 403, 409, 415, 422)},
    )
    def post(self, request):
        actor = actor_for(request.user)
        ser = IntakeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        dossier, replayed = services.intake(actor, ser.validated_data,
                                            idempotency_key=request.headers.get("Idempotency-Key"))
        created = getattr(dossier, "created_rows", None)
        if created and not replayed:   # just written: answer from memory, no re-read
            body = dossier_dict(dossier, actor, components=created["components"], steps=created["steps"],
                                pauses=[], extensions=[])
        else:
            body = dossier_detail(services.get_for(actor, dossier.code), actor)
        resp = Response(body, status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)
        if replayed:
            resp["Idempotent-Replayed"] = "true"
        return resp


class DossierDetail(APIView):
    @extend_schema(summary="Chi tiết hồ sơ", responses={200: DossierSerializer, **error_responses(401, 404)})
    def get(self, request, code):
        actor = actor_for(request.user)
        return Response(dossier_detail(services.get_for(actor, code), actor))


class DossierHistory(APIView):
    @extend_schema(summary="Nhật ký xử lý (chuỗi băm, chỉ ghi thêm)",
                   description="Cán bộ trong phạm vi thấy toàn bộ nhật ký. Người nộp thấy quá trình thay đổi trạng "
                               "thái và các lý do gửi tới mình; ghi chú nội bộ của cán bộ được ẩn.",
                   responses={200: HistorySerializer(many=True), **error_responses(401, 404)})
    def get(self, request, code):
        actor = actor_for(request.user)
        dossier = services.get_for(actor, code)
        return Response(HistorySerializer(visibility.history_for(actor, dossier), many=True).data)


ACTION_ARGS = {
    "receive": ("provided",), "refuse": ("reason",), "request_supplement": ("reason", "components"),
    "supplement_received": ("note", "provided"), "forward": ("note", "assignee"), "return_step": ("reason",), "approve": ("note",),
    "request_financial": ("reason", "amount"), "financial_fulfilled": ("note",), "stop": ("reason",),
    "withdraw": ("reason",), "extend": ("reason", "new_appointment"), "mark_result_ready": ("note",),
    "return_result": ("note", "unpaid_fee_confirmed"),
}


class DossierAction(APIView):
    @extend_schema(
        summary="Thực hiện một thao tác xử lý hồ sơ",
        description="Các thao tác: " + ", ".join(services.ACTIONS) + ". Bắt buộc lý do với: refuse, "
                    "request_supplement, return_step, request_financial, stop, withdraw, extend.",
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(services.ACTIONS))],
        request=ActionSerializer,
        responses={200: DossierSerializer, **error_responses(400, 401, 403, 404, 409, 415, 422)},
    )
    def post(self, request, code, action):
        if action not in services.TRANSITIONS:
            raise NotFound(_("Không có thao tác %(action)s.") % {"action": action}, code="unknown_action",
                           details={"allowed": list(services.ACTIONS)})
        actor = actor_for(request.user)
        ser = ActionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        kwargs = {name: data.get(name, "" if name in ("reason", "note") else None) for name in ACTION_ARGS[action]}
        if "unpaid_fee_confirmed" in kwargs:
            kwargs["unpaid_fee_confirmed"] = bool(kwargs["unpaid_fee_confirmed"])
        services.TRANSITIONS[action](actor, code, version=data["version"], **kwargs)
        return Response(dossier_detail(services.get_for(actor, code), actor))


def _mask_name(name):
    parts = name.split()
    return " ".join(p[0] + "*" * (len(p) - 1) if i < len(parts) - 1 else p for i, p in enumerate(parts))


class PublicLookup(APIView):
    """Public status lookup: the dossier code plus a second secret (by default the last 4 digits of the
    applicant's phone, printed on the receipt), so codes cannot be enumerated. A wrong code and a wrong
    secret give the same 404. POST only, so the secret never lands in access logs; rate-limited per client
    address, and a dossier whose secret was guessed wrong too often is locked for a while (429)."""
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedSharedRateThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        summary="Tra cứu tình trạng hồ sơ (công khai)", auth=[], request=PublicLookupSerializer,
        description="Gửi mã hồ sơ và mã tra cứu trong thân yêu cầu (POST), không bao giờ trên URL. Giới hạn số lần "
                    "theo địa chỉ (throttled); nhập sai mã tra cứu nhiều lần thì hồ sơ tạm khóa tra cứu "
                    "(429 lookup_locked, xem Retry-After).",
        responses={200: PublicStatusSerializer, **error_responses(404, 422, 429)},
    )
    def post(self, request):
        data = request.data if hasattr(request.data, "get") else {}
        d = lookup.find(str(data.get("code") or ""), str(data.get("secret") or ""))
        step = lookup.current_step(d)
        return Response(PublicStatusSerializer({
            "code": d.code, "procedure": d.procedure.name, "agency": d.agency.name,
            "applicant": _mask_name(d.applicant_name), "status": d.status, "status_label": d.get_status_display(),
            "submitted_at": d.submitted_at, "received_at": d.received_at, "appointment_at": d.appointment_at,
            "finished_at": d.finished_at, "returned_at": d.returned_at,
            "current_step": step.name if step else "", "return_place": d.return_place,
        }).data)



