"""REST API for signing: thin views over motcua.signing.services.

    POST /api/v1/signing/verify/                               anyone: report on every signature of a PDF
    GET  /api/v1/signing/certificates/[?expiring=1]            the certificate registry of the caller's scope
    GET  /api/v1/signing/dossiers/{code}/result/               the result's signing plan: who signed, what is next
    POST /api/v1/signing/dossiers/{code}/result/               one step: the leader signs (step=person, with the
                                                               file), the clerk seals (step=seal); sealed -> status 9
    POST /api/v1/signing/dossiers/{code}/digitised-copies/     certify a digitised copy of a component
    POST /api/v1/signing/documents/                            sign an outgoing document (never a secret one)

Files come as multipart (`file`) or, for verify, also as a raw `application/pdf` body.
"""
import base64
import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.parsers import BaseParser, DataAndFiles, FileUploadParser, FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import NotFound, ValidationFailed, error_responses

from . import appearance as ap
from . import results, services

# Listed in the committed docs/openapi.yaml (tests/api checks it is current).
IN_SCHEMA = True


class PdfBodyParser(BaseParser):
    """A raw `application/pdf` body is the file, with or without a Content-Disposition naming it."""
    media_type = "application/pdf"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.MOTCUA_MAX_UPLOAD_BYTES
        data = stream.read(limit + 1) if stream is not None else b""
        name = FileUploadParser().get_filename(stream, media_type, parser_context or {}) or "tep.pdf"
        return DataAndFiles({}, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


class VerifyThrottle(SimpleRateThrottle):
    scope = "signing_verify"

    def get_rate(self):
        return settings.MOTCUA_SIGNING_VERIFY_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _file(request, field="file"):
    f = request.data.get(field)
    if f is None or not hasattr(f, "read"):
        raise ValidationFailed(_("Phải gửi kèm tệp PDF."), code="file_required", details={"field": field})
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if f.size > limit:
        raise ValidationFailed(_("Tệp vượt quá dung lượng cho phép."), code="file_too_large",
                               details={"limit": limit, "size": f.size})
    data = f.read()
    if not data.startswith(b"%PDF-"):
        raise ValidationFailed(_("Chỉ nhận tệp PDF."), code="not_a_pdf")
    return data


def _int(request, name, required=True):
    value = request.data.get(name)
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("Trường này là bắt buộc."), code="field_required", details={"field": name})
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Phải là số nguyên."), code="validation_error", details={"field": name}) from None


def _multipart(**fields):
    """Request body schema: a multipart form with `file` (PDF) and the given extra fields."""
    props = {"file": {"type": "string", "format": "binary", "description": "Tệp PDF"}}
    props.update(fields)
    return {"multipart/form-data": {"type": "object", "properties": props, "required": ["file"]}}


_INT = {"type": "integer"}
_STR = {"type": "string"}
_LEVEL = {"type": "string", "enum": ["B-B", "B-T", "B-LT", "B-LTA"]}
_SECRECY = {"type": "string", "enum": ["thuong", "mat", "toi_mat", "tuyet_mat"],
            "description": "Độ mật; chỉ văn bản “thuong” được ký số"}
_PIN = {"type": "string", "description": "Mã PIN của token PKCS#11 hoặc của dịch vụ ký số từ xa (nếu cần)"}


def _secrets(request):
    """The PIN the officer typed for this signature (a token's, or the remote service's confirmation)."""
    pin = request.data.get("pin")
    return {"pin": pin} if pin else None


class SignedOut(serializers.Serializer):
    sha256 = serializers.CharField(help_text="SHA-256 của tệp đã ký")
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Cảnh báo (chứng thư sắp hết hạn)")


