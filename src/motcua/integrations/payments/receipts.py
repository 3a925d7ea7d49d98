"""Motcua's own electronic receipt (biên lai điện tử) of each confirmed online payment.

- `issue(order, now)`: inside the confirmation's transaction, one receipt per kind of line (phí, lệ phí;
  INTEGRATIONS.md §2.4: issued separately), numbered in the collecting agency's yearly series. The number
  comes from signing.services.next_number (the series row is locked until the confirmation commits:
  concurrent confirmations queue, numbers are unique and gap-free, a rolled-back confirmation gives its
  number back); ≤ 8 digits, from 1 each 1 January (Decree 254/2026, Art. 23(2) as read in §2.4).
- `pdf_of(receipt)`: the PDF (WeasyPrint, the bundled font), rendered once and kept; signed with the
  agency's organisation key (its seal) when one is registered and usable without a typed PIN; otherwise
  issued unsigned and the receipt says so. Rendered outside the IPN (worker, or first download) so the
  gateway's notification is answered at once.
- `cancel(order, ...)`: on refund; the receipt keeps its number (never reused) and is marked cancelled.
- `for_download(actor, receipt_id)`: the applicant or an officer covering the dossier; 404 otherwise.
"""
import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound
from motcua.worktime import TZ

from .models import PaymentAccount, Receipt, ReceiptKind

log = logging.getLogger("motcua.payments")

SERIES = "bien-lai"
MAX_NUMBER = 99_999_999          # ≤ 8 digits

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")


def _triple(n, full):
    """Words of 0 < n < 1000; `full`: something was said before (then "không trăm", "linh")."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    out = []
    if h or full:
        out += [_DIGITS[h], "trăm"]
    if t == 0:
        if u:
            if h or full:
                out.append("linh")
            out.append(_DIGITS[u])
    elif t == 1:
        out.append("mười")
        if u:
            out.append("lăm" if u == 5 else _DIGITS[u])
    else:
        out += [_DIGITS[t], "mươi"]
        if u:
            out.append({1: "mốt", 5: "lăm"}.get(u, _DIGITS[u]))
    return out


def _words(n, full=False):
    if n >= 10**9:
        high, rest = divmod(n, 10**9)
        out = _words(high, full) + ["tỷ"]
        return out + (_words(rest, True) if rest else [])
    out = []
    groups = [(n // 10**6) % 1000, (n // 1000) % 1000, n % 1000]
    for i, g in enumerate(groups):
        if g:
            out += _triple(g, full or bool(out)) + ([_SCALES[2 - i]] if _SCALES[2 - i] else [])
    return out


def amount_in_words(amount):
    """An amount in đồng in Vietnamese words: 150000 -> "Một trăm năm mươi nghìn đồng"."""
    n = int(amount)
    if n < 0:
        raise ValueError("negative amount")
    text = " ".join(_words(n)) if n else "không"
    return f"{text[0].upper()}{text[1:]} đồng"


def money(n):
    return f"{int(n):,}".replace(",", ".")


# ---------------------------------------------------------------- issue

def _account(dossier):
    """(beneficiary account, collecting organisation): the competent agency's account, else its organisation's."""
    org = dossier.agency.organisation
    accounts = {a.agency_id: a for a in PaymentAccount.objects.filter(agency__in=[dossier.agency_id, org.pk])}
    return accounts.get(dossier.agency_id) or accounts.get(org.pk), org


def issue(order, dossier, now):
    """Receipts of a paid order (one per kind of line); must run inside the confirmation's transaction."""
    from motcua.signing.services import next_number
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("receipts.issue must run inside the confirmation's transaction")
    account, org = _account(dossier)
    series = (account.receipt_series if account and account.receipt_series else f"BL-{org.code}")[:20]
    year = now.astimezone(TZ).year
    by_kind = {}
    for line in order.lines or []:
        kind = line.get("kind") if line.get("kind") in ReceiptKind.values else ReceiptKind.PHI
        by_kind.setdefault(kind, []).append(line)
    issued = []
    for kind in (ReceiptKind.PHI, ReceiptKind.LE_PHI):
        lines = by_kind.get(kind)
        if not lines or Receipt.objects.filter(order=order, kind=kind).exists():
            continue
        number = next_number(org, SERIES, year)
        if number > MAX_NUMBER:
            raise Conflict(_("Đã hết số biên lai của năm %(y)d.") % {"y": year}, code="receipt_numbers_exhausted")
        issued.append(Receipt.objects.create(
            order=order, agency=org, kind=kind, year=year, number=number, series=series,
            amount=sum(int(x["amount"]) for x in lines), lines=lines, issued_at=now,
            payer={"name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
                   "address": dossier.applicant_address},
            collector={"agency": org.name, "parent": org.parent.name if org.parent_id else "",
                       "account_number": account.account_number if account else "",
                       "bank_code": account.bank_code if account else "",
                       "account_name": account.account_name if account else ""}))
    return issued


