"""Import procedures from the national portal's procedure cards (DVCQG `LayThuTuc`) into the catalogue.

`import_procedures(actor, codes=None, force=False)` is the one service (CLI `motcua dvcqg-import-procedures`,
the button on /can-bo/dong-bo/). For each code (all the portal lists when none are given):

- the card is read and checked by the provider (cards.parse_card); a bad card (no code, unknown time unit,
  a fee that is not an amount in đồng, garbage...) is reported with its machine-readable code and a
  Vietnamese message and skipped;
- each card is written in its own transaction: the procedure (name, field, level, time, result, legal
  basis, requirements, published state, agencies resolved through the agency mapping), its components
  (updated in place, so dossiers keep their link), its fees, and the procedure mapping. Nothing of a card is
  half-written; one bad card never stops the others;
- idempotent by the DVCQG procedure code: the procedure found through the mapping (or, when unmapped, a
  local procedure whose code is that DVCQG code) is updated, never duplicated; a card equal to the one
  imported last time changes nothing ("unchanged", local edits included: nothing new to apply).

Rule for local edits. The import records a digest of the local procedure as it left it. A procedure is
overwritten only when it is still exactly what the last import wrote. It is kept as it is, and reported
under "kept_local", when it was edited locally since (`local_edits`) or was never imported (a procedure
made locally and mapped by hand, or a local procedure with the same code: `local_procedure`; its mapping
is still recorded). `force=True` (CLI `--force`, the page's "ghi đè" box) overwrites those too. The
internal process steps, the cut-off time, the supplement policy and the signed-result flag are local and
never touched by an import.
"""
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.excel import _replace_components
from motcua.catalog.models import Fee, Field, Procedure
from motcua.core.errors import ValidationFailed

from . import mapping
from .models import ProcedureMapping
from .portal import registry
from .portal.base import Transient
from .portal.contrib.dvcqg.cards import BadCard

OUTCOMES = ("created", "updated", "unchanged", "kept_local", "errors")


