"""Co-signing plans (Decree 30/2020): several signatures on one document, in a fixed order, each in its
own place, each an incremental update that leaves the earlier signatures' bytes intact.

A plan is an ordered list of steps; each step has a role:

| role | who | where (Decree 30, Appendix I) |
|---|---|---|
| `initials` | the specialist who drafted it (ký nháy) | beside the signer's title, left of the signature block |
| `person` | the person with authority (leader) | signature block bottom right of the last page: title, signature image, name |
| `seal` | the agency (organisation certificate) | the seal image over the left third of the person's signature image |
| `copy` | the agency, on copies and attachments | top right of page 1 with number/symbol and signing time |

The document itself carries the plan's progress: each step signs a field named after the plan and the step
(`VB-02-person`). `next_look` refuses a step out of order or twice, and places the seal from where the
person's block actually is in the file.
"""
import dataclasses
import io
from dataclasses import dataclass

from pyhanko.pdf_utils.reader import PdfFileReader

from . import appearance as ap

ROLES = ("initials", "person", "seal", "copy")


class PlanError(Exception):
    def __init__(self, message, code, details=None):
        super().__init__(message)
        self.code = code
        self.details = details or {}


@dataclass(frozen=True)
class SigningPlan:
    code: str                 # prefix of the field names, e.g. "VB"
    steps: tuple              # roles in signing order

    def __post_init__(self):
        unknown = [r for r in self.steps if r not in ROLES]
        if unknown or len(set(self.steps)) != len(self.steps) or not self.steps:
            raise ValueError(f"invalid plan steps: {self.steps}")

    def field(self, role):
        return f"{self.code}-{self.steps.index(role) + 1:02d}-{role}"


PLANS = {
    # an outgoing document: the drafter's initials, the leader's signature, then the agency's seal
    "van-ban": SigningPlan("VB", ("initials", "person", "seal")),
    # a result: the leader signs, the clerk applies the agency's seal
    "ket-qua": SigningPlan("KQ", ("person", "seal")),
    # a copy or an attachment: the agency's signature top right of page 1
    "ban-sao": SigningPlan("BS", ("copy",)),
}


def get_plan(name):
    plan = PLANS.get(name)
    if plan is None:
        raise PlanError(f"Không có kế hoạch ký “{name}”.", code="unknown_plan", details={"allowed": list(PLANS)})
    return plan


def _signature_fields(reader):
    """{field name: (signed revision or None if empty, page index, rect)} of the document's signature fields."""
    from pyhanko.sign.fields import enumerate_sig_fields
    signed = {e.field_name: e.signed_revision for e in reader.embedded_signatures}
    out = {}
    for name, value, field_ref in enumerate_sig_fields(reader, filled_status=None):
        field = field_ref.get_object()
        widget = field
        if "/Rect" not in field and "/Kids" in field:
            widget = field["/Kids"][0].get_object()
        rect = tuple(float(v) for v in widget["/Rect"]) if "/Rect" in widget else None
        out[name] = (signed.get(name), _page_of(reader, widget), rect)
    return out


def _page_of(reader, widget):
    from pyhanko.pdf_utils.generic import IndirectObject
    page_ref = widget.raw_get("/P") if "/P" in widget else None
    count = int(reader.root["/Pages"]["/Count"])
    for ix in range(count):
        ref = reader.find_page_for_modification(ix)[0]
        if isinstance(page_ref, IndirectObject) and page_ref.reference == getattr(ref, "reference", ref):
            return ix
        annots = ref.get_object().get("/Annots") or []
        for a in annots:
            if a.get_object() is widget:
                return ix
    return None


def progress(pdf_bytes, plan):
    """The plan's steps already signed in this document, in order, and the fields found."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        found = _signature_fields(reader)
    except Exception as e:
        raise PlanError("Tệp không phải PDF hợp lệ.", code="invalid_pdf") from e
    done = [r for r in plan.steps if found.get(plan.field(r), (None,))[0] is not None]
    return done, found


def next_look(pdf_bytes, plan, role, look):
    """The look for `role`, checked against the plan's progress in the document and placed: its field
    name, and for the seal and the initials a box relative to the person's signature block."""
    if role not in plan.steps:
        raise PlanError("Bước ký không thuộc kế hoạch ký của văn bản.", code="step_not_in_plan",
                        details={"steps": list(plan.steps)})
    done, found = progress(pdf_bytes, plan)
    index = plan.steps.index(role)
    if role in done:
        raise PlanError("Bước ký này đã được thực hiện trên văn bản.", code="step_already_signed",
                        details={"step": role})
    expected = list(plan.steps[:index])
    if done != expected:
        missing = [r for r in expected if r not in done]
        raise PlanError("Chưa đến lượt ký: các bước trước chưa được ký theo thứ tự.", code="plan_out_of_order",
                        details={"done": done, "missing": missing, "later": [r for r in done if r not in expected]})
    look = dataclasses.replace(look, field_name=plan.field(role))
    if role in ("seal", "initials") and "person" in plan.steps and look.box is None:
        person = found.get(plan.field("person"))
        if person and person[2]:
            _, page, rect = person
            box = ap.seal_box(rect) if role == "seal" else ap.initials_box(rect, look)
            look = dataclasses.replace(look, box=box, page=page if page is not None else look.page)
    return look
