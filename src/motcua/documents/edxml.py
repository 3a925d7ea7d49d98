"""edXML (QCVN 102:2016/BTTTT) envelopes and status messages, built and parsed in the official sample's shape:

    <edXML xmlns="NS"><edXML:edXMLEnvelope xmlns:edXML="NS"><edXML:edXMLHeader><edXML:MessageHeader>...
    </edXML:MessageHeader><edXML:TraceHeaderList>...</edXML:TraceHeaderList></edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0"><edXML:Reference>...</edXML:Reference>
    </edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope><AttachmentEncoded>...</AttachmentEncoded></edXML>

Every envelope element carries the `edXML:` prefix (VPCP's .NET serializer rejects envelopes without it), so
the XML is written from a template, not by a serializer that may optimise the prefix away. Parsing goes
through defusedxml: any DTD, entity or external reference is refused before anything is resolved, and nothing
is read from disk or the network. Attachment checksums: the sample leaves Reference/Description free; Motcua
writes "sha256:<hex>" there and checks it on receipt when present.
"""
import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from xml.etree.ElementTree import ParseError

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_BYTES = 50 * 1024 * 1024

STATUS_CODES = {
    "01": "Đã đến", "02": "Từ chối tiếp nhận", "03": "Đã tiếp nhận", "04": "Phân công", "05": "Đang xử lý",
    "06": "Hoàn thành", "13": "Lấy lại/thu hồi", "15": "Đồng ý lấy lại/thu hồi", "16": "Từ chối lấy lại/thu hồi",
}
ARRIVED, REJECTED, RECEIVED, ASSIGNED, IN_PROGRESS, DONE = "01", "02", "03", "04", "05", "06"
RECALLED, RECALL_ACCEPTED, RECALL_REFUSED = "13", "15", "16"


class EdxmlError(Exception):
    """A refused envelope: `code` is machine-readable, the message Vietnamese."""

    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details or {}


@dataclass
class Organ:
    organ_id: str
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Attachment:
    name: str
    content: bytes
    content_type: str = "application/pdf"
    content_id: str = ""
    description: str = ""


@dataclass
class Envelope:
    sender: Organ
    recipients: list
    code_number: str
    code_notation: str
    promulgation_date: date
    subject: str
    type_code: int = 1
    type_name: str = "Công văn"
    type_detail: str = ""
    place: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    steering_type: int = 0
    priority: int = 0
    response_for: dict | None = None         # {"OrganId","Code","PromulgationDate","DocumentId"}
    business_doc_type: int = 0               # 0 = new document
    timestamp: datetime | None = None
    attachments: list = field(default_factory=list)
    document_id: str = ""
    # the rest of the official sample, kept so that nothing read is lost
    to_places: list = field(default_factory=list)
    other_info: dict = field(default_factory=dict)          # OTHER_INFO keys -> text
    appendixes: list = field(default_factory=list)
    business_document_id: str = ""                          # TraceHeaderList/Bussiness/DocumentId
    business_doc_reason: str = ""
    paper: int = 0
    business_staff: dict = field(default_factory=dict)      # STAFF keys -> text
    signature: str = ""                                     # the XML-DSig <Signature> element, as read

    def __post_init__(self):
        if not self.document_id:
            self.document_id = (f"{self.sender.organ_id},{self.promulgation_date:%Y/%m/%d},"
                                f"{self.code_number}/{self.code_notation}")
        if not self.business_document_id:
            self.business_document_id = self.document_id


OTHER_INFO = ("SphereOfPromulgation", "TyperNotation", "PromulgationAmount", "PageAmount", "Direction")
STAFF = ("Department", "Staff", "Email", "Mobile")


@dataclass
class StatusMessage:
    sender: Organ
    status_code: str
    response_for: dict
    description: str = ""
    timestamp: datetime | None = None
    department: str = ""
    staff: str = ""


# ---------------------------------------------------------------- building