def _digest(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def local_digest(proc):
    """What an import writes of a procedure, as it is now in the database."""
    return _digest({
        "name": proc.name, "field": proc.field.code, "level": proc.online_level,
        "time": f"{proc.time_value:.2f}", "unit": proc.time_unit, "result": proc.result_type,
        "legal": proc.legal_basis, "requirements": proc.requirements, "active": proc.is_active,
        "agencies": sorted(proc.agencies.values_list("code", flat=True)),
        "components": list(proc.components.order_by("order", "id").values_list("order", "name", "form", "count",
                                                                               "required")),
        "fees": list(proc.fees.order_by("id").values_list("name", "amount", "note")),
    })


def _plugin():
    plugin = registry.enabled()
    if plugin is None:
        raise ValidationFailed(_("Chưa bật kết nối Cổng Dịch vụ công quốc gia (MOTCUA_NATIONAL_PORTAL)."),
                               code="portal_not_configured")
    return plugin


def import_procedures(actor, codes=None, *, force=False, plugin=None):
    """Returns {"created","updated","unchanged","kept_local": [{remote_code, procedure, ...}],
    "errors": [{remote_code, code, message}]}. Raises a DomainError only when nothing could be tried
    (not an administrator, no portal configured, the list of procedures could not be read)."""
    mapping.require_admin(actor)
    plugin = plugin or _plugin()
    if codes is None:
        try:
            codes = plugin.procedure_codes()
        except Transient as exc:
            raise ValidationFailed(_("Không lấy được danh sách thủ tục từ Cổng DVCQG: %(r)s") % {"r": exc.reason},
                                   code="portal_unavailable", details={"reason_code": exc.code},
                                   status_code=503) from None
        except BadCard as exc:
            raise ValidationFailed(exc.message, code=exc.code, status_code=502) from None
    report = {k: [] for k in OUTCOMES}
    seen = set()
    for raw in codes:
        code = (raw or "").strip() if isinstance(raw, str) else ""
        if not code:
            report["errors"].append({"remote_code": "", "code": "missing_code",
                                     "message": _("Một thủ tục trong danh sách không có mã TTHC.")})
            continue
        if code in seen:
            continue
        seen.add(code)
        try:
            card = plugin.procedure_card(code)
            with transaction.atomic():
                outcome, entry = _apply(card, force)
        except BadCard as exc:
            report["errors"].append({"remote_code": code, "code": exc.code, "message": exc.message})
            continue
        except Transient as exc:
            report["errors"].append({"remote_code": code, "code": exc.code, "message": exc.reason})
            continue
        except IntegrityError:     # another import created the same procedure meanwhile: nothing written here
            report["errors"].append({"remote_code": code, "code": "concurrent_import", "message": _(
                "Một lần nhập khác đang ghi thủ tục này; chạy lại để cập nhật.")})
            continue
        report[outcome].append({"remote_code": code, **entry})
    return report


def _resolve_agencies(codes):
    found, missing = [], []
    for code in codes:
        agency = mapping.local_agency(code) or Agency.objects.filter(code=code).first()
        (found.append(agency) if agency else missing.append(code))
    return found, missing


def _apply(card, force):
    rows = list(ProcedureMapping.objects.select_for_update().select_related("procedure")
                .filter(remote_code=card.remote_code))
    if len(rows) > 1:
        raise BadCard("ambiguous_mapping", _("Mã TTHC %(c)s đang được ánh xạ cho nhiều thủ tục: %(p)s.")
                      % {"c": card.remote_code, "p": ", ".join(sorted(m.procedure.code for m in rows))})
    m = rows[0] if rows else None
    proc = m.procedure if m else Procedure.objects.select_for_update().filter(code=card.remote_code).first()
    if m is None and proc is not None:
        other = ProcedureMapping.objects.filter(procedure=proc).first()
        if other is not None:
            raise BadCard("code_taken", _("Thủ tục %(p)s đã được ánh xạ sang mã DVCQG khác (%(o)s).")
                          % {"p": proc.code, "o": other.remote_code})
    card_digest = _digest(card.raw)
    meta = {"remote_name": card.name[:500], "remote_field_code": card.field_code, "remote_field_name": card.field_name}
    agencies, missing = _resolve_agencies(card.agency_codes)
    entry = {"procedure": card.remote_code if proc is None else proc.code}
    if missing:
        entry["warnings"] = [{"code": "agency_not_mapped",
                              "message": _("Chưa ánh xạ cơ quan có mã định danh %(c)s; thủ tục giữ cơ quan hiện có.")
                              % {"c": c}} for c in missing]
    if proc is not None and not force:
        if m is None or not m.local_digest:
            ProcedureMapping.objects.update_or_create(procedure=proc, defaults={"remote_code": card.remote_code, **meta})
            return "kept_local", {**entry, "code": "local_procedure", "message": _(
                "Thủ tục %(p)s được tạo tại địa phương, chưa từng nhập từ Cổng DVCQG: giữ nguyên nội dung, chỉ ghi "
                "ánh xạ (chọn ghi đè để thay bằng phiếu của Cổng).") % {"p": proc.code}}
        if m.card_digest == card_digest:
            return "unchanged", entry          # nothing new on the portal (local edits, if any, stay)
        if local_digest(proc) != m.local_digest:
            return "kept_local", {**entry, "code": "local_edits", "message": _(
                "Thủ tục %(p)s đã được sửa tại địa phương sau lần nhập trước: không ghi đè (chọn ghi đè để thay "
                "bằng phiếu của Cổng).") % {"p": proc.code}}
    field, _c = Field.objects.get_or_create(code=card.field_code, defaults={"name": card.field_name})
    values = {"name": card.name, "field": field, "online_level": card.online_level, "time_value": card.time_value,
              "time_unit": card.time_unit, "result_type": card.result_type, "legal_basis": card.legal_basis,
              "requirements": card.requirements, "is_active": card.published}
    created = proc is None
    if created:
        proc = Procedure.objects.create(code=card.remote_code, **values)
    else:
        for k, v in values.items():
            setattr(proc, k, v)
        proc.save()
    if agencies:
        proc.agencies.set(agencies)
    elif created:
        entry.setdefault("warnings", []).append({"code": "no_agency", "message": _(
            "Thủ tục chưa có cơ quan giải quyết nào được ánh xạ; chưa tiếp nhận hồ sơ được cho đến khi gán cơ quan.")})
    _replace_components(proc, card.components)
    proc.fees.all().delete()
    Fee.objects.bulk_create([Fee(procedure=proc, **f) for f in card.fees])
    proc.refresh_from_db()
    ProcedureMapping.objects.update_or_create(procedure=proc, defaults={
        "remote_code": card.remote_code, **meta, "imported_at": timezone.now(), "card_digest": card_digest,
        "local_digest": local_digest(proc)})
    return ("created" if created else "updated"), entry
