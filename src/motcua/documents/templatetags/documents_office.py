"""The dossier page's panel of the outgoing documents that are (or will be) its result."""
from django import template

register = template.Library()


@register.inclusion_tag("documents/office/_dossier_panel.html", takes_context=True)
def documents_panel(context, dossier):
    from motcua.dossiers.models import CLOSED_STATUSES
    from motcua.documents.services import DRAFTER_ROLES, outgoing_in_scope
    actor = getattr(context.get("request"), "actor", None)
    if actor is None:
        return {"show": False}
    org = dossier.agency.organisation
    return {"show": True, "dossier": dossier, "documents": list(outgoing_in_scope(actor, dossier=dossier)),
            "may_draft": dossier.status not in CLOSED_STATUSES and any(actor.has_role(r, org.path)
                                                                       for r in DRAFTER_ROLES)}