def _t(name, value):
    return f"<edXML:{name}>{escape(str(value if value is not None else ''))}</edXML:{name}>"


def _organ(tag, o):
    return (f"<edXML:{tag}>" + _t("OrganId", o.organ_id) + _t("OrganizationInCharge", o.in_charge) +
            _t("OrganName", o.name) + _t("OrganAdd", o.address) + _t("Email", o.email) +
            _t("Telephone", o.telephone) + _t("Fax", o.fax) + _t("Website", o.website) + f"</edXML:{tag}>")


def _response_for(r):
    if not r:
        return ""
    return ("<edXML:ResponseFor>" + _t("OrganId", r.get("OrganId", "")) + _t("Code", r.get("Code", "")) +
            _t("PromulgationDate", r.get("PromulgationDate", "")) + _t("DocumentId", r.get("DocumentId", "")) +
            "</edXML:ResponseFor>")


def _d(value):
    return value.strftime("%Y/%m/%d") if value else ""


def _wrap(header, body=""):
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>{header}'
            f'</edXML:edXMLHeader><edXML:edXMLBody>{body}</edXML:edXMLBody></edXML:edXMLEnvelope>')


def build(env: Envelope) -> bytes:
    ts = env.timestamp or datetime.now()
    header = ("<edXML:MessageHeader>" + _organ("From", env.sender) +
              "".join(_organ("To", r) for r in env.recipients) + _t("DocumentId", env.document_id) +
              "<edXML:Code>" + _t("CodeNumber", env.code_number) + _t("CodeNotation", env.code_notation) +
              "</edXML:Code><edXML:PromulgationInfo>" + _t("Place", env.place) +
              _t("PromulgationDate", _d(env.promulgation_date)) + "</edXML:PromulgationInfo><edXML:DocumentType>" +
              _t("Type", env.type_code) + _t("TypeDetail", env.type_detail) + _t("TypeName", env.type_name) +
              "</edXML:DocumentType>" + _t("Subject", env.subject) + _t("Content", env.content) +
              "<edXML:SignerInfo>" + _t("Competence", env.signer_competence) + _t("Position", env.signer_position) +
              _t("FullName", env.signer_name) + "</edXML:SignerInfo>" + _t("DueDate", _d(env.due_date)) +
              "<edXML:OtherInfo>" + _t("Priority", env.priority) +
              "".join(_t(k, env.other_info[k]) for k in OTHER_INFO if k in env.other_info) +
              ("<edXML:Appendixes>" + "".join(_t("Appendix", a) for a in env.appendixes) + "</edXML:Appendixes>"
               if env.appendixes else "") + "</edXML:OtherInfo>" +
              _t("SteeringType", env.steering_type) +
              ("<edXML:ToPlaces>" + "".join(_t("Place", p) for p in env.to_places) + "</edXML:ToPlaces>"
               if env.to_places else "") + _response_for(env.response_for) + "</edXML:MessageHeader>" +
              '<edXML:TraceHeaderList><edXML:TraceHeader>' + _t("OrganId", env.sender.organ_id) +
              _t("Timestamp", ts.strftime("%Y/%m/%d %H:%M:%S")) + "</edXML:TraceHeader><edXML:Bussiness>" +
              _t("DocumentId", env.business_document_id) + _t("BussinessDocType", env.business_doc_type) +
              _t("BussinessDocReason", env.business_doc_reason) + _t("Paper", env.paper) +
              ("<edXML:StaffInfo>" + "".join(_t(k, env.business_staff[k]) for k in STAFF if k in env.business_staff)
               + "</edXML:StaffInfo>" if env.business_staff else "") + "</edXML:Bussiness></edXML:TraceHeaderList>" +
              env.signature)
    refs, encoded = [], []
    for i, a in enumerate(env.attachments, 1):
        cid = a.content_id or f"cid:{i}"
        desc = a.description or f"sha256:{hashlib.sha256(a.content).hexdigest()}"
        refs.append("<edXML:Reference>" + _t("ContentId", cid) + _t("ContentType", a.content_type) +
                    _t("Description", desc) + _t("AttachmentName", a.name) + "</edXML:Reference>")
        encoded.append(f"<Attachment><ContentId>{escape(cid)}</ContentId><AttachmentName>{escape(a.name)}"
                       f"</AttachmentName><Description>{escape(desc)}</Description><ContentType>"
                       f"{escape(a.content_type)}</ContentType><ContentTransferEncoded>"
                       f"{base64.b64encode(a.content).decode()}</ContentTransferEncoded></Attachment>")
    body = f'<edXML:edXMLManifest version={quoteattr("1.0")}>{"".join(refs)}</edXML:edXMLManifest>'
    xml = _wrap(header, body) + f"<AttachmentEncoded>{''.join(encoded)}</AttachmentEncoded></edXML>"
    return xml.encode("utf-8")


