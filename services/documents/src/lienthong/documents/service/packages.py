"""Between the edXML model (``lienthong.edxml``) and the documents service's flat draft.

Every submission, whatever its door (edXML, the model as JSON, the flat metadata of the
first API), becomes one :class:`~lienthong.edxml.DocumentPackage`; the Decision 28/2018
Art. 10 rules are checked on its flat projection, and errors are reported with the path
of the field in the door the sender used.
"""

from __future__ import annotations

import re

from lienthong.documents.domain.document import SECRET_LEVELS, DocumentDraft
from lienthong.edxml import (
    BusinessDocType,
    Bussiness,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organ,
    PromulgationInfo,
    SignerInfo,
    TraceHeader,
    TraceHeaderList,
)
from lienthong.platform import clock
from lienthong.platform.errors import FieldError

MODEL_PATHS = {
    "sender_code": "header.from.organ_id", "recipient_codes": "header.to", "code_number": "header.code.code_number",
    "code_notation": "header.code.code_notation", "subject": "header.subject",
    "document_type": "header.document_type.type_name", "promulgation_date": "header.promulgation_info.promulgation_date",
    "signer_name": "header.signer_info.full_name", "confidentiality": "header.other_info.extensions",
}
EDXML_PATHS = {
    "sender_code": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From/OrganId",
    "recipient_codes": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To",
    "code_number": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Code/CodeNumber",
    "code_notation": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Code/CodeNotation",
    "subject": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Subject",
    "document_type": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/DocumentType/TypeName",
    "promulgation_date": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate",
    "signer_name": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/SignerInfo/FullName",
    "confidentiality": "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/OtherInfo",
}
_SECRET_ELEMENT = re.compile(r"<(?:[\w.-]+:)?(SecurityLevel|Confidentiality|DoMat)\b[^>]*>([^<]*)<", re.IGNORECASE)
_SECRET_PREFIX = re.compile(r"^\s*(tuyệt mật|tối mật|mật)\b", re.IGNORECASE)


def flat_metadata(package: DocumentPackage) -> dict:
    """The package's Art. 10 fields in the flat shape ``validate_draft`` checks."""
    head = package.header
    return {
        "sender_code": head.from_.organ_id,
        "recipient_codes": [organ.organ_id for organ in head.to],
        "code_number": head.code.code_number, "code_notation": head.code.code_notation,
        "subject": head.subject, "document_type": head.document_type.type_name,
        "promulgation_date": head.promulgation_info.promulgation_date.isoformat(),
        "signer_name": head.signer_info.full_name, "confidentiality": secret_mark(package),
    }


def secret_mark(package: DocumentPackage) -> str:
    """The secrecy level a package declares ('' when none): a vendor element or a subject prefix."""
    head = package.header
    for fragment in head.extensions + head.other_info.extensions:
        for match in _SECRET_ELEMENT.finditer(fragment):
            level = match.group(2).strip()
            if level.lower() in SECRET_LEVELS:
                return level
    prefix = _SECRET_PREFIX.match(head.subject)
    return prefix.group(1) if prefix else ""


def relabel(errors: list[FieldError], paths: dict[str, str]) -> list[FieldError]:
    """Rewrite flat field paths (``recipient_codes[1]``) into the door's paths."""
    out = []
    for error in errors:
        name, bracket, rest = error.path.partition("[")
        base = paths.get(name)
        if base is None:
            out.append(error)
        elif bracket:
            index = rest.rstrip("]")
            out.append(FieldError(f"{base}[{index}]" + ("/OrganId" if base.startswith("/") else ".organ_id"),
                                  error.message))
        else:
            out.append(FieldError(base, error.message))
    return out


def package_from_draft(draft: DocumentDraft, names: dict[str, str]) -> DocumentPackage:
    """The edXML package of a document submitted with the flat metadata (organ names from the registry)."""
    head = MessageHeader(
        **{"from": Organ(organ_id=draft.sender_code, organ_name=names.get(draft.sender_code, draft.sender_code))},
        to=[Organ(organ_id=code, organ_name=names.get(code, code)) for code in draft.recipient_codes],
        code=Code(code_number=draft.code_number, code_notation=draft.code_notation),
        promulgation_info=PromulgationInfo(promulgation_date=draft.promulgation_date),
        document_type=DocumentType(type_name=draft.document_type), subject=draft.subject,
        signer_info=SignerInfo(full_name=draft.signer_name))
    head = head.model_copy(update={"document_id": head.expected_document_id()})
    return DocumentPackage(header=head, trace_header_list=TraceHeaderList(
        trace_headers=[TraceHeader(organ_id=draft.sender_code, timestamp=clock.now().replace(microsecond=0))],
        bussiness=Bussiness()))


def referenced_document_ids(package: DocumentPackage) -> list[tuple[str, str]]:
    """(path, edXML DocumentId) of the documents a revoke/update/replace refers to."""
    business = package.business
    kind = business.bussiness_doc_type
    if kind == BusinessDocType.REVOKE:
        return [("header.document_id", package.header.document_id)]
    if kind == BusinessDocType.UPDATE:
        target = business.document_id or package.header.document_id
        return [("trace_header_list.bussiness.document_id", target)]
    if kind == BusinessDocType.REPLACE:
        return [(f"trace_header_list.bussiness.replacement_info_list[{i}].document_id", item.document_id)
                for i, item in enumerate(business.replacement_info_list)]
    return []

