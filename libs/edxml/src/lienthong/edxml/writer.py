"""edXML writer: emits packages exactly like the official SDK (edxml.md §1, §2, §11, §12).

The root ``edXML`` is in the default namespace; every element inside the envelope is
written with the ``edXML:`` prefix, in the SDK's order; ``AttachmentEncoded`` is an
unprefixed sibling of the envelope. Dates are ``yyyy/MM/dd`` and timestamps
``yyyy/MM/dd HH:mm:ss`` in Vietnam time without an offset. Attachment bytes are
streamed through base64 into the output, never held whole.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import BinaryIO

from lxml import etree

from lienthong.edxml.model import (
    EDXML_NS,
    XLINK_NS,
    Attachment,
    Bussiness,
    DocumentPackage,
    MessageHeader,
    Organ,
    ResponseFor,
    StaffInfo,
    StatusPackage,
)
from lienthong.platform.clock import VN_TZ

AttachmentSource = Callable[[Attachment], Iterable[bytes]]
"""Gives an attachment's bytes, in chunks, for the writer to encode."""

_E = f"{{{EDXML_NS}}}"
_B64_BLOCK = 3 * 64 * 1024


def _secure_fragment_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def wire_date(value: date) -> str:
    """``yyyy/MM/dd``."""
    return f"{value:%Y/%m/%d}"


def wire_timestamp(value: datetime) -> str:
    """``yyyy/MM/dd HH:mm:ss`` in Vietnam time, no offset (edxml.md §4)."""
    return value.astimezone(VN_TZ).strftime("%Y/%m/%d %H:%M:%S")


def build(package: DocumentPackage | StatusPackage,
          contents: Mapping[str, bytes] | AttachmentSource | None = None) -> bytes:
    """The package as edXML bytes. ``contents`` maps content ids to bytes, or gives them per attachment."""
    out = io.BytesIO()
    write(package, out, contents)
    return out.getvalue()


def write(package: DocumentPackage | StatusPackage, out: BinaryIO,
          contents: Mapping[str, bytes] | AttachmentSource | None = None) -> None:
    """Stream the package as edXML into ``out``."""
    source = _source(contents)
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with etree.xmlfile(out, encoding="utf-8") as xf, xf.element(f"{_E}edXML", nsmap={None: EDXML_NS}):
        xf.write(_envelope(package))
        if isinstance(package, DocumentPackage) and package.attachments:
            with xf.element(f"{_E}AttachmentEncoded"):
                for attachment in package.attachments:
                    with xf.element(f"{_E}Attachment"):
                        for local, value in (("ContentId", attachment.content_id),
                                             ("AttachmentName", attachment.attachment_name),
                                             ("ContentType", attachment.content_type),
                                             ("Description", attachment.description)):
                            if value:
                                with xf.element(f"{_E}{local}"):
                                    xf.write(value)
                        with xf.element(f"{_E}ContentTransferEncoded"):
                            for text in _base64(source(attachment)):
                                xf.write(text)


def _source(contents: Mapping[str, bytes] | AttachmentSource | None) -> AttachmentSource:
    if contents is None:
        return lambda attachment: ()
    if callable(contents):
        return contents
    mapping = contents
    return lambda attachment: (mapping[attachment.content_id],)


def _base64(chunks: Iterable[bytes]) -> Iterable[str]:
    pending = b""
    for chunk in chunks:
        pending += chunk
        usable = len(pending) - len(pending) % 3
        if usable >= _B64_BLOCK:
            yield base64.b64encode(pending[:usable]).decode("ascii")
            pending = pending[usable:]
    if pending:
        yield base64.b64encode(pending).decode("ascii")


def _envelope(package: DocumentPackage | StatusPackage) -> etree._Element:
    envelope = etree.Element(f"{_E}edXMLEnvelope", nsmap={"edXML": EDXML_NS})
    header = _sub(envelope, "edXMLHeader")
    if isinstance(package, StatusPackage):
        _status_header(_sub(header, "MessageHeader"), package)
        return envelope
    _message_header(_sub(header, "MessageHeader"), package.header)
    if package.trace_header_list is not None:
        trace = package.trace_header_list
        node = _sub(header, "TraceHeaderList")
        for key, value in trace.attributes.items():
            node.set(key, value)
        for hop in trace.trace_headers:
            hop_node = _sub(node, "TraceHeader")
            _leaf(hop_node, "OrganId", hop.organ_id)
            if hop.timestamp is not None:
                _leaf(hop_node, "Timestamp", wire_timestamp(hop.timestamp))
        if trace.bussiness is not None:
            _business(_sub(node, "Bussiness"), trace.bussiness)
    if package.signature_xml:
        header.append(etree.fromstring(package.signature_xml.encode(), _secure_fragment_parser()))
    if package.attachments:
        manifest = _sub(_sub(envelope, "edXMLBody"), "edXMLManifest")
        manifest.set("version", "1.0")
        for attachment in package.attachments:
            ref = etree.SubElement(manifest, f"{_E}Reference", nsmap={"xlink": XLINK_NS})
            ref.set(f"{{{XLINK_NS}}}type", "simple")
            ref.set(f"{{{XLINK_NS}}}href", f"cid:{attachment.content_id}")
            _leaf(ref, "Description", attachment.description)
            _leaf(ref, "AttachmentName", attachment.attachment_name)
            _leaf(ref, "ContentType", attachment.content_type)
            _leaf(ref, "ContentId", f"cid:{attachment.content_id}")
    return envelope