def build_status(msg: StatusMessage) -> bytes:
    if msg.status_code not in STATUS_CODES:
        raise EdxmlError("unknown_status_code", "Mã trạng thái không hợp lệ.", {"status": msg.status_code})
    ts = msg.timestamp or datetime.now()
    status = ("<edXML:Status>" + _response_for(msg.response_for) + _organ("From", msg.sender) +
              _t("StatusCode", msg.status_code) + _t("Description", msg.description or STATUS_CODES[msg.status_code])
              + _t("Timestamp", ts.strftime("%Y/%m/%d %H:%M:%S")) + "<edXML:StaffInfo>" +
              _t("Department", msg.department) + _t("Staff", msg.staff) + "</edXML:StaffInfo></edXML:Status>")
    return (_wrap(status) + "</edXML>").encode("utf-8")


# ---------------------------------------------------------------- parsing

def _q(name):
    return f"{{{NS}}}{name}"


def _text(node, path, required=False):
    el = node.find(path.replace("e:", f"{{{NS}}}")) if node is not None else None
    value = (el.text or "").strip() if el is not None else ""
    if required and not value:
        raise EdxmlError("missing_field", f"Thiếu trường bắt buộc {path.replace('e:', '')}.",
                         {"field": path.replace("e:", "")})
    return value


def _date(value, name, required=False):
    if not value:
        if required:
            raise EdxmlError("missing_field", f"Thiếu trường bắt buộc {name}.", {"field": name})
        return None
    try:
        return datetime.strptime(value, "%Y/%m/%d").date()
    except ValueError:
        raise EdxmlError("invalid_date", f"Ngày {name} phải có dạng YYYY/MM/DD.", {"field": name, "value": value})


def _int(value):
    """A small optional number (Priority, SteeringType, BussinessDocType): 0 when absent or not a number."""
    return int(value) if value.isdigit() and len(value) < 6 else 0


def _parse_organ(node):
    return Organ(organ_id=_text(node, "e:OrganId"), name=_text(node, "e:OrganName"),
                 in_charge=_text(node, "e:OrganizationInCharge"), address=_text(node, "e:OrganAdd"),
                 email=_text(node, "e:Email"), telephone=_text(node, "e:Telephone"), fax=_text(node, "e:Fax"),
                 website=_text(node, "e:Website"))


