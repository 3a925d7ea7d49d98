"""REST API for OCR: thin views over motcua.ocr.services.

    POST /api/v1/ocr/attachments/{id}/          OCR a component's scanned attachment (counter scan)
    GET  /api/v1/ocr/jobs/                      the caller's jobs: own bulk uploads, counter scans in scope
    POST /api/v1/ocr/jobs/                      bulk: one image or PDF (multipart `file`, `agency_id`)
    GET  /api/v1/ocr/jobs/{id}/                 state, progress, warnings, text
    GET  /api/v1/ocr/jobs/{id}/pdf/             the searchable PDF/A
    POST /api/v1/ocr/jobs/{id}/password/        retry an encrypted PDF once with its password
A job the caller may not see answers 404 (as a missing one).
"""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.scope import actor_for
from motcua.core.errors import NotFound, ValidationFailed, error_responses

from . import services
from .models import State

PDF = "application/pdf"


class RotationOut(serializers.Serializer):
    page = serializers.IntegerField()
    degrees = serializers.IntegerField()


class JobOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField(source="get_state_display")
    reason = serializers.CharField(help_text="mã lý do khi không xong: too_many_pages, pdf_encrypted, timeout...")
    warnings = serializers.ListField(child=serializers.DictField(), help_text="[{code, ...}]: blank_pages, "
                                     "low_confidence, below_200_dpi...")
    filename = serializers.CharField(source="input_name")
    attachment = serializers.IntegerField(source="attachment_id", allow_null=True)
    result_attachment = serializers.IntegerField(source="result_attachment_id", allow_null=True)
    pages_total = serializers.IntegerField()
    pages_done = serializers.IntegerField()
    rotations = RotationOut(many=True)
    language = serializers.CharField()
    dpi = serializers.IntegerField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    has_pdf = serializers.SerializerMethodField()

    def get_has_pdf(self, job) -> bool:
        return bool(job.output_file)


class JobDetailOut(JobOut):
    text = serializers.CharField()


class JobListOut(serializers.Serializer):
    count = serializers.IntegerField()
    results = JobOut(many=True)


def _file(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(_("Phải gửi tệp ở trường 'file'."), code="file_required", details={"field": "file"})
    from motcua.dossiers.uploads import read_limited
    return upload.name, read_limited(upload)


class AttachmentOcr(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Số hóa (OCR) tệp quét của một thành phần hồ sơ", request=None,
                   responses={201: JobOut, **error_responses(401, 403, 404, 409, 422)})
    def post(self, request, attachment_id):
        job = services.enqueue_attachment(actor_for(request.user), attachment_id)
        return Response(JobOut(job).data, status=201)


class Jobs(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="ocr_jobs_list", summary="Danh sách yêu cầu số hóa (của mình; tệp quét hồ sơ trong phạm vi)",
                   responses={200: JobListOut, **error_responses(401)})
    def get(self, request):
        jobs = list(services.visible_jobs(actor_for(request.user)).select_related(None)[:200])
        return Response({"count": len(jobs), "results": JobOut(jobs, many=True).data})

    @extend_schema(summary="Số hóa hàng loạt: gửi một tệp ảnh hoặc PDF",
                   request={"multipart/form-data": {"type": "object", "properties": {
                       "file": {"type": "string", "format": "binary"}, "agency_id": {"type": "integer"}},
                       "required": ["file", "agency_id"]}},
                   responses={201: JobOut, **error_responses(401, 404, 409, 415, 422)})
    def post(self, request):
        name, content = _file(request)
        job = services.enqueue_upload(actor_for(request.user), request.data.get("agency_id", ""), name, content)
        return Response(JobOut(job).data, status=201)


class Job(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Trạng thái, tiến độ và văn bản nhận dạng của một yêu cầu số hóa",
                   responses={200: JobDetailOut, **error_responses(401, 404)})
    def get(self, request, job_id):
        return Response(JobDetailOut(services.get_for(actor_for(request.user), job_id)).data)


class JobPdf(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Tải bản PDF/A có lớp chữ (searchable)",
                   responses={(200, PDF): OpenApiResponse(bytes), **error_responses(401, 404)})
    def get(self, request, job_id):
        from django.http import FileResponse
        job = services.get_for(actor_for(request.user), job_id)
        if not job.output_file:
            raise NotFound(_("Chưa có bản số hóa."), code="ocr_pdf_not_ready", details={"state": job.state})
        resp = FileResponse(job.output_file.open("rb"), content_type=PDF, as_attachment=True,
                            filename=services._output_name(job))
        resp["X-Content-Type-Options"] = "nosniff"
        resp["Cache-Control"] = "private, no-store"
        return resp


class PasswordIn(serializers.Serializer):
    password = serializers.CharField(max_length=200, trim_whitespace=False)


class JobPassword(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(summary="Gửi mật khẩu của tệp PDF bị mã hoá để số hóa lại (một lần; không lưu mật khẩu)",
                   request=PasswordIn, responses={200: JobOut, **error_responses(401, 404, 409, 422)})
    def post(self, request, job_id):
        job = services.supply_password(actor_for(request.user), job_id, str(request.data.get("password") or ""))
        return Response(JobOut(job).data)
