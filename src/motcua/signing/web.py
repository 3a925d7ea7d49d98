"""Public page: upload a PDF and see every signature's report (no account needed)."""
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from . import services

app_name = "signing"

def _rate():
    """MOTCUA_SIGNING_VERIFY_RATE ("20/min", "100/hour"...), the same setting as the API's, as (count, seconds)."""
    from rest_framework.throttling import SimpleRateThrottle
    return SimpleRateThrottle.parse_rate(SimpleRateThrottle, settings.MOTCUA_SIGNING_VERIFY_RATE)


def _limited(request):
    limit, seconds = _rate()
    ip = request.META.get("REMOTE_ADDR", "?")
    key = f"signing-verify-page:{ip}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:           # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count > limit


def verify_page(request):
    context = {"report": None, "error": None}
    status = 200
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None:
            context["error"], status = _("Hãy chọn một tệp PDF."), 422
        elif _limited(request):
            context["error"], status = _("Bạn đã gửi quá nhiều yêu cầu, vui lòng thử lại sau."), 429
        elif f.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
            context["error"], status = _("Tệp vượt quá dung lượng cho phép."), 422
        else:
            data = f.read()
            if not data.startswith(b"%PDF-"):
                context["error"], status = _("Chỉ nhận tệp PDF."), 422
            else:
                context["report"] = services.verify(data)
                context["filename"] = f.name
    return render(request, "signing/verify.html", context, status=status)


urlpatterns = [path("", verify_page, name="verify")]
