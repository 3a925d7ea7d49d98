"""Demo data of the catalogue: blank forms (mẫu đơn, tờ khai) for the first component of a few procedures,
generated as small PDFs at seed time and stored through the same inspection as every upload."""
from django.template.loader import render_to_string

from motcua.agencies.models import Role
from motcua.agencies.scope import Actor

from . import services
from .models import Component

SEED_ACTOR = Actor(user_id=None, username="seed", roles=frozenset({(Role.ADMINISTRATOR, "/")}), org_paths=("/",))


def blank_form_pdf(component):
    """A one-page blank form: heading, motto, title, lines to fill in, signature."""
    from motcua.slips.render import pdf_bytes
    return pdf_bytes(render_to_string("catalog/blank_form.html", {"c": component, "proc": component.procedure}))


def seed_demo(limit=5):
    """Blank forms for the first required component (the application form) of `limit` procedures."""
    comps = list(Component.objects.filter(order=1, procedure__is_active=True).select_related("procedure")
                 .order_by("procedure__code")[:limit])
    for c in comps:
        services.set_blank_form(SEED_ACTOR, c.pk, f"mau-don-{c.procedure.code}.pdf", blank_form_pdf(c))
    return len(comps)