def cancel(order, *, reason, by=None, now=None):
    """Cancel the order's receipts (refund): the numbers stay taken; the PDF is issued again with the
    cancellation printed on it (same number and date). `by`: the user id. Returns how many."""
    return Receipt.objects.filter(order=order, cancelled_at__isnull=True).update(
        cancelled_at=now or timezone.now(), cancelled_by_id=by, cancel_reason=reason[:2000], pdf=None, signed=False)


# ---------------------------------------------------------------- PDF

def seal_key(org, now=None):
    """The agency's organisation key that signs receipts by itself (stored secret), or None."""
    from motcua.signing.models import CertificateKind, SigningKey
    from motcua.signing.services import needs_secret
    now = now or timezone.now()
    for key in SigningKey.objects.select_related("agency").filter(agency=org, kind=CertificateKind.ORGANISATION,
                                                                  active=True, not_after__gt=now):
        if not needs_secret(key):
            return key
    return None


def render(receipt, *, signed):
    from .models import PaymentOrder
    order = PaymentOrder.objects.select_related("dossier__procedure").get(pk=receipt.order_id)   # as stored now
    dossier = order.dossier
    from . import registry
    plugin = registry.register.get(order.provider) if order.provider in registry.register else None
    html = render_to_string("payments/receipt_pdf.html", {
        "r": receipt, "o": order, "d": dossier, "procedure": dossier.procedure.name,
        "gateway": plugin.verbose_name if plugin else order.provider, "words": amount_in_words(receipt.amount),
        "amount": money(receipt.amount), "lines": [dict(x, money=money(x["amount"])) for x in receipt.lines],
        "issued": receipt.issued_at.astimezone(TZ), "signed": signed,
        "title": receipt.get_kind_display().upper()})
    from motcua.slips.render import pdf_bytes
    return pdf_bytes(html)


def _sign(receipt, pdf, key, now):
    from motcua.agencies.scope import Actor
    from motcua.signing import services as signing
    from motcua.signing.models import SignatureRecord
    return signing._sign(Actor(user_id=None, username="motcua"), key, pdf, signing._block(key, now), level=None,
                         purpose=SignatureRecord.Purpose.OTHER, now=now, dossier_code=receipt.order.dossier.code,
                         number_symbol=f"{receipt.series} {receipt.number_text}", reason=_("Biên lai điện tử"))


def pdf_of(receipt, now=None):
    """The receipt's PDF, rendered (and signed) the first time, then kept as issued."""
    if receipt.pdf:
        return bytes(receipt.pdf)
    now = now or timezone.now()
    key = seal_key(receipt.agency, now)
    pdf, signed = None, False
    if key is not None:
        try:
            pdf, signed = _sign(receipt, render(receipt, signed=True), key, now), True
        except Exception as exc:    # noqa: BLE001 - the receipt is still issued, unsigned, and says so
            log.warning("receipt %s: not signed (%s): issued unsigned", receipt.pk, exc)
    if pdf is None:
        pdf = render(receipt, signed=False)
    with transaction.atomic():
        Receipt.objects.filter(pk=receipt.pk, pdf__isnull=True).update(pdf=pdf, signed=signed)
        stored = Receipt.objects.get(pk=receipt.pk)
    receipt.pdf, receipt.signed = stored.pdf, stored.signed
    return bytes(stored.pdf)


def render_pending(limit=200):
    """Render the receipts still without a PDF (the worker); returns how many."""
    done = 0
    for r in Receipt.objects.filter(pdf__isnull=True).select_related("order__dossier__procedure", "agency")[:limit]:
        pdf_of(r)
        done += 1
    return done


# ---------------------------------------------------------------- access

def for_download(actor, receipt_id):
    """(receipt, pdf bytes); NotFound when the receipt does not exist or is not the actor's to see."""
    r = Receipt.objects.select_related("order__dossier__procedure", "agency").filter(pk=receipt_id).first() \
        if str(receipt_id).isdigit() else None
    from motcua.dossiers.services import can_read
    if r is None or not can_read(actor, r.order.dossier):
        raise NotFound(_("Không tìm thấy biên lai."), code="receipt_not_found")
    return r, pdf_of(r)
