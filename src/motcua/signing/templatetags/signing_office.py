"""Back-office pieces of signing: the signing panel of the dossier page and the expiry notice of the home."""
from django import template
from django.utils import timezone

from motcua.agencies.models import Role

register = template.Library()


@register.inclusion_tag("signing/office/_dossier_panel.html", takes_context=True)
def signing_panel(context, dossier, components):
    """The result's signing plan (who signed, what is next, the form for the actor's step) and the
    certification of copies."""
    from motcua.dossiers.models import Status

    from .. import results, services
    actor = context["request"].actor
    usable = services.keys_for_dossier(actor, dossier)
    progress = results.result_progress(actor, dossier)
    step = progress["next_step"]
    open_for_signing = dossier.status == Status.PROCESSING and bool(dossier.approved_at)
    keys = results.keys_for_step(actor, dossier, step) if (open_for_signing and step) else []
    return {"d": dossier, "components": components, "csrf_token": context.get("csrf_token"),
            "progress": progress, "step": step, "open_for_signing": open_for_signing,
            "result_keys": [(k, services.needs_secret(k)) for k in keys],
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
