"""REST API for official documents: thin views over motcua.documents.services, registers and archive.

    GET  POST /api/v1/documents/outgoing/                      list (scope) / draft (multipart with `file`, or JSON)
    GET       /api/v1/documents/outgoing/{id}/                 one document with its history
    POST      /api/v1/documents/outgoing/{id}/actions/{act}/   review, approve, sign (person, seal), issue
    GET  POST /api/v1/documents/incoming/                      list (?overdue=1) / register (duplicate warning)
    GET       /api/v1/documents/incoming/{id}/                 one document with its history
    POST      /api/v1/documents/incoming/{id}/actions/{act}/   assign, complete
    GET       /api/v1/documents/registers/{agency}/?nam=&format=pdf|xlsx   the registers of one agency and year
    GET       /api/v1/documents/archive/due/                   records due for transfer within 30 days
    POST      /api/v1/documents/archive/exports/               export a closed dossier or file as a BagIt package

Out of scope answers 404 like a missing document; errors carry a code and a Vietnamese message.
"""
import json

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import ValidationFailed, error_responses
from motcua.core.values import iso_date
from motcua.signing.api import _file, _int, _secrets
from motcua.worktime import TZ

from . import archive, registers, services
from .models import IncomingStatus

IN_SCHEMA = True


class DocumentEventOut(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.CharField(source="actor_name")
    at = serializers.DateTimeField()
    data = serializers.DictField()


class OutgoingOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    type_name = serializers.CharField(source="doc_type.name")
    subject = serializers.CharField()
    secrecy = serializers.CharField()
    status = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    number_symbol = serializers.CharField()
    signer_authority = serializers.CharField()
    signer_position = serializers.CharField()
    signer_name = serializers.CharField()
    recipients = serializers.ListField(child=serializers.DictField())
    dossier = serializers.CharField(source="dossier.code", allow_null=True, default=None)
    has_draft_pdf = serializers.SerializerMethodField()
    has_signed_pdf = serializers.SerializerMethodField()
    issued_at = serializers.DateTimeField(allow_null=True)

    def get_has_draft_pdf(self, obj) -> bool:
        return bool(obj.draft_pdf)

    def get_has_signed_pdf(self, obj) -> bool:
        return bool(obj.signed_pdf)


class OutgoingDetailOut(OutgoingOut):
    events = DocumentEventOut(many=True, source="events.all")


class IncomingOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    arrival_number = serializers.IntegerField()
    arrival_date = serializers.DateField()
    sender_code = serializers.CharField()
    sender_name = serializers.CharField()
    number_symbol = serializers.CharField()
    issued_date = serializers.DateField()
    subject = serializers.CharField()
    secrecy = serializers.CharField()
    status = serializers.CharField()
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    lead_unit = serializers.CharField(source="lead_unit.code", allow_null=True, default=None)
    deadline = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, obj) -> bool:
        return bool(obj.deadline and obj.deadline < timezone.now() and obj.status != IncomingStatus.DONE)


class IncomingDetailOut(IncomingOut):
    events = DocumentEventOut(many=True, source="events.all")


class DocumentWarningOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()


class IncomingCreatedOut(IncomingOut):
    warnings = DocumentWarningOut(many=True)


def _upload(request):
    """The uploaded PDF (`file`) when one was sent, checked (size, PDF); None otherwise."""
    return _file(request) if request.FILES.get("file") is not None else None


def _page(serializer, items):
    return {"count": len(items), "results": serializer(items, many=True).data}


def inline_list(name):
    from drf_spectacular.utils import inline_serializer
    ser = {"outgoing": OutgoingOut, "incoming": IncomingOut}[name]
    return inline_serializer(f"{name.title()}Page", {"count": serializers.IntegerField(),
                                                     "results": ser(many=True)})


def _recipients(value):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [{"OrganName": line} for line in value.splitlines() if line.strip()]
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise ValidationFailed(_("Nơi nhận phải là danh sách."), code="invalid_recipient")
    return value


_STR, _INT = {"type": "string"}, {"type": "integer"}
DRAFT_FIELDS = {"agency": _STR, "type_name": _STR, "subject": _STR, "secrecy": _STR, "drafting_unit": _STR,
                "recipients": {"type": "string", "description": "JSON [{OrganId, OrganName}] hoặc mỗi dòng một nơi"},
                "signer_authority": _STR, "signer_position": _STR, "priority": _INT, "page_amount": _INT,
                "issued_amount": _INT, "dossier": {"type": "string", "description": "Mã hồ sơ có kết quả là văn bản"},
                "file": {"type": "string", "format": "binary", "description": "Dự thảo PDF"}}