def _root(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise EdxmlError("too_large", "Gói tin vượt quá dung lượng cho phép.", {"max_bytes": MAX_BYTES})
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise EdxmlError("forbidden_xml", "Gói tin chứa DTD hoặc thực thể (entity) — không được chấp nhận.",
                         {"reason": type(exc).__name__})
    except ParseError as exc:
        raise EdxmlError("malformed_xml", "Gói tin không phải XML hợp lệ.", {"reason": str(exc)})
    if root.tag != _q("edXML"):
        raise EdxmlError("not_edxml", "Gói tin không theo cấu trúc edXML (QCVN 102:2016).", {"root": root.tag})
    header = root.find(f"{_q('edXMLEnvelope')}/{_q('edXMLHeader')}")
    if header is None:
        raise EdxmlError("not_edxml", "Thiếu edXMLEnvelope/edXMLHeader.", {})
    return root, header


def _parse_response_for(node):
    if node is None:
        return None
    return {k: _text(node, f"e:{k}") for k in ("OrganId", "Code", "PromulgationDate", "DocumentId")}


def parse(data) -> Envelope:
    root, header = _root(data)
    mh = header.find(_q("MessageHeader"))
    if mh is None:
        raise EdxmlError("missing_field", "Thiếu trường bắt buộc MessageHeader.", {"field": "MessageHeader"})
    sender = _parse_organ(mh.find(_q("From")))
    if not sender.organ_id:
        raise EdxmlError("missing_field", "Thiếu trường bắt buộc From/OrganId.", {"field": "From/OrganId"})
    recipients = [_parse_organ(n) for n in mh.findall(_q("To"))]
    if not recipients or not all(r.organ_id for r in recipients):
        raise EdxmlError("missing_field", "Thiếu trường bắt buộc To/OrganId.", {"field": "To/OrganId"})
    type_code = _text(mh, "e:DocumentType/e:Type") or "0"
    if not type_code.isdigit():
        raise EdxmlError("invalid_field", "DocumentType/Type phải là số.", {"field": "DocumentType/Type"})
    refs = {}
    for ref in root.findall(f"{_q('edXMLEnvelope')}/{_q('edXMLBody')}/{_q('edXMLManifest')}/{_q('Reference')}"):
        refs[_text(ref, "e:ContentId", True)] = {"name": _text(ref, "e:AttachmentName"),
                                                 "type": _text(ref, "e:ContentType"),
                                                 "description": _text(ref, "e:Description")}
    attachments = []
    for att in root.findall(f"{_q('AttachmentEncoded')}/{_q('Attachment')}"):
        cid = _text(att, "e:ContentId")
        if cid not in refs:
            raise EdxmlError("attachment_not_in_manifest", "Tệp đính kèm không có trong danh mục (manifest).",
                             {"content_id": cid})
        try:
            content = base64.b64decode(_text(att, "e:ContentTransferEncoded"), validate=True)
        except (binascii.Error, ValueError):
            raise EdxmlError("invalid_attachment", "Tệp đính kèm không mã hóa base64 hợp lệ.", {"content_id": cid})
        ref = refs.pop(cid)
        m = re.fullmatch(r"sha256:([0-9a-fA-F]{64})", ref["description"])
        if m and hashlib.sha256(content).hexdigest() != m.group(1).lower():
            raise EdxmlError("checksum_mismatch", "Tệp đính kèm không khớp mã kiểm tra SHA-256.",
                             {"content_id": cid, "name": ref["name"]})
        attachments.append(Attachment(name=ref["name"] or _text(att, "e:AttachmentName"), content=content,
                                      content_type=ref["type"] or _text(att, "e:ContentType"), content_id=cid,
                                      description=ref["description"]))
    if refs:
        raise EdxmlError("attachment_missing", "Danh mục (manifest) nêu tệp đính kèm không có trong gói tin.",
                         {"content_ids": sorted(refs)})
    ts = _text(header, "e:TraceHeaderList/e:TraceHeader/e:Timestamp")
    try:
        timestamp = datetime.strptime(ts, "%Y/%m/%d %H:%M:%S") if ts else None
    except ValueError:
        raise EdxmlError("invalid_date", "TraceHeader/Timestamp không hợp lệ.", {"field": "Timestamp"})
    steering = _text(mh, "e:SteeringType")
    return Envelope(
        sender=sender, recipients=recipients, document_id=_text(mh, "e:DocumentId", True),
        code_number=_text(mh, "e:Code/e:CodeNumber", True), code_notation=_text(mh, "e:Code/e:CodeNotation"),
        place=_text(mh, "e:PromulgationInfo/e:Place"),
        promulgation_date=_date(_text(mh, "e:PromulgationInfo/e:PromulgationDate"), "PromulgationDate", True),
        type_code=int(type_code), type_detail=_text(mh, "e:DocumentType/e:TypeDetail"),
        type_name=_text(mh, "e:DocumentType/e:TypeName"), subject=_text(mh, "e:Subject", True),
        content=_text(mh, "e:Content"), signer_competence=_text(mh, "e:SignerInfo/e:Competence"),
        signer_position=_text(mh, "e:SignerInfo/e:Position"), signer_name=_text(mh, "e:SignerInfo/e:FullName"),
        due_date=_date(_text(mh, "e:DueDate"), "DueDate"), steering_type=_int(steering),
        priority=_int(_text(mh, "e:OtherInfo/e:Priority")),
        response_for=_parse_response_for(mh.find(_q("ResponseFor"))),
        business_doc_type=_int(_text(header, "e:TraceHeaderList/e:Bussiness/e:BussinessDocType")),
        timestamp=timestamp, attachments=attachments,
        to_places=[(p.text or "").strip() for p in mh.findall(f"{_q('ToPlaces')}/{_q('Place')}")],
        other_info={k: _text(mh, f"e:OtherInfo/e:{k}") for k in OTHER_INFO
                    if mh.find(f"{_q('OtherInfo')}/{_q(k)}") is not None},
        appendixes=[(a.text or "").strip() for a in mh.findall(f"{_q('OtherInfo')}/{_q('Appendixes')}/{_q('Appendix')}")],
        business_document_id=_text(header, "e:TraceHeaderList/e:Bussiness/e:DocumentId"),
        business_doc_reason=_text(header, "e:TraceHeaderList/e:Bussiness/e:BussinessDocReason"),
        paper=_int(_text(header, "e:TraceHeaderList/e:Bussiness/e:Paper")),
        business_staff={k: _text(header, f"e:TraceHeaderList/e:Bussiness/e:StaffInfo/e:{k}") for k in STAFF
                        if header.find(f"{_q('TraceHeaderList')}/{_q('Bussiness')}/{_q('StaffInfo')}/{_q(k)}")
                        is not None},
        signature=_signature(header))


def _signature(header):
    """The XML-DSig <Signature> of the header (W3C namespace, or unqualified under the edXML default namespace
    as in the official sample), serialised as read, so that it goes out again unchanged."""
    from xml.etree.ElementTree import tostring
    el = header.find("{http://www.w3.org/2000/09/xmldsig#}Signature")
    if el is not None:
        return tostring(el, encoding="unicode")
    el = header.find(_q("Signature"))
    return tostring(el, encoding="unicode") if el is not None else ""


def parse_status(data) -> StatusMessage:
    _root_el, header = _root(data)
    st = header.find(_q("Status"))
    if st is None:
        raise EdxmlError("missing_field", "Thiếu trường bắt buộc Status.", {"field": "Status"})
    code = _text(st, "e:StatusCode", True)
    if code not in STATUS_CODES:
        raise EdxmlError("unknown_status_code", "Mã trạng thái không hợp lệ.", {"status": code})
    ts = _text(st, "e:Timestamp")
    try:
        timestamp = datetime.strptime(ts, "%Y/%m/%d %H:%M:%S") if ts else None
    except ValueError:
        raise EdxmlError("invalid_date", "Status/Timestamp không hợp lệ.", {"field": "Timestamp"})
    response_for = _parse_response_for(st.find(_q("ResponseFor")))
    if not response_for or not response_for["DocumentId"]:
        raise EdxmlError("missing_field", "Thiếu trường bắt buộc ResponseFor/DocumentId.",
                         {"field": "ResponseFor/DocumentId"})
    return StatusMessage(sender=_parse_organ(st.find(_q("From"))), status_code=code, response_for=response_for,
                         description=_text(st, "e:Description"), timestamp=timestamp,
                         department=_text(st, "e:StaffInfo/e:Department"), staff=_text(st, "e:StaffInfo/e:Staff"))