class ResultSignedOut(SignedOut):
    step = serializers.ChoiceField(choices=["person", "seal"], help_text="Bước vừa ký")
    done = serializers.ListField(child=serializers.CharField(), help_text="Các bước đã ký trên tệp")
    next_step = serializers.CharField(allow_null=True, help_text="Bước tiếp theo (null: đã ký đủ)")
    complete = serializers.BooleanField(help_text="Kết quả đã được ký đủ (lãnh đạo ký, văn thư đóng dấu)")
    attachment = serializers.IntegerField(help_text="Tệp đã ký: nội bộ chờ đóng dấu, hoặc kết quả đã ký đủ")
    filename = serializers.CharField()
    status = serializers.IntegerField()
    version = serializers.IntegerField()


class PlanStepOut(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    by = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField(allow_null=True)
    signer = serializers.CharField(allow_null=True)
    key = serializers.CharField(allow_null=True)


class ResultPlanOut(serializers.Serializer):
    plan = serializers.CharField()
    steps = PlanStepOut(many=True)
    next_step = serializers.CharField(allow_null=True)
    complete = serializers.BooleanField()
    draft = serializers.IntegerField(allow_null=True, help_text="Tệp lãnh đạo đã ký, chờ đóng dấu (nội bộ)")
    result = serializers.IntegerField(allow_null=True, help_text="Kết quả đã ký đủ")


class CopyCertifiedOut(SignedOut):
    attachment = serializers.IntegerField()
    number_symbol = serializers.CharField()


class DocumentSignedOut(SignedOut):
    pdf_base64 = serializers.CharField()
    signed_at = serializers.CharField()


class Verify(APIView):
    """Anyone may check a signed PDF: signer, agency, time, integrity, chain, revocation, later changes."""
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [VerifyThrottle]
    parser_classes = [MultiPartParser, PdfBodyParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Kiểm tra chữ ký số của tệp PDF (công khai)", auth=[],
                   request={**_multipart(), "application/pdf": {"type": "string", "format": "binary"}},
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Báo cáo từng chữ ký"),
                              **error_responses(422, 429)})
    def post(self, request, filename=None):
        return Response(services.verify(_file(request)))


class KeyOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    label = serializers.CharField()
    kind = serializers.CharField()
    holder_name = serializers.CharField()
    source = serializers.CharField()
    subject = serializers.CharField()
    issuer = serializers.CharField()
    serial = serializers.CharField()
    not_before = serializers.DateTimeField()
    not_after = serializers.DateTimeField()
    active = serializers.BooleanField()


class KeyListItem(KeyOut):
    expiring = serializers.BooleanField()
    days_left = serializers.IntegerField(allow_null=True)
    warning = serializers.CharField(allow_null=True)


class Certificates(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=not IN_SCHEMA, summary="Danh sách chứng thư số trong phạm vi",
                   responses={200: KeyListItem(many=True), **error_responses(401)})
    def get(self, request):
        actor = actor_for(request.user)
        warnings = {row["key"].pk: row for row in services.expiring_keys(actor)}
        keys = services.keys_for(actor, request.query_params.get("agency"))
        if request.query_params.get("expiring") in ("1", "true"):
            keys = [k for k in keys if k.pk in warnings]
        out = []
        for k in keys:
            row = KeyOut(k).data
            w = warnings.get(k.pk)
            row["expiring"] = w is not None
            row["days_left"] = w["days_left"] if w else None
            row["warning"] = services.expiry_warning(k) if w else None
            out.append(row)
        return Response(out)


def _signed_answer(result, **extra):
    body = {"sha256": hashlib.sha256(result["signed"]).hexdigest(), "warnings": result["warnings"]}
    body.update(extra)
    return body


_STEP = {"type": "string", "enum": ["person", "seal"],
         "description": "person: lãnh đạo ký (kèm tệp); seal: văn thư đóng dấu lên tệp lãnh đạo đã ký. "
                        "Mặc định: bước tiếp theo của kế hoạch ký"}


