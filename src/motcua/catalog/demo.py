"""Demo data of the catalogue: the procedures of the demo province (`motcua seed`), and the blank forms (mẫu
đơn, tờ khai) of a few of them, generated as small PDFs and stored through the same inspection as every upload."""
from datetime import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from motcua.agencies.models import Role
from motcua.agencies.scope import Actor
from motcua.catalog import demodata as P
from motcua.catalog.models import Component, Fee, Field, Procedure, ProcessStep

from . import services

SEED_ACTOR = Actor(user_id=None, username="seed", roles=frozenset({(Role.ADMINISTRATOR, "/")}), org_paths=("/",))


def build_catalog(tree):
    fields = {code: Field.objects.create(code=code, name=name) for code, name in P.FIELDS}
    procs = []
    for (code, name, field, level, online, tval, tunit, cutoff, comps, fees, result, legal) in P.PROCEDURES:
        kind, _sep, symbol = level.partition(":")
        cut = datetime.strptime(cutoff, "%H:%M").time() if cutoff else None
        proc = Procedure.objects.create(
            code=code, name=name, field=fields[field], online_level=online, time_value=Decimal(tval), time_unit=tunit,
            cutoff=cut, result_type=result, legal_basis=legal,
            requirements="Không" if kind != "dept" else "Theo quy định của pháp luật chuyên ngành")
        if kind == "dept":
            dept, unit = tree["departments"][symbol]
            proc.agencies.add(dept)
            unit_name = unit.name
        elif kind == "district":
            proc.agencies.add(*[d for d, _u in tree["districts"]])
            unit_name = "Phòng chuyên môn thuộc UBND huyện"
        else:
            proc.agencies.add(*tree["communes"])
            unit_name = ""
        Component.objects.bulk_create([Component(procedure=proc, order=i, name=n, form=f, count=c, required=r)
                                       for i, (n, f, c, r) in enumerate(comps, start=1)])
        Fee.objects.bulk_create([Fee(procedure=proc, name=n, amount=a) for n, a in fees])
        ProcessStep.objects.bulk_create([
            ProcessStep(procedure=proc, order=o, name=n, unit_name=u, role=r, allowance_hours=h)
            for o, n, u, r, h in P.steps_for(kind, tval, tunit, unit_name)])
        procs.append(proc)
    return procs


def blank_form_pdf(component):
    """A one-page blank form: heading, motto, title, lines to fill in, signature."""
    from motcua.slips.render import pdf_bytes
    return pdf_bytes(render_to_string("catalog/blank_form.html", {"c": component, "proc": component.procedure}))


def blank_forms(limit=5):
    """Blank forms for the first required component (the application form) of `limit` procedures."""
    comps = list(Component.objects.filter(order=1, procedure__is_active=True).select_related("procedure")
                 .order_by("procedure__code")[:limit])
    for c in comps:
        services.set_blank_form(SEED_ACTOR, c.pk, f"mau-don-{c.procedure.code}.pdf", blank_form_pdf(c))
    return len(comps)


def seed_demo(tree, now, rng):
    """After the province's past dossiers: from now on, fully online procedures return an electronic result,
    which must be signed (the past dossiers were processed before that rule); and the blank forms."""
    n = Procedure.objects.filter(online_level="full").update(signed_result_required=True)
    forms = blank_forms()
    return f"{n} thủ tục trực tuyến toàn trình yêu cầu kết quả ký số; {forms} mẫu đơn để tải về"
