"""Error pages that Django answers itself (no view raised a DomainError): under /api/ they keep the API's
error shape {"code", "message", "details"}; elsewhere the site's own pages."""
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _json(code, message, status):
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _api(request):
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _api(request):
        return _json("bad_request", _("Yêu cầu không hợp lệ."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _api(request):
        return _json("forbidden", _("Bạn không có quyền thực hiện thao tác này."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _api(request):
        return _json("not_found", _("Không tìm thấy dữ liệu yêu cầu."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return _json("server_error", _("Hệ thống gặp lỗi, vui lòng thử lại sau."), 500)
    return defaults.server_error(request)
