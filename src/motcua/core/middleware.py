"""Input that no part of the site can store or look up is refused at the boundary, in one place.

A NUL character (U+0000) can travel in a URL (`%00`), a query parameter, a cookie, a form field or a JSON
string (`\\u0000`). PostgreSQL text cannot hold it, so any query that carries it fails deep inside a view
(a 500 on PostgreSQL, silently different on SQLite). `RejectNulMiddleware` answers 400 `null_character`
before any view runs: the API's error shape under /api/, an error page elsewhere.

Bodies are checked without changing how they are read: a JSON body only when it contains the escape
`\\u0000`, an urlencoded form always (no files), and a multipart form only once Django has parsed it anyway
(the CSRF check reads every form posted to a page before the view). A NUL that still reaches PostgreSQL (a
multipart field read by an API view) is turned into the same 400 by `process_exception`.
"""
import json

from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"
CODE = "null_character"


def _message():
    return _("Dữ liệu gửi lên chứa ký tự NUL (mã 0), là ký tự không được phép.")


def _in_pairs(pairs):
    """The first key (or the key of the first value) holding a NUL, else None."""
    for key, values in pairs:
        if NUL in key:
            return key.replace(NUL, "\\0")
        for value in values:
            if isinstance(value, str) and NUL in value:
                return key
    return None


def _in_json(node, path="body"):
    if isinstance(node, str):
        return path if NUL in node else None
    if isinstance(node, dict):
        for key, value in node.items():
            if NUL in key:
                return path
            found = _in_json(value, f"{path}.{key}")
            if found:
                return found
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found = _in_json(value, f"{path}[{i}]")
            if found:
                return found
    return None


def bad_request(request, code, message, details):
    """400 in the API's error shape under /api/, as the site's error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "details": details}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "error.html", {"message": message, "status": 400}, status=400)


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._in_request_line(request)
        if where:
            return self._refuse(request, *where)
        return self.get_response(request)

    @staticmethod
    def _in_request_line(request):
        if NUL in request.path_info:
            return "path", None
        field = _in_pairs(request.GET.lists())
        if field is not None:
            return "query", field
        field = _in_pairs((k, [v]) for k, v in request.COOKIES.items())
        if field is not None:
            return "cookie", field
        return None

    def process_view(self, request, view, args, kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        where = self._in_body(request, csrf_checked=not getattr(view, "csrf_exempt", False))
        return self._refuse(request, *where) if where else None

    @staticmethod
    def _in_body(request, csrf_checked):
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                body = request.body
            except Exception:       # too large or unreadable: the view's own reading reports it
                return None
            if b"\\u0000" not in body:
                return None
            try:
                data = json.loads(body)
            except ValueError:      # not JSON: the API answers parse_error
                return None
            found = _in_json(data)
            return ("body", found) if found else None
        # A form posted to a CSRF-protected page is parsed by the CSRF check before the view anyway.
        parsed = hasattr(request, "_post") or csrf_checked
        if content_type == "application/x-www-form-urlencoded" or (parsed and request.method == "POST"):
            try:
                field = _in_pairs(request.POST.lists())
                if field is None:
                    field = _in_pairs((k, [f.name for f in files]) for k, files in request.FILES.lists())
            except Exception:       # malformed or too large: left to Django and the view, as before
                return None
            return ("body", field) if field is not None else None
        return None

    def process_exception(self, request, exception):
        """The safety net for a NUL that reached the database by a way not checked above (a multipart field
        of an API view, read after the middleware): PostgreSQL's refusal becomes the same 400."""
        if isinstance(exception, (DatabaseError, ValueError)) and "NUL (0x00)" in str(exception):
            return self._refuse(request, "body", None)
        return None

    @staticmethod
    def _refuse(request, where, field):
        details = {"where": where}
        if field is not None:
            details["field"] = field
        return bad_request(request, CODE, _message(), details)
