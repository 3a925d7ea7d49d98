"""Back-office pieces of signing: the signing panel of the dossier page and the expiry notice of the home."""
from django import template
from django.utils import timezone

from motcua.agencies.models import Role

register = template.Library()


@register.inclusion_tag("signing/office/_dossier_panel.html", takes_context=True)
def signing_panel(context, dossier, components):
    from motcua.dossiers.models import Status

    from .. import services
    actor = context["request"].actor
    usable = services.keys_for_dossier(actor, dossier)
    can_sign_result = dossier.status == Status.PROCESSING and bool(dossier.approved_at) and bool(usable["result"])
    return {"d": dossier, "components": components, "csrf_token": context.get("csrf_token"),
            "result_keys": [(k, services.needs_secret(k)) for k in usable["result"]] if can_sign_result else [],
            "copy_keys": [(k, services.needs_secret(k)) for k in usable["copy"]],
            "required": dossier.procedure.signed_result_required}


@register.inclusion_tag("signing/office/_expiring.html", takes_context=True)
def expiring_certificates(context):
    """Certificates near expiry, for the administrators of the agencies that hold them."""
    from .. import services
    actor = getattr(context["request"], "actor", None)
    rows = []
    if actor is not None and actor.has_role(Role.ADMINISTRATOR):
        rows = [r for r in services.expiring_keys(actor) if actor.has_role(Role.ADMINISTRATOR, r["key"].agency.path)]
    return {"rows": rows, "now": timezone.now()}