class DossierResult(APIView):
    """The result's signing plan (Decree 30): the leader's signature, then the agency seal by the clerk."""
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Tiến độ ký số kết quả (lãnh đạo ký, văn thư đóng dấu)",
                   responses={200: ResultPlanOut, **error_responses(401, 404)})
    def get(self, request, code):
        from motcua.dossiers import services as dossiers
        actor = actor_for(request.user)
        d = dossiers.get_for(actor, code)
        if not actor.covers(d.agency_path) and not actor.covers(d.intake_path):
            raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, code="dossier_not_found")
        p = results.result_progress(actor, d)
        return Response({**p, "draft": p["draft"].pk if p["draft"] else None,
                         "result": p["result"].pk if p["result"] else None,
                         "steps": PlanStepOut(p["steps"], many=True).data})

    @extend_schema(exclude=not IN_SCHEMA, summary="Ký một bước của kết quả: lãnh đạo ký, rồi văn thư đóng dấu "
                                                  "(đủ hai chữ ký: chuyển trạng thái Đã xử lý xong)",
                   request={"multipart/form-data": {"type": "object", "properties": {
                       "file": {"type": "string", "format": "binary",
                                "description": "Tệp kết quả PDF (chỉ ở bước person)"},
                       "step": _STEP, "key_id": _INT, "level": _LEVEL, "note": _STR, "version": _INT, "pin": _PIN},
                       "required": ["key_id"]}},
                   responses={201: ResultSignedOut, **error_responses(401, 403, 404, 409, 415, 422)})
    def post(self, request, code):
        step = request.data.get("step") or None
        upload = request.data.get("file")
        result = results.sign_result(
            actor_for(request.user), code, _int(request, "key_id"), step=step,
            pdf_bytes=_file(request) if upload is not None else None,
            level=request.data.get("level") or None, note=request.data.get("note", ""),
            version=_int(request, "version", required=False), secrets=_secrets(request),
            filename=getattr(upload, "name", None) or "ket-qua.pdf")
        att = result["attachment"]
        d = result["dossier"]
        return Response(_signed_answer(result, step=result["step"], done=result["done"],
                                       next_step=result["next_step"], complete=result["complete"],
                                       attachment=att.pk, filename=att.filename, status=d.status,
                                       version=d.version), status=201)


class DigitisedCopy(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Chứng thực bản sao điện tử của thành phần hồ sơ",
                   request=_multipart(component_id=_INT, key_id=_INT, level=_LEVEL, version=_INT, pin=_PIN),
                   responses={201: CopyCertifiedOut, **error_responses(401, 403, 404, 409, 415, 422)})
    def post(self, request, code):
        result = services.certify_digitised_copy(
            actor_for(request.user), code, _int(request, "component_id"), _file(request), _int(request, "key_id"),
            level=request.data.get("level") or None, version=_int(request, "version", required=False),
            secrets=_secrets(request), filename=getattr(request.data.get("file"), "name", "ban-sao.pdf"))
        return Response(_signed_answer(result, attachment=result["attachment"].pk,
                                       number_symbol=result["number_symbol"]), status=201)


class OutgoingDocument(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(exclude=not IN_SCHEMA, summary="Ký số văn bản đi (không ký văn bản mật)",
                   request=_multipart(agency=_STR, key_id=_INT, number_symbol=_STR, level=_LEVEL, secrecy=_SECRECY,
                                      confidentiality=_STR, pin=_PIN),
                   responses={201: DocumentSignedOut, **error_responses(401, 403, 404, 409, 415, 422)})
    def post(self, request):
        actor = actor_for(request.user)
        secrecy = request.data.get("secrecy") or None
        confidentiality = request.data.get("confidentiality", "")
        if services.is_secret(secrecy, confidentiality):   # refuse before reading any file
            services.sign_outgoing_document(actor, "", b"", None, secrecy=secrecy, confidentiality=confidentiality)
        result = services.sign_outgoing_document(
            actor, request.data.get("agency", ""), _file(request), _int(request, "key_id"),
            number_symbol=request.data.get("number_symbol", ""), secrecy=secrecy, confidentiality=confidentiality,
            level=request.data.get("level") or None, secrets=_secrets(request))
        return Response(_signed_answer(result, pdf_base64=base64.b64encode(result["signed"]).decode("ascii"),
                                       signed_at=ap.iso_local(timezone.now())),
                        status=201)
