"""edXML envelopes and status messages in the official sample's shape, round-tripped; bad input (malformed,
DTD/XXE, entity expansion, wrong root, missing fields, attachment not matching the manifest or its checksum,
unknown recipient, duplicate DocumentId) refused with a clear code and a 02 status, nothing registered."""
import base64
import re
from datetime import date, datetime

import pytest

from motcua.documents import edxml, exchange, services
from motcua.documents.models import IncomingDocument
from motcua.signing.models import SecrecyLevel

from ..conftest import at

NS = edxml.NS


def _envelope(**kw):
    data = dict(
        sender=edxml.Organ("000.00.00.G22", "Văn phòng Chính phủ", "Văn phòng Chính phủ", "1 Hoàng Hoa Thám",
                           "vpcp@chinhphu.vn", "080 43162", "", "chinhphu.vn"),
        recipients=[edxml.Organ("000.00.17.H13", "Sở Xây dựng"), edxml.Organ("000.00.18.H13", "Sở Tư pháp")],
        code_number="7816", code_notation="VPCP-TTĐT", promulgation_date=date(2015, 9, 30), place="Hà Nội",
        subject="V/v triển khai <Cổng> & \"dịch vụ\" công", type_code=1, type_name="Công văn",
        signer_competence="TL. BỘ TRƯỞNG", signer_position="Vụ trưởng", signer_name="Nguyễn Văn A",
        due_date=date(2015, 10, 15), steering_type=1, priority=2,
        response_for={"OrganId": "000.00.17.H13", "Code": "12/SXD-VP", "PromulgationDate": "2015/09/01",
                      "DocumentId": "000.00.17.H13,2015/09/01,12/SXD-VP"},
        timestamp=datetime(2015, 9, 30, 10, 15, 0),
        attachments=[edxml.Attachment("cong-van.pdf", b"%PDF-1.4 demo \x00\xff"),
                     edxml.Attachment("phu-luc.docx", b"PK\x03\x04", "application/vnd.openxmlformats")])
    data.update(kw)
    return edxml.Envelope(**data)


def test_round_trip_keeps_every_field_and_every_element_is_prefixed():
    env = _envelope()
    raw = edxml.build(env)
    text = raw.decode()
    assert text.count(f'xmlns="{NS}"') == 1 and f'<edXML:edXMLEnvelope xmlns:edXML="{NS}">' in text
    inside = text[text.index("<edXML:edXMLEnvelope"):text.index("</edXML:edXMLEnvelope>")]
    tags = re.findall(r"</?([A-Za-z][\w:.-]*)", inside)
    assert tags and all(t.startswith("edXML:") for t in tags), {t for t in tags if not t.startswith("edXML:")}
    for name in ("From", "To", "DocumentId", "Code", "PromulgationInfo", "DocumentType", "Subject", "SteeringType",
                 "ResponseFor", "TraceHeaderList", "edXMLManifest", "Reference"):
        assert f"<edXML:{name}" in inside, name
    back = edxml.parse(raw)
    assert back.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert [(a.name, a.content, a.content_type, a.content_id) for a in back.attachments] == \
        [(a.name, a.content, a.content_type, f"cid:{i}") for i, a in enumerate(env.attachments, 1)]
    assert all(a.description.startswith("sha256:") for a in back.attachments)
    back.attachments = env.attachments = []
    assert back == env


def test_status_messages_round_trip():
    for code in edxml.STATUS_CODES:
        msg = edxml.StatusMessage(sender=edxml.Organ("000.00.18.H13", "Sở Tư pháp"), status_code=code,
                                  response_for={"OrganId": "000.00.17.H13", "Code": "01/QĐ-SXD",
                                                "PromulgationDate": "2026/03/02",
                                                "DocumentId": "000.00.17.H13,2026/03/02,01/QĐ-SXD"},
                                  description="Mô tả", timestamp=datetime(2026, 3, 2, 9, 0), department="VP",
                                  staff="vanthu")
        raw = edxml.build_status(msg)
        assert b"<edXML:Status>" in raw and edxml.parse_status(raw) == msg
    with pytest.raises(edxml.EdxmlError) as err:
        edxml.build_status(edxml.StatusMessage(sender=edxml.Organ("x"), status_code="09", response_for={}))
    assert err.value.code == "unknown_status_code"


SAMPLE = f"""<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="{NS}">
  <edXML:edXMLEnvelope xmlns:edXML="{NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganizationInCharge>Văn phòng Chính phủ</edXML:OrganizationInCharge>
          <edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName><edXML:OrganAdd>Số 1 Hoàng Hoa Thám</edXML:OrganAdd></edXML:From>
        <edXML:To><edXML:OrganId>000.00.17.H13</edXML:OrganId><edXML:OrganName>Sở Xây dựng</edXML:OrganName></edXML:To>
        <edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
        <edXML:Code><edXML:CodeNumber>7816</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2015/09/30</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>V/v thử nghiệm liên thông</edXML:Subject>
        <edXML:Content>Nội dung</edXML:Content>
        <edXML:SignerInfo><edXML:Competence>TL. BỘ TRƯỞNG</edXML:Competence><edXML:Position>Vụ trưởng</edXML:Position><edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>
        <edXML:DueDate>2015/10/15</edXML:DueDate>
        <edXML:ToPlaces><edXML:Place>Các Bộ</edXML:Place></edXML:ToPlaces>
        <edXML:OtherInfo><edXML:Priority>0</edXML:Priority><edXML:PageAmount>2</edXML:PageAmount></edXML:OtherInfo>
        <edXML:SteeringType>0</edXML:SteeringType>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList id="t1" version="1.0" mustUnderstand="1" actor="x">
        <edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Timestamp>2015/09/30 10:15:00</edXML:Timestamp></edXML:TraceHeader>
        <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0"><edXML:Reference><edXML:ContentId>cid:abc</edXML:ContentId>
      <edXML:ContentType>application/pdf</edXML:ContentType><edXML:Description>Văn bản</edXML:Description>
      <edXML:AttachmentName>vb.pdf</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded><Attachment><ContentId>cid:abc</ContentId><AttachmentName>vb.pdf</AttachmentName>
    <ContentType>application/pdf</ContentType><ContentTransferEncoded>{base64.b64encode(b"%PDF-1.4 x").decode()}</ContentTransferEncoded></Attachment></AttachmentEncoded>
</edXML>"""