def _message_header(node: etree._Element, head: MessageHeader) -> None:
    _organ(_sub(node, "From"), head.from_)
    for recipient in head.to:
        _organ(_sub(node, "To"), recipient)
    code = _sub(node, "Code")
    _leaf(code, "CodeNumber", head.code.code_number)
    _leaf(code, "CodeNotation", head.code.code_notation)
    info = _sub(node, "PromulgationInfo")
    _leaf(info, "Place", head.promulgation_info.place)
    _leaf(info, "PromulgationDate", wire_date(head.promulgation_info.promulgation_date))
    kind = head.document_type
    if kind.type is not None or kind.type_detail is not None or kind.type_name:
        doc_type = _sub(node, "DocumentType")
        _leaf(doc_type, "Type", kind.type)
        _leaf(doc_type, "TypeDetail", kind.type_detail)
        _leaf(doc_type, "TypeName", kind.type_name)
    _leaf(node, "Subject", head.subject)
    _leaf(node, "Content", head.content)
    signer = head.signer_info
    if signer.competence or signer.position or signer.full_name:
        signer_node = _sub(node, "SignerInfo")
        _leaf(signer_node, "Competence", signer.competence)
        _leaf(signer_node, "Position", signer.position)
        _leaf(signer_node, "FullName", signer.full_name)
    if head.due_date is not None:
        _leaf(node, "DueDate", wire_date(head.due_date))
    if head.to_places:
        places = _sub(node, "ToPlaces")
        for place in head.to_places:
            _sub(places, "Place").text = place
    other = head.other_info
    other_node = _sub(node, "OtherInfo")
    _leaf(other_node, "Priority", other.priority)
    _leaf(other_node, "SphereOfPromulgation", other.sphere_of_promulgation)
    _leaf(other_node, "TyperNotation", other.typer_notation)
    _leaf(other_node, "PromulgationAmount", other.promulgation_amount)
    _leaf(other_node, "PageAmount", other.page_amount)
    if other.appendixes:
        appendixes = _sub(other_node, "Appendixes")
        for title in other.appendixes:
            _sub(appendixes, "Appendix").text = title
    _extensions(other_node, other.extensions)
    for answer in head.response_for:
        _response_for(_sub(node, "ResponseFor"), answer)
    _leaf(node, "SteeringType", head.steering_type)
    _leaf(node, "DocumentId", head.document_id or head.expected_document_id())
    _extensions(node, head.extensions)


def _status_header(node: etree._Element, status: StatusPackage) -> None:
    _organ(_sub(node, "From"), status.from_)
    _response_for(_sub(node, "ResponseFor"), status.response_for)
    if status.staff_info is not None:
        _staff(_sub(node, "StaffInfo"), status.staff_info)
    _leaf(node, "StatusCode", status.status_code)
    _leaf(node, "Description", status.description)
    if status.timestamp is not None:
        _leaf(node, "Timestamp", wire_timestamp(status.timestamp))


def _business(node: etree._Element, business: Bussiness) -> None:
    _leaf(node, "BussinessDocType", int(business.bussiness_doc_type))
    _leaf(node, "BussinessDocReason", business.bussiness_doc_reason)
    _leaf(node, "Paper", business.paper)
    if business.staff_info is not None:
        _staff(_sub(node, "StaffInfo"), business.staff_info)
    _leaf(node, "DocumentId", business.document_id)
    info = business.bussiness_document_info
    if info is not None:
        info_node = _sub(node, "BussinessDocumentInfo")
        _leaf(info_node, "DocumentInfo", info.document_info)
        _leaf(info_node, "DocumentReceiver", info.document_receiver)
        receivers = _sub(info_node, "ReceiverList")
        for receiver in info.receivers:
            receiver_node = _sub(receivers, "Receiver")
            _leaf(receiver_node, "ReceiverType", receiver.receiver_type)
            _leaf(receiver_node, "OrganId", receiver.organ_id)
    if business.replacement_info_list:
        replacements = _sub(node, "ReplacementInfoList")
        for item in business.replacement_info_list:
            item_node = _sub(replacements, "ReplacementInfo")
            _leaf(item_node, "DocumentId", item.document_id)
            organs = _sub(item_node, "OrganIdList")
            for organ_id in item.organ_ids:
                _sub(organs, "OrganId").text = organ_id


def _organ(node: etree._Element, organ: Organ) -> None:
    _leaf(node, "OrganId", organ.organ_id)
    _leaf(node, "OrganizationInCharge", organ.organization_in_charge)
    _leaf(node, "OrganName", organ.organ_name)
    _leaf(node, "OrganAdd", organ.organ_add)
    _leaf(node, "Email", organ.email)
    _leaf(node, "Telephone", organ.telephone)
    _leaf(node, "Fax", organ.fax)
    _leaf(node, "Website", organ.website)


def _response_for(node: etree._Element, answer: ResponseFor) -> None:
    _leaf(node, "OrganId", answer.organ_id)
    _leaf(node, "Code", answer.code)
    if answer.promulgation_date is not None:
        _leaf(node, "PromulgationDate", wire_date(answer.promulgation_date))
    _leaf(node, "DocumentId", answer.document_id)


def _staff(node: etree._Element, staff: StaffInfo) -> None:
    _leaf(node, "Department", staff.department)
    _leaf(node, "Staff", staff.staff)
    _leaf(node, "Mobile", staff.mobile)
    _leaf(node, "Email", staff.email)


def _extensions(node: etree._Element, fragments: list[str]) -> None:
    for fragment in fragments:
        node.append(etree.fromstring(fragment.encode(), _secure_fragment_parser()))


def _sub(parent: etree._Element, local: str) -> etree._Element:
    return etree.SubElement(parent, f"{_E}{local}")


def _leaf(parent: etree._Element, local: str, value: str | int | None) -> None:
    if value is None or value == "":
        return
    _sub(parent, local).text = str(value)
