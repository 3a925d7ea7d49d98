"""The citizen's profile page. Thin: every change goes through motcua.citizens.services."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.security import local_redirect
from motcua.dossiers.models import ResultDelivery
from motcua.portal.web import citizen_required

from . import services
from .models import NotifyChannel
from .units import known_communes, provinces

FIELDS = ("full_name", "id_number", "birth_date", "phone", "email", "province_code", "commune", "street",
          "organisation_name", "tax_code", "result_delivery")


@citizen_required
def profile(request):
    p = services.profile_for(request.user)
    ctx = {"p": p, "provinces": provinces(), "communes": known_communes(), "deliveries": ResultDelivery.choices,
           "channels": NotifyChannel.choices, "next": local_redirect(request, request.GET.get("next"), "")}
    if request.method == "POST":
        P = request.POST
        data = {f: P.get(f, "") for f in FIELDS}
        if p.is_verified:   # shown read-only; the provider's values stand
            for f in services.VERIFIED_FIELDS:
                data.pop(f, None)
        data["notify_channels"] = P.getlist("notify_channels")
        try:
            services.update_profile(request.user, data)
        except DomainError as exc:
            ctx.update(error=exc.message, error_code=exc.code, values=P)
            return render(request, "citizens/profile.html", ctx, status=422)
        messages.success(request, _("Đã lưu hồ sơ cá nhân."))
        return redirect(local_redirect(request, P.get("next"), request.path))
    return render(request, "citizens/profile.html", ctx)