def test_a_sample_shaped_envelope_is_parsed():
    env = edxml.parse(SAMPLE)
    assert (env.sender.organ_id, env.sender.address, [r.organ_id for r in env.recipients]) == \
        ("000.00.00.G22", "Số 1 Hoàng Hoa Thám", ["000.00.17.H13"])
    assert (env.code_number, env.code_notation, env.promulgation_date, env.type_code, env.type_name) == \
        ("7816", "VPCP-TTĐT", date(2015, 9, 30), 1, "Công văn")
    assert (env.signer_competence, env.due_date, env.timestamp) == ("TL. BỘ TRƯỞNG", date(2015, 10, 15),
                                                                   datetime(2015, 9, 30, 10, 15))
    assert [(a.name, a.content) for a in env.attachments] == [("vb.pdf", b"%PDF-1.4 x")]


XXE = f"""<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:Subject>&x;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>"""
BOMB = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<edXML>&lol2;</edXML>"""


@pytest.mark.parametrize("data, code", [
    (XXE, "forbidden_xml"),
    (BOMB, "forbidden_xml"),
    ("<edXML><unclosed>", "malformed_xml"),
    (b"\xff\xfe not xml", "malformed_xml"),
    (f'<other xmlns="{NS}"/>', "not_edxml"),
    ("<edXML/>", "not_edxml"),                                   # right name, no namespace
    (SAMPLE.replace("<edXML:Subject>V/v thử nghiệm liên thông</edXML:Subject>", ""), "missing_field"),
    (SAMPLE.replace("2015/09/30</edXML:PromulgationDate>", "30-09-2015</edXML:PromulgationDate>"), "invalid_date"),
    (SAMPLE.replace("<ContentId>cid:abc</ContentId>", "<ContentId>cid:zzz</ContentId>"), "attachment_not_in_manifest"),
    (SAMPLE.replace("<AttachmentEncoded><Attachment>", "<AttachmentEncoded><X>").replace(
        "</Attachment></AttachmentEncoded>", "</X></AttachmentEncoded>"), "attachment_missing"),
])
def test_bad_envelopes_are_refused_with_a_code(data, code):
    with pytest.raises(edxml.EdxmlError) as err:
        edxml.parse(data)
    assert err.value.code == code


def test_an_attachment_not_matching_its_checksum_is_refused():
    raw = edxml.build(_envelope()).decode()
    good = base64.b64encode(b"%PDF-1.4 demo \x00\xff").decode()
    with pytest.raises(edxml.EdxmlError) as err:
        edxml.parse(raw.replace(good, base64.b64encode(b"%PDF-1.4 DEMO \x00\xff").decode()))
    assert err.value.code == "checksum_mismatch"


def _issued(actors, province, secrecy=SecrecyLevel.NORMAL):
    doc = services.create_draft(actors["specialist"], province.sxd.code, type_name="Quyết định",
                                subject="Về việc phối hợp", secrecy=secrecy, signer_authority="KT. GIÁM ĐỐC",
                                recipients=[{"OrganId": province.stp.code, "OrganName": province.stp.name}])
    services.review(actors["leader"], doc.pk)
    services.approve(actors["leader"], doc.pk)
    return services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 09:00"))


def test_exchange_registers_once_and_answers_with_status(province, actors):
    doc = _issued(actors, province)
    raw = exchange.envelope_for(actors["clerk"], doc.pk, attachments=[edxml.Attachment("qd.pdf", b"%PDF-1.7")],
                                now=at("2026-03-02 09:05"))
    receipt = exchange.receive(actors["other"], province.stp.code, raw, now=at("2026-03-02 10:00"))
    assert receipt.accepted and receipt.code == "received"
    incoming = receipt.document
    assert (incoming.arrival_number, incoming.number_symbol, incoming.sender_code, str(incoming.arrival_date)) == \
        (1, "01/QĐ-SXD", province.sxd.code, "2026-03-02")
    status = edxml.parse_status(receipt.status)
    assert status.status_code == edxml.RECEIVED and status.response_for["DocumentId"] == incoming.document_id

    again = exchange.receive(actors["other"], province.stp.code, raw, now=at("2026-03-02 10:05"))
    assert (again.accepted, again.code) == (False, "duplicate_document_id")
    assert edxml.parse_status(again.status).status_code == edxml.REJECTED
    wrong = exchange.receive(actors["clerk"], province.sxd.code, raw)
    assert (wrong.accepted, wrong.code) == (False, "unknown_recipient")
    xxe = exchange.receive(actors["other"], province.stp.code, XXE)
    assert (xxe.accepted, xxe.code) == (False, "forbidden_xml") and b"root:" not in xxe.status
    assert IncomingDocument.objects.count() == 1


def test_secret_documents_are_never_exchanged(province, actors):
    from motcua.core.errors import NotAllowed
    doc = _issued(actors, province, SecrecyLevel.CONFIDENTIAL)
    with pytest.raises(NotAllowed) as err:
        exchange.envelope_for(actors["clerk"], doc.pk)
    assert err.value.code == "secret_document_not_exchanged"