INCOMING_FIELDS = {"agency": _STR, "sender_code": _STR, "sender_name": _STR, "number_symbol": _STR,
                   "issued_date": {"type": "string", "format": "date"}, "type_name": _STR, "subject": _STR,
                   "secrecy": _STR, "priority": _INT,
                   "file": {"type": "string", "format": "binary", "description": "Bản quét PDF (nếu có)"}}


def _form(fields, required):
    body = {"type": "object", "properties": fields, "required": required}
    return {"multipart/form-data": body, "application/json": body}


class OutgoingList(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Văn bản đi trong phạm vi", operation_id="documents_outgoing_list",
                   parameters=[OpenApiParameter("status", str), OpenApiParameter("nam", int)],
                   responses={200: inline_list("outgoing"), **error_responses(401, 422)})
    def get(self, request):
        items = services.outgoing_in_scope(actor_for(request.user), status=request.query_params.get("status"),
                                           year=request.query_params.get("nam"))
        return Response(_page(OutgoingOut, list(items[:500])))

    @extend_schema(exclude=not IN_SCHEMA, summary="Soạn dự thảo văn bản đi",
                   request=_form(DRAFT_FIELDS, ["agency", "type_name", "subject", "secrecy"]),
                   responses={201: OutgoingOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request):
        d = request.data
        doc = services.create_draft(
            actor_for(request.user), d.get("agency", ""), type_name=d.get("type_name", ""), subject=d.get("subject", ""),
            secrecy=d.get("secrecy", ""), drafting_unit_code=d.get("drafting_unit") or None,
            recipients=_recipients(d.get("recipients")), signer_authority=d.get("signer_authority", ""),
            signer_position=d.get("signer_position", ""), priority=d.get("priority") or 0,
            page_amount=d.get("page_amount") or 1, issued_amount=d.get("issued_amount") or 1,
            pdf_bytes=_upload(request), dossier_code=d.get("dossier") or None)
        return Response(OutgoingOut(doc).data, status=201)


class OutgoingDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=not IN_SCHEMA, summary="Một văn bản đi và lịch sử xử lý",
                   responses={200: OutgoingDetailOut, **error_responses(401, 404)})
    def get(self, request, id):
        return Response(OutgoingDetailOut(services.get_outgoing(actor_for(request.user), id)).data)


OUTGOING_ACTIONS = ("review", "approve", "sign", "issue")
INCOMING_ACTIONS = ("assign", "complete")


