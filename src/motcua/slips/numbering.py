"""Numbers of forms 3, 4 and 5 (Decree 30 "number/symbol", e.g. 12/TB-SXD): a yearly series per issuing agency,
drawn from the documents app's registers (motcua.documents.services.allocate_number: the register row is
locked until the act's transaction ends, so numbers are unique and gap-free; a rolled-back act gives its number
back). Called for every recorded act (motcua.dossiers.history.recorded), inside the act's transaction."""
from types import SimpleNamespace

from django.conf import settings

from motcua.dossiers.models import Status

# act -> form
NUMBERED_ACTS = {"refuse": 3, "extend": 4, "stop": 5}

# Type symbol of each form (Decree 30, Appendix III): forms 3 and 5 notify (Thông báo, TB); form 4 is a letter
# (công văn: no type symbol, "12/SXD"). Configuration: MOTCUA_FORM_TYPE_SYMBOLS.
DEFAULT_TYPE_SYMBOLS = {3: "TB", 4: "", 5: "TB"}


def type_symbols():
    return {**DEFAULT_TYPE_SYMBOLS, **{int(k): v for k, v in
                                       getattr(settings, "MOTCUA_FORM_TYPE_SYMBOLS", {}).items()}}


def issuer(dossier, form, status_before=None):
    """The agency that issues the form: a refusal before processing comes from the intake place, everything
    else from the deciding agency (its organisation, never a unit)."""
    if form == 3 and status_before in (None, Status.NEW, Status.RECEIVED):
        return dossier.intake_agency.organisation
    return dossier.agency.organisation


def number_form(dossier, event):
    form = NUMBERED_ACTS.get(event.action)
    if form is None:
        return None
    from motcua.documents.models import RegisterKind
    from motcua.documents.services import allocate_number, format_number_symbol
    from motcua.dossiers.codes import TZ

    from .models import FormNumber
    org = issuer(dossier, form, event.status_before)
    register, number = allocate_number(org, RegisterKind.ONE_STOP_FORMS, event.at.astimezone(TZ).year)
    symbol = format_number_symbol(number, SimpleNamespace(symbol=type_symbols()[form]), org)
    return FormNumber.objects.create(dossier=dossier, form=form, event_seq=event.seq, agency=org, register=register,
                                     number=number, number_symbol=symbol, issued_at=event.at,
                                     issued_by_id=event.actor_id)


def latest(dossier, form):
    from .models import FormNumber
    return (FormNumber.objects.filter(dossier=dossier, form=form).select_related("agency", "agency__parent")
            .order_by("-event_seq").first())
