"""Co-signing (Decree 30): the drafter's initials, the leader's signature, then the agency's seal on one
document, in that order, each in its own place, each an incremental update. Every signature is judged
against its own revision: later revisions that only add signatures, validation data or timestamps are
allowed; a later change of content or an added annotation is a change. Cross-checked with pdfsig and
the pyHanko command line."""
import io
import subprocess

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.signing import appearance as ap
from motcua.signing import pdf, plan

from .conftest import p12_source, pdfsig, pdftotext, pyhanko_cli
from .samples import make_pdf, seal_png, signature_png

PLAN = plan.PLANS["van-ban"]


def _step(pki, doc, role, issued, look, level="B-T"):
    look = plan.next_look(doc, PLAN, role, look)
    return pdf.sign_pdf(doc, p12_source(issued), pdf.SignOptions(level=level, tsa_url=pki.tsa_url,
                                                                 trust_roots=[pki.root.asn1]), look)


@pytest.fixture(scope="module")
def cosigned(pki):
    doc = make_pdf(2, "VAN BAN DI")
    steps = []
    doc = _step(pki, doc, "initials", pki.expiring, ap.Initials(text="LVS", note="Ký nháy"))
    steps.append(doc)
    block = ap.SignatureBlock(title_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Nguyễn Văn Giám",
                              signature_image=signature_png(), note="Ký số")
    doc = _step(pki, doc, "person", pki.leader, block)
    steps.append(doc)
    doc = _step(pki, doc, "seal", pki.agency, ap.SealImprint(seal_image=seal_png()), level="B-LT")
    steps.append(doc)
    return steps


def _rects(doc):
    _, found = plan.progress(doc, PLAN)
    return {name: (page, rect) for name, (_, page, rect) in found.items()}


def test_three_signatures_in_order_each_valid_none_changed(cosigned, pki):
    doc = cosigned[-1]
    assert doc.startswith(cosigned[1]) and cosigned[1].startswith(cosigned[0])   # incremental updates
    report = pdf.verify_pdf(doc, [pki.root.asn1], allow_fetching=True)
    assert report["valid"] and report["count"] == 3, report
    by_field = {s["field"]: s for s in report["signatures"]}
    assert list(by_field) == ["VB-01-initials", "VB-02-person", "VB-03-seal"]
    first, second, third = report["signatures"]
    assert [s["signer"] for s in report["signatures"]] == ["Lê Văn Sắp Hết", "Nguyễn Văn Giám", "SỞ XÂY DỰNG"]
    for s in (first, second):
        assert s["intact"] and not s["changed_after_signing"] and s["coverage"] == "entire_revision"
        assert s["modification_level"] == "form_filling"        # later revisions only added signatures
    assert first["later_revisions"]["signatures"] == ["VB-02-person", "VB-03-seal"]
    assert second["later_revisions"]["signatures"] == ["VB-03-seal"]
    # the seal is B-LT: only its validation data (DSS) came after it
    assert third["level"] == "B-LT" and third["modification_level"] == "lta_updates"
    assert third["later_revisions"]["signatures"] == [] and third["later_revisions"]["validation_data"]


def test_each_appearance_in_its_own_place(cosigned, tmp_path):
    rects = _rects(cosigned[-1])
    (p_init, initials), (p_person, person), (p_seal, seal) = (rects["VB-01-initials"], rects["VB-02-person"],
                                                              rects["VB-03-seal"])
    assert p_init == p_person == p_seal == 1                    # the last page
    # the person's block bottom right
    assert person[2] > 500 and person[1] < 120
    # the seal over the left third of the person's signature image
    x1, y1, x2, y2 = person
    sig = ap.block_geometry(x2 - x1, y2 - y1)["signature"]
    sig_left, sig_right = x1 + sig[0], x1 + sig[2]
    overlap = min(seal[2], sig_right) - max(seal[0], sig_left)
    assert seal[0] < sig_left and abs(overlap - (sig_right - sig_left) / 3) < 1
    assert y1 < seal[1] and seal[3] < y2                        # between title and name
    # the initials beside the title, left of the block, not on top of it
    assert initials[2] <= x1 and initials[3] == y2
    f = tmp_path / "cosigned.pdf"
    f.write_bytes(cosigned[-1])
    corner = pdftotext(f, 2, 250, 600, 345, 242)
    assert "Nguyễn Văn Giám" in corner and "PHÓ GIÁM ĐỐC" in corner and "LVS" in corner


def test_steps_out_of_order_or_twice_are_refused(cosigned, pki):
    with pytest.raises(plan.PlanError) as err:
        plan.next_look(make_pdf(1), PLAN, "seal", ap.SealImprint())
    assert err.value.code == "plan_out_of_order" and err.value.details["missing"] == ["initials", "person"]
    with pytest.raises(plan.PlanError) as err:
        plan.next_look(cosigned[1], PLAN, "person", ap.SignatureBlock())
    assert err.value.code == "step_already_signed"
    with pytest.raises(plan.PlanError) as err:
        plan.next_look(cosigned[0], PLAN, "copy", ap.CopyStamp())
    assert err.value.code == "step_not_in_plan"


def _later_revision(doc, change):
    w = IncrementalPdfFileWriter(io.BytesIO(doc))
    page = w.root["/Pages"]["/Kids"][1].get_object()
    change(w, page)
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_a_later_content_change_or_annotation_is_a_change_for_every_signature(cosigned, pki):
    def content(w, page):
        stream = w.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 400 Td (SUA) Tj ET"))
        page["/Contents"] = generic.ArrayObject([page["/Contents"], stream])

    def annotation(w, page):
        annot = w.add_object(generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (100, 300, 300, 340)]),
            generic.NameObject("/Contents"): generic.TextStringObject("ĐÃ SỬA"),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g")}))
        annots = page.get("/Annots") or generic.ArrayObject()
        page["/Annots"] = generic.ArrayObject(list(annots) + [annot])

    for change in (content, annotation):
        report = pdf.verify_pdf(_later_revision(cosigned[-1], change), [pki.root.asn1])
        assert not report["valid"]
        assert all(s["intact"] and s["changed_after_signing"] for s in report["signatures"]), report
        assert "sửa đổi sau khi ký" in report["signatures"][0]["summary"]


def test_pdfsig_and_the_pyhanko_cli_accept_every_signature(cosigned, pki, tmp_path):
    f = tmp_path / "cosigned.pdf"
    f.write_bytes(cosigned[-1])
    out = pdfsig(pki, f)
    # every revision's signature checks out in poppler too. (poppler 22.12 with NSS checks the certificate
    # of the first signature only: the others say "Unknown issue with Certificate" whoever signed them,
    # even two B-B signatures of certificates it trusts one by one; the pyHanko CLI below checks them all.)
    assert out.count("Signature is Valid") == 3 and "Digest Mismatch" not in out, out
    assert "Certificate is Trusted" in out.split("Signature #2")[0], out
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.pem)
    res = subprocess.run([pyhanko_cli(), "sign", "validate", "--trust", str(root), "--trust-replace",
                          "--soft-revocation-check", "--executive-summary", str(f)], capture_output=True, text=True,
                         timeout=120)
    lines = [line for line in res.stdout.splitlines() if line.startswith("VB-")]
    assert res.returncode == 0 and len(lines) == 3, res.stdout + res.stderr
    assert all(":VALID" in line for line in lines), res.stdout
