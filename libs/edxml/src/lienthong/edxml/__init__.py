"""edXML (QCVN 102:2016/BTTTT) codec: the typed model, a secure streaming parser and an SDK-compatible writer.

Used by the documents service (packages in and out), routing (status packages) and the
national-axis mailbox. See ``libs/edxml/README.md`` and ``/work/shared/domain/edxml.md``.

Supported elements (local names; parsed namespace-aware with a fallback by local name, in
any order; emitted with the ``edXML:`` prefix in the SDK's order):

* root ``edXML`` (namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``), ``edXMLEnvelope``,
  ``edXMLHeader``, ``edXMLBody``, ``edXMLManifest@version``;
* ``MessageHeader`` of a document: ``From`` and ``To`` (organ block: ``OrganId``, ``OrganName``,
  ``OrganizationInCharge``, ``OrganAdd``, ``Email``, ``Telephone``, ``Fax``, ``Website``),
  ``Code/CodeNumber``, ``Code/CodeNotation``, ``PromulgationInfo/Place``,
  ``PromulgationInfo/PromulgationDate``, ``DocumentType/Type``, ``DocumentType/TypeDetail``,
  ``DocumentType/TypeName``, ``Subject``, ``Content``, ``SignerInfo/Competence``,
  ``SignerInfo/Position``, ``SignerInfo/FullName``, ``DueDate``, ``ToPlaces/Place``,
  ``OtherInfo/Priority``, ``OtherInfo/SphereOfPromulgation``, ``OtherInfo/TyperNotation``,
  ``OtherInfo/PromulgationAmount``, ``OtherInfo/PageAmount``, ``OtherInfo/Appendixes/Appendix``,
  ``ResponseFor`` (``OrganId``, ``Code``, ``PromulgationDate``, ``DocumentId``), ``SteeringType``,
  ``DocumentId``; unknown vendor elements under ``MessageHeader`` and ``OtherInfo`` are kept verbatim;
* ``TraceHeaderList`` (attributes kept) with ``TraceHeader/OrganId``, ``TraceHeader/Timestamp`` and
  ``Bussiness``: ``BussinessDocType`` (0 new, 1 revoke, 2 update, 3 replace), ``BussinessDocReason``,
  ``Paper``, ``StaffInfo`` (``Department``, ``Staff``, ``Mobile``, ``Email``), ``DocumentId``,
  ``BussinessDocumentInfo`` (``DocumentInfo``, ``DocumentReceiver``,
  ``ReceiverList/Receiver/{OrganId,ReceiverType}``), ``ReplacementInfoList/ReplacementInfo``
  (``DocumentId``, ``OrganIdList/OrganId``);
* ``Signature`` / ``DigitalSignature`` in ``edXMLHeader``: kept verbatim, never trusted;
* ``edXMLManifest/Reference`` (``@xlink:href``, ``@xlink:type``, ``Description``, ``AttachmentName``,
  ``ContentType``, ``ContentId``) matched with ``AttachmentEncoded/Attachment`` (``ContentId`` with or
  without ``cid:``, ``AttachmentName``, ``Description``, ``ContentType``, ``ContentTransferEncoded``
  or the gateway variant ``AttachmentData``);
* status packages (``MessageHeader`` or ``Status`` wrapper): ``From``, ``ResponseFor``, ``StaffInfo``,
  ``StatusCode`` (``1``..``6`` read as ``01``..``06``), ``Description``, ``Timestamp``.
"""

from lienthong.edxml.model import (
    EDXML_NS,
    STATUS_CODES,
    STATUS_MEANINGS,
    Attachment,
    BusinessDocType,
    Bussiness,
    BussinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organ,
    OtherInfo,
    Package,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    TraceHeaderList,
    document_id_of,
)
from lienthong.edxml.reader import (
    AttachmentSink,
    AttachmentWriter,
    Limits,
    MemorySink,
    ParseResult,
    parse,
    parse_wire_date,
    parse_wire_timestamp,
)
from lienthong.edxml.writer import AttachmentSource, build, wire_date, wire_timestamp, write

__all__ = [
    "EDXML_NS", "STATUS_CODES", "STATUS_MEANINGS", "Attachment", "AttachmentSink", "AttachmentSource",
    "AttachmentWriter", "BusinessDocType", "Bussiness", "BussinessDocumentInfo", "Code", "DocumentPackage",
    "DocumentType", "Limits", "MemorySink", "MessageHeader", "Organ", "OtherInfo", "Package", "ParseResult",
    "PromulgationInfo", "Receiver", "ReplacementInfo", "ResponseFor", "SignerInfo", "StaffInfo", "StatusPackage",
    "TraceHeader", "TraceHeaderList", "build", "document_id_of", "parse", "parse_wire_date",
    "parse_wire_timestamp", "wire_date", "wire_timestamp", "write",
]
