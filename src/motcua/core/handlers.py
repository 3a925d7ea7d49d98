"""Error pages that Django answers itself (no view raised a DomainError): under /api/ they keep the API's
error shape {"code", "message", "details"}; elsewhere the site's own page, in the site's layout and language
(403, 404, 400, 500 and the CSRF failure)."""
import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _json(code, message, status):
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _api(request):
    return request.path.startswith("/api/")


def _page(request, status, code, message):
    if _api(request):
        return _json(code, message, status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "bad_request", _("Yêu cầu không hợp lệ."))


def permission_denied(request, exception=None):
    return _page(request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


def page_not_found(request, exception=None):
    if _api(request):
        return _json("not_found", _("Không tìm thấy dữ liệu yêu cầu."), 404)
    return _page(request, 404, "not_found", _("Trang bạn tìm không có hoặc đã được chuyển đi."))


def csrf_failure(request, reason=""):
    """A form posted without its security token, usually from a page left open too long or after signing in
    elsewhere: say so plainly, never Django's technical page."""
    return _page(request, 403, "csrf_failed",
                 _("Biểu mẫu đã hết hiệu lực hoặc thiếu mã bảo vệ (CSRF). Hãy tải lại trang rồi gửi lại."))


def server_error(request):
    message = _("Hệ thống gặp lỗi, vui lòng thử lại sau.")
    if _api(request):
        return _json("server_error", message, 500)
    try:
        return render(request, "error.html", {"status": 500, "message": message}, status=500)
    except Exception:  # the layout itself failed (the database is down, say): a plain page, never a blank one
        log.exception("error page could not be rendered")
        return HttpResponse(f"<!doctype html><meta charset=utf-8><title>500</title><h1>500</h1><p>{message}</p>",
                            status=500)