class OutgoingAction(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Kiểm tra, duyệt, ký (lãnh đạo ký / văn thư cấp số và đóng dấu), "
                                                  "phát hành văn bản đi",
                   request=_form({"note": _STR, "step": {"type": "string", "enum": ["person", "seal"]},
                                  "key_id": _INT, "pin": _STR,
                                  "file": {"type": "string", "format": "binary"}}, []),
                   responses={200: OutgoingOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request, id, action):
        actor, d = actor_for(request.user), request.data
        if action == "review":
            doc = services.review(actor, id, note=d.get("note", ""))
        elif action == "approve":
            doc = services.approve(actor, id, note=d.get("note", ""))
        elif action == "sign":
            doc = services.sign(actor, id, _upload(request),
                                _int(request, "key_id"), step=d.get("step") or None, secrets=_secrets(request))
        elif action == "issue":
            doc = services.issue(actor, id)
        else:
            services.get_outgoing(actor, id)            # out of scope: 404 before telling the action is unknown
            raise ValidationFailed(_("Thao tác không hợp lệ."), code="unknown_action",
                                   details={"allowed": list(OUTGOING_ACTIONS)})
        return Response(OutgoingOut(doc).data)


class IncomingList(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Văn bản đến trong phạm vi (?overdue=1: quá hạn xử lý)", operation_id="documents_incoming_list",
                   parameters=[OpenApiParameter("status", str), OpenApiParameter("overdue", bool),
                               OpenApiParameter("nam", int)],
                   responses={200: inline_list("incoming"), **error_responses(401, 422)})
    def get(self, request):
        q = request.query_params
        items = services.incoming_in_scope(actor_for(request.user), status=q.get("status"), year=q.get("nam"),
                                           overdue=q.get("overdue") in ("1", "true"))
        return Response(_page(IncomingOut, list(items[:500])))

    @extend_schema(exclude=not IN_SCHEMA, summary="Vào sổ văn bản đến (cảnh báo trùng: cùng nơi gửi, số ký hiệu, ngày)",
                   request=_form(INCOMING_FIELDS, ["agency", "sender_name", "number_symbol", "issued_date",
                                                   "subject", "secrecy"]),
                   responses={201: IncomingCreatedOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request):
        d = request.data
        doc, warnings = services.register_incoming(
            actor_for(request.user), d.get("agency", ""), sender_name=d.get("sender_name", ""),
            sender_code=d.get("sender_code", ""), number_symbol=d.get("number_symbol", ""),
            issued_date=iso_date(d.get("issued_date"), "issued_date"), subject=d.get("subject", ""),
            secrecy=d.get("secrecy", ""), type_name=d.get("type_name", ""), priority=d.get("priority") or 0,
            scan_pdf=_upload(request))
        return Response(dict(IncomingOut(doc).data, warnings=warnings), status=201)


class IncomingDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=not IN_SCHEMA, summary="Một văn bản đến và lịch sử xử lý",
                   responses={200: IncomingDetailOut, **error_responses(401, 404)})
    def get(self, request, id):
        return Response(IncomingDetailOut(services.get_incoming(actor_for(request.user), id)).data)


class IncomingAction(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Phân công xử lý (đơn vị chủ trì, phối hợp, hạn) hoặc kết thúc",
                   request=_form({"lead_unit": _STR, "support_units": {"type": "array", "items": _STR},
                                  "working_days": {"type": "number"}, "working_hours": {"type": "number"}}, []),
                   responses={200: IncomingOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request, id, action):
        actor, d = actor_for(request.user), request.data
        if action == "assign":
            units = d.getlist("support_units") if hasattr(d, "getlist") else d.get("support_units") or []
            doc = services.assign(actor, id, lead_unit_code=d.get("lead_unit", ""),
                                  support_unit_codes=[u for u in units if u],
                                  working_days=_number(d.get("working_days"), "working_days"),
                                  working_hours=_number(d.get("working_hours"), "working_hours"))
        elif action == "complete":
            doc = services.complete(actor, id)
        else:
            services.get_incoming(actor, id)
            raise ValidationFailed(_("Thao tác không hợp lệ."), code="unknown_action",
                                   details={"allowed": list(INCOMING_ACTIONS)})
        return Response(IncomingOut(doc).data)


def _number(value, field):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Phải là số."), code="validation_error", details={"field": field})


class Registers(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=not IN_SCHEMA, summary="Sổ đăng ký văn bản đi và đến của một cơ quan (PDF hoặc Excel)",
                   parameters=[OpenApiParameter("nam", int), OpenApiParameter("format", str, enum=["pdf", "xlsx"])],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(401, 403, 404, 422)})
    def get(self, request, code):
        actor = actor_for(request.user)
        year = request.query_params.get("nam") or timezone.now().astimezone(TZ).year
        if request.query_params.get("format") == "xlsx":
            data, ctype, ext = registers.registers_xlsx(actor, code, year), \
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        else:
            data, ctype, ext = registers.registers_pdf(actor, code, year), "application/pdf", "pdf"
        response = HttpResponse(data, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="so-van-ban-{code}-{year}.{ext}"'
        return response


class ArchiveDueOut(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    closed_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    retention_years = serializers.IntegerField(help_text="0: vĩnh viễn")
    overdue = serializers.BooleanField()


class ArchiveDue(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=not IN_SCHEMA, summary="Hồ sơ đến hạn nộp lưu trong 30 ngày (trong phạm vi)",
                   responses={200: ArchiveDueOut(many=True), **error_responses(401)})
    def get(self, request):
        return Response(ArchiveDueOut(archive.due(actor_for(request.user)), many=True).data)


class ArchivePackageOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    retention_years = serializers.IntegerField()
    manifest_sha256 = serializers.CharField()
    exported_at = serializers.DateTimeField()


class ArchiveExport(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Nộp lưu: xuất hồ sơ đã kết thúc thành gói BagIt",
                   request=_form({"dossier": _STR, "file": _INT}, []),
                   responses={201: ArchivePackageOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request):
        actor, d = actor_for(request.user), request.data
        if d.get("dossier"):
            package = archive.export_dossier(actor, str(d["dossier"]))
        elif d.get("file") not in (None, ""):
            package = archive.export_file(actor, _int(request, "file"))
        else:
            raise ValidationFailed(_("Hãy chọn hồ sơ cần nộp lưu."), code="field_required", details={"field": "dossier"})
        return Response(ArchivePackageOut(package).data, status=201)
