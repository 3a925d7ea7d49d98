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


class TokenExpired(exceptions.AuthenticationFailed):
    pass


class TokenRevoked(exceptions.AuthenticationFailed):
    pass


def _flatten(detail):
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


DRF_CODES = {
    TokenExpired: ("token_expired", _("Token đã hết hạn; hãy xin cấp token mới.")),
    TokenRevoked: ("token_revoked", _("Token đã bị thu hồi.")),
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
        retry = exc.details.get("retry_after") if exc.status_code == 429 else None
        return Response(exc.as_dict(), status=exc.status_code,
                        headers={"Retry-After": str(int(retry))} if retry else None)
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


# ---------------------------------------------------------------- Vietnamese field messages

# DRF's Vietnamese catalogue is mostly untranslated, so the per-field messages of API input are set here.
VI_FIELD_MESSAGES = {
    "required": _("Trường này là bắt buộc."),
    "null": _("Trường này không được để trống."),
    "blank": _("Trường này không được bỏ trống."),
    "invalid": _("Giá trị không đúng định dạng."),
    "min_value": _("Giá trị phải lớn hơn hoặc bằng {min_value}."),
    "max_value": _("Giá trị phải nhỏ hơn hoặc bằng {max_value}."),
    "max_length": _("Không được dài quá {max_length} ký tự."),
    "min_length": _("Phải có ít nhất {min_length} ký tự."),
    "max_string_length": _("Giá trị quá lớn."),
    "invalid_choice": _("“{input}” không phải là lựa chọn hợp lệ."),
    "not_a_list": _("Phải là một danh sách."),
    "empty": _("Danh sách không được rỗng."),
    "make_aware": _("Thời điểm không hợp lệ ở múi giờ {timezone}."),
    "overflow": _("Thời điểm vượt quá giới hạn."),
}
TYPE_MESSAGES = {  # "invalid" depends on the field type
    serializers.IntegerField: _("Phải là số nguyên."),
    serializers.BooleanField: _("Phải là đúng/sai (true/false)."),
    serializers.DateTimeField: _("Ngày giờ không đúng định dạng, dùng ISO 8601, ví dụ 2026-06-01T08:00:00+07:00."),
    serializers.EmailField: _("Địa chỉ thư điện tử không hợp lệ."),
    serializers.Serializer: _("Dữ liệu không hợp lệ: phải là một đối tượng."),
}


def vietnamese_messages(field):
    """Put Vietnamese messages on a field and everything inside it (list children, nested serializers)."""
    for key, message in VI_FIELD_MESSAGES.items():
        if key in field.error_messages:
            field.error_messages[key] = message
    for cls, message in TYPE_MESSAGES.items():
        if isinstance(field, cls) and "invalid" in field.error_messages:
            field.error_messages["invalid"] = message
    for validator in getattr(field, "validators", []):   # min/max validators copy the message at init
        code = getattr(validator, "code", None)
        if code in ("min_value", "max_value", "max_length", "min_length") and code in field.error_messages:
            limit = getattr(validator, "limit_value", None)
            limit = limit() if callable(limit) else limit
            validator.message = str(field.error_messages[code]).format(**{code: limit})
        elif code == "invalid" and "invalid" in field.error_messages:
            validator.message = field.error_messages["invalid"]
    child = getattr(field, "child", None)
    if child is not None:
        vietnamese_messages(child)
    if isinstance(field, serializers.Serializer):
        for sub in field.fields.values():
            vietnamese_messages(sub)
    return field


class VietnameseInputMixin:
    # For input serializers: field errors in Vietnamese. (No docstring: it would become the schema's description.)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            vietnamese_messages(field)
        return fields


# ---------------------------------------------------------------- the error shape in the OpenAPI schema

class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API."""
    code = serializers.CharField(help_text="Mã lỗi cho máy đọc, ví dụ invalid_transition")
    message = serializers.CharField(help_text="Thông báo bằng tiếng Việt cho người dùng")
    details = serializers.DictField(help_text="Chi tiết (theo trường, giá trị cho phép, ...)")


ERROR_DESCRIPTIONS = {
    400: "Dữ liệu gửi lên không đọc được (parse_error) hoặc chứa ký tự NUL (null_character)",
    401: "Chưa đăng nhập hoặc token không hợp lệ (not_authenticated, authentication_failed)",
    403: "Không có vai trò/quyền phù hợp (forbidden, role_required)",
    404: "Không tìm thấy hoặc không thuộc phạm vi được xem",
    409: "Xung đột trạng thái (invalid_transition, stale_version, idempotency_key_reused, ...)",
    415: "Định dạng dữ liệu gửi lên không được hỗ trợ",
    422: "Dữ liệu không hợp lệ (validation_error, reason_required, ...)",
    429: "Gửi quá nhiều yêu cầu (throttled), xem Retry-After",
    503: "Dịch vụ chưa được cấu hình hoặc tạm thời không sẵn sàng",
}


def error_responses(*status_codes):
    """OpenAPI responses for the error statuses an endpoint really returns, all with the error shape."""
    from drf_spectacular.utils import OpenApiResponse
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in status_codes}
