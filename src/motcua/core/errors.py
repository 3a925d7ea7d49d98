"""Domain errors and the API's error shape: {"code": "...", "message": "...", "details": {...}}.

Services raise DomainError subclasses with a machine-readable code and a Vietnamese message; views and
the API never invent their own error format.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response


class DomainError(Exception):
    status_code = 422
    code = "invalid"

    def __init__(self, message, *, code=None, details=None, status_code=None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = details or {}

    def as_dict(self):
        return {"code": self.code, "message": self.message, "details": self.details}


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_error"


class NotAllowed(DomainError):
    """The actor lacks the role or scope for this act."""
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The act does not fit the current state (wrong status, stale version, duplicate)."""
    status_code = 409
    code = "conflict"


def _flatten(detail):
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", _("Bạn cần đăng nhập để thực hiện thao tác này.")),
    exceptions.AuthenticationFailed: ("authentication_failed", _("Thông tin xác thực không hợp lệ.")),
    exceptions.PermissionDenied: ("forbidden", _("Bạn không có quyền thực hiện thao tác này.")),
    exceptions.NotFound: ("not_found", _("Không tìm thấy dữ liệu yêu cầu.")),
    exceptions.MethodNotAllowed: ("method_not_allowed", _("Phương thức không được hỗ trợ.")),
    exceptions.Throttled: ("throttled", _("Bạn đã gửi quá nhiều yêu cầu, vui lòng thử lại sau.")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", _("Định dạng dữ liệu gửi lên không được hỗ trợ.")),
    exceptions.ParseError: ("parse_error", _("Dữ liệu gửi lên không đọc được.")),
    exceptions.ValidationError: ("validation_error", _("Dữ liệu không hợp lệ.")),
}


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        for cls in type(exc).__mro__:
            if cls in DRF_CODES:
                code, message = DRF_CODES[cls]
                break
        else:
            code, message = "error", str(exc.detail)
        details = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
        body = {"code": code, "message": str(message), "details": details if isinstance(details, dict) else {"errors": details}}
        headers = {}
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            headers["WWW-Authenticate"] = "Token"
            return Response(body, status=status.HTTP_401_UNAUTHORIZED, headers=headers)
        if isinstance(exc, exceptions.ValidationError):
            # Well-formed input that fails validation is 422, like the services' ValidationFailed; 400 stays
            # for a body that cannot be parsed at all.
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY, headers=headers)
        return Response(body, status=exc.status_code, headers=headers)
    return None


# ---------------------------------------------------------------- the error shape in the OpenAPI schema

class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API."""
    code = serializers.CharField(help_text="Mã lỗi cho máy đọc, ví dụ invalid_transition")
    message = serializers.CharField(help_text="Thông báo bằng tiếng Việt cho người dùng")
    details = serializers.DictField(help_text="Chi tiết (theo trường, giá trị cho phép, ...)")


ERROR_DESCRIPTIONS = {
    400: "Dữ liệu gửi lên không đọc được (parse_error)",
    401: "Chưa đăng nhập hoặc token không hợp lệ (not_authenticated, authentication_failed)",
    403: "Không có vai trò/quyền phù hợp (forbidden, role_required)",
    404: "Không tìm thấy hoặc không thuộc phạm vi được xem",
    409: "Xung đột trạng thái (invalid_transition, stale_version, idempotency_key_reused, ...)",
    415: "Định dạng dữ liệu gửi lên không được hỗ trợ",
    422: "Dữ liệu không hợp lệ (validation_error, reason_required, ...)",
    429: "Gửi quá nhiều yêu cầu (throttled), xem Retry-After",
}


def error_responses(*status_codes):
    """OpenAPI responses for the error statuses an endpoint really returns, all with the error shape."""
    from drf_spectacular.utils import OpenApiResponse
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in status_codes}
