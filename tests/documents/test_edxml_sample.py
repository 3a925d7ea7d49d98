"""An envelope in the official sample's shape (data/sample_shape.edxml, see data/SOURCE.md) is parsed without
loss: every leaf value of header, manifest and attachments is in the parsed envelope, and building it again
gives back every one of them, the XML-DSig <Signature> included."""
import base64
import zipfile
from collections import Counter
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from defusedxml.ElementTree import fromstring

from motcua.documents import edxml

SAMPLE = (Path(__file__).parent / "data" / "sample_shape.edxml").read_bytes()


def _leaves(xml):
    """Counter of (local path, text) of every element with text, and every attribute, of the whole document."""
    out = Counter()

    def walk(el, path):
        name = el.tag.rsplit("}", 1)[-1]
        here = f"{path}/{name}"
        for k, v in el.attrib.items():
            out[(f"{here}@{k}", v)] += 1
        text = (el.text or "").strip()
        if text and not len(el):
            out[(here, text)] += 1
        for child in el:
            walk(child, here)
    walk(fromstring(xml), "")
    return out


def test_the_sample_shaped_envelope_is_parsed_field_by_field():
    env = edxml.parse(SAMPLE)
    assert (env.sender.organ_id, env.sender.in_charge, env.sender.fax, env.sender.website) == \
        ("000.00.17.H13", "UBND tỉnh Demo", "0218 3850 001", "sxd.demo.gov.vn")
    assert [(r.organ_id, r.email) for r in env.recipients] == [("000.00.18.H14", "stp@thu.gov.vn")]
    assert (env.document_id, env.code_number, env.code_notation, env.promulgation_date, env.place) == \
        ("000.00.17.H13,2026/03/02,15/SXD-VP", "15", "SXD-VP", date(2026, 3, 2), "Demo")
    assert (env.type_code, env.type_detail, env.type_name, env.steering_type, env.due_date) == \
        (1, "0", "Công văn", 1, date(2026, 3, 16))
    assert env.other_info == {"SphereOfPromulgation": "Liên thông văn bản quốc gia", "TyperNotation": "NVA",
                              "PromulgationAmount": "2", "PageAmount": "3", "Direction": "false"}
    assert env.appendixes == ["Danh sách hồ sơ cần phối hợp"]
    assert env.to_places == ["Sở Tư pháp tỉnh Thử", "Lưu: VT, VP"]
    assert (env.business_document_id, env.business_doc_type, env.business_doc_reason, env.paper) == \
        ("000.00.17.H13,2026/03/01,14/SXD-VP", 0, "Văn bản điện tử mới", 0)
    assert env.business_staff == {"Department": "Văn thư văn phòng", "Staff": "Nguyễn Thị Văn Thư",
                                  "Email": "vanthu@demo.gov.vn", "Mobile": "84912000000"}
    assert env.timestamp == datetime(2026, 3, 2, 9, 15)
    assert "ZGVtby1zaWduYXR1cmUtdmFsdWU=" in env.signature and "X509SubjectName" in env.signature
    (att,) = env.attachments
    assert (att.name, att.content_type, att.content_id, att.description) == \
        ("15_SXD-VP.zip", "application/zip", "cid:209", "15_SXD-VP.zip")
    assert zipfile.ZipFile(BytesIO(att.content)).read("cong-van.txt").decode() == "Công văn thử nghiệm liên thông"


def test_building_it_again_loses_nothing():
    env = edxml.parse(SAMPLE)
    rebuilt = edxml.build(env)
    assert edxml.parse(rebuilt) == env
    before, after = _leaves(SAMPLE), _leaves(rebuilt)
    missing = before - after
    assert not missing, missing
    assert base64.b64decode([t for (p, t) in after if p.endswith("ContentTransferEncoded")][0]) == \
        env.attachments[0].content
