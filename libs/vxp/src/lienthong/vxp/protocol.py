"""The national axis' mailbox protocol as data: calls, parameters, replies and error codes.

Everything here is taken from ``domain/national-axis.md`` §2 and §4 and checked against the
decompiled ``SDKVXP-2.0.1`` (``KnobstickServiceImp``, ``VnptService``, ``HttpConnection``,
``MultipartUtility``). Nothing here does I/O: the server facade and :class:`lienthong.vxp.client.VxpClient`
both read these tables.

A call is ``<endpoint>/<operation>``; its parameters travel as HTTP headers
``XroadVnpt-<name>`` signed with HMAC-SHA256 (see :mod:`lienthong.vxp.auth`), and every reply is
the JSON envelope ``{"status": "OK"|"FAIL", "ErrorCode": "<code>", "ErrorDesc": "<text>", ...}``
with ``ErrorCode`` always a string (quirk Q7).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol

import grpc
from pydantic import BaseModel, ConfigDict, Field

from lienthong.platform.clock import VN_TZ, to_vn
from lienthong.platform.errors import DomainError

HEADER_PREFIX = "XroadVnpt-"
"""Prefix of every protocol header (quirk Q1: the SDK sends only prefixed names)."""
SIGN_HEADER_KEY = "sign-header-key"
"""Header naming the signed headers, joined by ``;`` (informative only: the JSON is authoritative)."""
SIGN_HEADER = "sign-header"
"""Header carrying the signed-header JSON, verbatim."""
HASH_HEADER = "hash-header"
"""Header carrying the lowercase hex HMAC-SHA256 of the signed-header JSON."""
VERSION_HEADER = "version"
SDK_VERSION = "3.0.201608"
"""``XroadVnpt-version`` sent by SDKVXP (not signed)."""
SDK_USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
"""``User-Agent`` sent by SDKVXP (not signed)."""
SERVICE_TYPE_EDOC = "eDoc"
"""The only ``servicetype`` seen in practice."""
SDK_TIMESTAMP_FORMAT = "ddMMyyyy'T'HHmmss+SSSS"
"""Java ``SimpleDateFormat`` pattern of the SDK's ``timestamp`` (``+SSSS`` is milliseconds, no zone)."""
SDK_LIST_DATE_FORMAT = "%d/%m/%Y %H:%M:%S"
"""``fromDate``/``toDate`` of the list calls (C# SDK; ``dd/MM/yyyy HH:mm:ss``)."""


class MessageType(StrEnum):
    """``messagetype``: the two mailboxes of a system."""

    EDOC = "edoc"
    STATUS = "status"


class AckStatus(StrEnum):
    """``status`` of ``updateStatus``: what the receiving system did with a package."""

    DONE = "done"
    """Stored: the package leaves the list."""
    FAIL = "fail"
    """Could not parse or store it: it stays pending and the attempt is counted."""
    PROCESSING = "processing"
    """Lease it: hidden from lists for a while, then listed again (LienThong's reading; UNSURE)."""


class ReplyStatus(StrEnum):
    """``status`` of the reply envelope."""

    OK = "OK"
    FAIL = "FAIL"


class HashStyle(StrEnum):
    """How ``hash-file`` spells the SHA-256 of the package (quirk Q5)."""

    PADDED = "padded"
    """64 lowercase hex digits (``%02x`` per byte)."""
    UNPADDED = "unpadded"
    """``Integer.toHexString(b & 0xFF)`` per byte, as SDKVXP does: ``0x0a`` becomes ``a``."""


def hash_file_hex(digest: bytes, style: HashStyle = HashStyle.UNPADDED) -> str:
    """Spell a SHA-256 digest the way ``hash-file`` carries it."""
    if style is HashStyle.PADDED:
        return digest.hex()
    return "".join(format(byte, "x") for byte in digest)


# --------------------------------------------------------------------------------------------------
# Error codes and the typed errors that carry them
# --------------------------------------------------------------------------------------------------


class ErrorCode(StrEnum):
    """``ErrorCode`` of the reply envelope, always a string.

    ``0``–``8`` and ``99`` are the table of ``domain/national-axis.md`` §4 (LienThong's design:
    no official table exists). ``9``–``15`` are LienThong-specific splits of those codes so that
    every refusal reason has its own code; ``100`` is what SDKVXP itself reports for a failed
    ``downloadEdoc`` (client side only, never sent by a server).
    """

    OK = "0"
    MALFORMED_REQUEST = "1"
    """A header is missing or unreadable, an unknown call, a bad ``messagetype``/``status``/date."""
    AUTHENTICATION_FAILED = "2"
    """The HMAC does not verify with any active secret of the system (wrong secret, tampered JSON)."""
    AGENCY_NOT_HELD = "3"
    """``from`` (or a status' ``From/OrganId``) is not an agency this system may act for."""
    UNKNOWN_DOC_ID = "4"
    """No package has this ``docId``."""
    INVALID_PACKAGE = "5"
    """The edXML package is malformed or fails validation; ``ErrorDesc`` lists the fields."""
    HASH_FILE_MISMATCH = "6"
    """The body's SHA-256 matches neither spelling of ``hash-file`` (with or without a trailing CRLF)."""
    PACKAGE_TOO_LARGE = "7"
    """The package exceeds the size limit, or carries a disallowed attachment."""
    UNKNOWN_RECIPIENT = "8"
    """None of the recipients (``to`` header or the package's ``To``) is routable."""
    UNKNOWN_SYSTEM = "9"
    """LienThong: ``systemid`` is not registered, or the system is disabled."""
    SIGNED_HEADER_MISMATCH = "10"
    """LienThong: a header differs from its signed value, a signed header was not sent, the JSON
    does not cover ``systemid``, or a parameter was sent without being signed."""
    STALE_TIMESTAMP = "11"
    """LienThong: ``timestamp`` is outside the configured freshness window (off by default)."""
    DOC_NOT_IN_MAILBOX = "12"
    """LienThong: the ``docId`` exists but is not in this system's mailbox."""
    STATUS_FOR_UNRECEIVED_DOCUMENT = "13"
    """LienThong: a status package about a document this system's agencies never received."""
    HOSTILE_PACKAGE = "14"
    """LienThong: the XML carries a DTD, entity declarations or other parser attacks."""
    OPERATION_NOT_PERMITTED = "15"
    """LienThong: this system may not use this call (e.g. directory changes by an agency system)."""
    INTERNAL_ERROR = "99"
    """The axis failed; retry later. Nothing was changed."""
    DOWNLOAD_FAILED = "100"
    """SDKVXP's own code for a ``downloadEdoc`` that returned nothing (client side only)."""


class VxpError(DomainError):
    """A refusal of the mailbox protocol: its :class:`ErrorCode` and ``ErrorDesc``.

    Subclasses of :class:`~lienthong.platform.errors.DomainError`, so an error that escapes into
    the platform's HTTP or gRPC layers still maps to a sensible status; the facade renders it as
    the FAIL envelope with :func:`fail_reply`.
    """

    error_code: ClassVar[ErrorCode] = ErrorCode.INTERNAL_ERROR
    code, title = "vxp-error", "Mailbox protocol error"
    http_status, grpc_status = 400, grpc.StatusCode.UNKNOWN

    @property
    def error_desc(self) -> str:
        """The ``ErrorDesc`` of the FAIL envelope."""
        return self.detail

    @staticmethod
    def from_reply(error_code: str, error_desc: str) -> VxpError:
        """The typed error for a FAIL envelope received from a server (unknown codes: :class:`VxpError`)."""
        cls = _ERROR_BY_CODE.get(error_code)
        if cls is None:
            error = VxpError(error_desc or f"ErrorCode {error_code}")
            error.extra["error_code"] = error_code
            return error
        return cls(error_desc or cls.title)

    @property
    def reply_code(self) -> str:
        """The ``ErrorCode`` string, also for codes this library does not know."""
        return str(self.extra.get("error_code", self.error_code.value))


class MalformedRequest(VxpError):
    """ErrorCode 1: a header is missing or unreadable, or the call is unknown."""

    error_code = ErrorCode.MALFORMED_REQUEST
    code, title = "vxp-malformed-request", "Malformed request"
    http_status, grpc_status = 400, grpc.StatusCode.INVALID_ARGUMENT


class AuthenticationFailed(VxpError):
    """ErrorCode 2: the HMAC does not verify (wrong secret, tampered signed JSON)."""

    error_code = ErrorCode.AUTHENTICATION_FAILED
    code, title = "vxp-authentication-failed", "Authentication failed"
    http_status, grpc_status = 401, grpc.StatusCode.UNAUTHENTICATED


class AgencyNotHeld(VxpError):
    """ErrorCode 3: the system may not act for this agency."""

    error_code = ErrorCode.AGENCY_NOT_HELD
    code, title = "vxp-agency-not-held", "Agency not held by this system"
    http_status, grpc_status = 403, grpc.StatusCode.PERMISSION_DENIED


class UnknownDocId(VxpError):
    """ErrorCode 4: no package has this docId."""

    error_code = ErrorCode.UNKNOWN_DOC_ID
    code, title = "vxp-unknown-doc-id", "Unknown docId"
    http_status, grpc_status = 404, grpc.StatusCode.NOT_FOUND


class InvalidPackage(VxpError):
    """ErrorCode 5: the edXML package is malformed or fails validation."""

    error_code = ErrorCode.INVALID_PACKAGE
    code, title = "vxp-invalid-package", "Invalid package"
    http_status, grpc_status = 422, grpc.StatusCode.INVALID_ARGUMENT


class HashFileMismatch(VxpError):
    """ErrorCode 6: the body does not match hash-file."""

    error_code = ErrorCode.HASH_FILE_MISMATCH
    code, title = "vxp-hash-file-mismatch", "hash-file mismatch"
    http_status, grpc_status = 422, grpc.StatusCode.INVALID_ARGUMENT


class PackageTooLarge(VxpError):
    """ErrorCode 7: the package is too large or carries a disallowed attachment."""

    error_code = ErrorCode.PACKAGE_TOO_LARGE
    code, title = "vxp-package-too-large", "Package too large"
    http_status, grpc_status = 413, grpc.StatusCode.RESOURCE_EXHAUSTED


class UnknownRecipient(VxpError):
    """ErrorCode 8: no recipient of the package is routable."""

    error_code = ErrorCode.UNKNOWN_RECIPIENT
    code, title = "vxp-unknown-recipient", "Unknown recipient"
    http_status, grpc_status = 422, grpc.StatusCode.INVALID_ARGUMENT


class UnknownSystem(VxpError):
    """ErrorCode 9: systemid is unknown or disabled (LienThong)."""

    error_code = ErrorCode.UNKNOWN_SYSTEM
    code, title = "vxp-unknown-system", "Unknown or disabled system"
    http_status, grpc_status = 401, grpc.StatusCode.UNAUTHENTICATED


class SignedHeaderMismatch(VxpError):
    """ErrorCode 10: the headers sent differ from the signed ones (LienThong)."""

    error_code = ErrorCode.SIGNED_HEADER_MISMATCH
    code, title = "vxp-signed-header-mismatch", "Headers differ from the signed headers"
    http_status, grpc_status = 401, grpc.StatusCode.UNAUTHENTICATED


class StaleTimestamp(VxpError):
    """ErrorCode 11: the signed timestamp is outside the freshness window (LienThong)."""

    error_code = ErrorCode.STALE_TIMESTAMP
    code, title = "vxp-stale-timestamp", "Stale timestamp"
    http_status, grpc_status = 401, grpc.StatusCode.UNAUTHENTICATED


class DocNotInMailbox(VxpError):
    """ErrorCode 12: the docId is in another system's mailbox (LienThong)."""

    error_code = ErrorCode.DOC_NOT_IN_MAILBOX
    code, title = "vxp-doc-not-in-mailbox", "docId not in this mailbox"
    http_status, grpc_status = 403, grpc.StatusCode.PERMISSION_DENIED


class StatusForUnreceivedDocument(VxpError):
    """ErrorCode 13: a status about a document the emitter never received (LienThong)."""

    error_code = ErrorCode.STATUS_FOR_UNRECEIVED_DOCUMENT
    code, title = "vxp-status-for-unreceived-document", "Status for a document never received"
    http_status, grpc_status = 422, grpc.StatusCode.FAILED_PRECONDITION


class HostilePackage(VxpError):
    """ErrorCode 14: the XML carries a DTD or entities (LienThong)."""

    error_code = ErrorCode.HOSTILE_PACKAGE
    code, title = "vxp-hostile-package", "Hostile XML"
    http_status, grpc_status = 422, grpc.StatusCode.INVALID_ARGUMENT


class OperationNotPermitted(VxpError):
    """ErrorCode 15: the system may not use this call (LienThong)."""

    error_code = ErrorCode.OPERATION_NOT_PERMITTED
    code, title = "vxp-operation-not-permitted", "Call not permitted"
    http_status, grpc_status = 403, grpc.StatusCode.PERMISSION_DENIED


class InternalError(VxpError):
    """ErrorCode 99: the axis failed; retry later."""

    error_code = ErrorCode.INTERNAL_ERROR
    code, title = "vxp-internal-error", "Internal error"
    http_status, grpc_status = 503, grpc.StatusCode.UNAVAILABLE


class DownloadFailed(VxpError):
    """ErrorCode 100: downloadEdoc returned nothing (SDKVXP's own code, client side)."""

    error_code = ErrorCode.DOWNLOAD_FAILED
    code, title = "vxp-download-failed", "Download failed"
    http_status, grpc_status = 502, grpc.StatusCode.UNAVAILABLE


_ERROR_BY_CODE: dict[str, type[VxpError]] = {
    cls.error_code.value: cls
    for cls in (MalformedRequest, AuthenticationFailed, AgencyNotHeld, UnknownDocId, InvalidPackage,
                HashFileMismatch, PackageTooLarge, UnknownRecipient, UnknownSystem, SignedHeaderMismatch,
                StaleTimestamp, DocNotInMailbox, StatusForUnreceivedDocument, HostilePackage,
                OperationNotPermitted, InternalError, DownloadFailed)
}


# --------------------------------------------------------------------------------------------------
# The calls
# --------------------------------------------------------------------------------------------------


class Body(StrEnum):
    """What a request carries in its body."""

    NONE = "none"
    """Nothing the server reads (SDKVXP sends ``{}`` or an empty form; ignore it)."""
    EDXML = "edxml"
    """The .edxml package, possibly followed by one CRLF (quirk Q4)."""
    JSON = "json"
    """A JSON object."""


class Reply(StrEnum):
    """What an OK reply carries besides ``status``, ``ErrorCode`` and ``ErrorDesc``."""

    RESULT = "result"
    """Nothing else."""
    DOC_ID = "DocId"
    """``DocId``: the id assigned to the transmission."""
    LIST = "data-list"
    """``data``: a JSON array of objects."""
    BASE64 = "data-base64"
    """``data``: base64 of the whole .edxml (UTF-8)."""
    COUNT = "count"
    """``count``: an integer."""
    RAW = "raw"
    """The raw file (not an envelope); an empty body means failure. Errors are FAIL envelopes."""


@dataclass(frozen=True)
class HeaderParam:
    """A per-call header (sent as ``XroadVnpt-<name>``, signed; names are case-insensitive)."""

    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    """One call of the mailbox protocol."""

    name: str
    sdk_method: str
    """The HTTP method SDKVXP 2.0.1 actually sends (the client uses it)."""
    accepted_methods: frozenset[str]
    """Methods a tolerant server accepts (documented method and the SDK's real one)."""
    content_type: str
    """The signed ``Content-Type`` the SDK puts in its header map for this call."""
    params: tuple[HeaderParam, ...]
    body: Body
    reply: Reply
    reply_fields: tuple[str, ...]
    """Wire names of the fields of each ``data`` item (LIST) or of the extra key (DOC_ID/COUNT)."""
    summary: str
    sdk_body: bytes = b""
    """What SDKVXP sends as the body when the call has none (``{}`` for some calls)."""
    ignored_params: tuple[str, ...] = field(default=())
    """Headers the SDK sends that the server must ignore (e.g. ``filePath`` of ``getEdoc``)."""

    @property
    def path(self) -> str:
        """The path after the endpoint, e.g. ``/sendEdoc``."""
        return "/" + self.name

    def param(self, name: str) -> HeaderParam | None:
        """The per-call header of that name (case-insensitive), if the call has it."""
        lowered = name.lower()
        return next((p for p in self.params if p.name.lower() == lowered), None)


_MESSAGETYPE = HeaderParam("messagetype", False, "edoc | status: which mailbox (default edoc)")
_SERVICETYPE = HeaderParam("servicetype", False, "eDoc")
_JSON = "application/json"
_ANY = frozenset({"GET", "POST"})

_RECEIVED_FIELDS = ("docId", "serviceType", "messageType", "created_time", "updated_time", "from", "to",
                    "status", "status_desc")
_SENT_FIELDS = ("serviceType", "messageType", "senderDocId", "receiverDocId", "fromCode", "toCode",
                "notation", "title", "sentTime", "receivedTime", "sendStatus", "sendStatusDesc",
                "receiveStatus", "receiveStatusDesc")
_AGENCY_FIELDS = ("id", "code", "pid", "name", "mail")
_UNIT_FIELDS = ("id", "code", "pid", "name", "mail", "version", "centerCode", "deleted", "modifyDate",
                "isAgency")

SEND_EDOC = Operation(
    "sendEdoc", "POST", frozenset({"POST"}), "application/octet-stream",
    (HeaderParam("from", True, "agency code of the sender (or of the status' emitter)"),
     _SERVICETYPE,
     HeaderParam("messagetype", False, "edoc | status; when absent the package decides (quirk Q6)"),
     HeaderParam("to", False, "edoc only, optional: a JSON array as a string (quirk Q6: often absent)"),
     HeaderParam("hash-file", True, "SHA-256 of the file, hex padded or unpadded (quirk Q5)")),
    Body.EDXML, Reply.DOC_ID, ("DocId",), "Upload an edXML package (document or status).")
GET_RECEIVED_EDOC_LIST = Operation(
    "getReceivedEdocList", "POST", _ANY, _JSON,
    (_SERVICETYPE, _MESSAGETYPE,
     HeaderParam("fromDate", False, "dd/MM/yyyy HH:mm:ss (C# SDK; UNSURE)"),
     HeaderParam("toDate", False, "dd/MM/yyyy HH:mm:ss (C# SDK; UNSURE)")),
    Body.NONE, Reply.LIST, _RECEIVED_FIELDS, "List the pending packages of one mailbox.")
GET_EDOC = Operation(
    "getEdoc", "POST", _ANY, _JSON, (HeaderParam("docId", True, "the package to fetch"),),
    Body.NONE, Reply.BASE64, ("data",), "Fetch a package as base64; it stays pending.", b"{}",
    ignored_params=("filePath",))
DOWNLOAD_EDOC = Operation(
    "downloadEdoc", "GET", _ANY, _JSON, (HeaderParam("docId", True, "the package to fetch"),),
    Body.NONE, Reply.RAW, (), "Fetch a package as a raw stream (large packages).",
    ignored_params=("filePath",))
UPDATE_STATUS = Operation(
    "updateStatus", "POST", _ANY, _JSON,
    (HeaderParam("docId", True, "the package (some clients spell it docid)"),
     HeaderParam("status", True, "done | fail | processing")),
    Body.NONE, Reply.RESULT, (), "Acknowledge a package: done removes it, fail counts an attempt.", b"{}")
GET_SENT_EDOC_LIST = Operation(
    "getSentEdocList", "POST", _ANY, _JSON, (_SERVICETYPE, _MESSAGETYPE),
    Body.NONE, Reply.LIST, _SENT_FIELDS, "Per-recipient delivery tracking of the packages sent.")
COUNT_RECEIVE_EDOC = Operation(
    "countReceiveEdoc", "POST", _ANY, _JSON, (_SERVICETYPE, _MESSAGETYPE),
    Body.NONE, Reply.COUNT, ("count",), "Count pending documents.", b"{}")
COUNT_RECEIVE_STATUS = Operation(
    "countReceiveStatus", "POST", _ANY, _JSON, (_SERVICETYPE, _MESSAGETYPE),
    Body.NONE, Reply.COUNT, ("count",), "Count pending status packages.", b"{}")
GET_AGENCIES_LIST = Operation(
    "getAgenciesList", "POST", _ANY, _JSON, (), Body.NONE, Reply.LIST, _AGENCY_FIELDS,
    "The agency directory (pid = parent).")
GET_SYNCHRONIZE_UNIT = Operation(
    "getSynchronizeUnit", "POST", _ANY, _JSON, (), Body.NONE, Reply.LIST, _UNIT_FIELDS,
    "Incremental directory sync (centerCode/isAgency meanings UNSURE).")
REGISTER_AGENCY = Operation(
    "registerAgency", "POST", frozenset({"POST"}), _JSON, (), Body.JSON, Reply.RESULT, (),
    "Register an agency: JSON {code, pcode, name, mail} (id, pid also accepted).")
DELETE_AGENCY = Operation(
    "deleteAgency", "POST", _ANY, _JSON, (HeaderParam("AgencyCode", True, "the agency to delete"),),
    Body.NONE, Reply.RESULT, (), "Delete an agency from the directory.", b"{}")

OPERATIONS: tuple[Operation, ...] = (
    SEND_EDOC, GET_RECEIVED_EDOC_LIST, GET_EDOC, DOWNLOAD_EDOC, UPDATE_STATUS, GET_SENT_EDOC_LIST,
    COUNT_RECEIVE_EDOC, COUNT_RECEIVE_STATUS, GET_AGENCIES_LIST, GET_SYNCHRONIZE_UNIT, REGISTER_AGENCY,
    DELETE_AGENCY,
)
"""Every call of the protocol, in the order of ``domain/national-axis.md`` §2."""

_BY_NAME = {op.name.lower(): op for op in OPERATIONS}


def operation(name_or_path: str) -> Operation:
    """The call named ``sendEdoc`` or at path ``/sendEdoc`` (case-insensitive).

    Raises :class:`MalformedRequest` for an unknown call.
    """
    found = _BY_NAME.get(name_or_path.strip("/").lower())
    if found is None:
        raise MalformedRequest(f"unknown call {name_or_path!r}; known: "
                               + ", ".join(op.name for op in OPERATIONS))
    return found


# --------------------------------------------------------------------------------------------------
# Reply items
# --------------------------------------------------------------------------------------------------


class _WireModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    def wire(self) -> dict[str, Any]:
        """The item as the protocol spells it (wire names)."""
        return self.model_dump(by_alias=True)


class ReceivedEdoc(_WireModel):
    """An item of ``getReceivedEdocList``."""

    doc_id: str = Field(alias="docId")
    service_type: str = Field(SERVICE_TYPE_EDOC, alias="serviceType")
    message_type: str = Field(MessageType.EDOC.value, alias="messageType")
    created_time: str = ""
    updated_time: str = ""
    from_code: str = Field("", alias="from")
    to_code: str = Field("", alias="to")
    status: str = ""
    status_desc: str = ""


class SentEdoc(_WireModel):
    """An item of ``getSentEdocList``: one (sent package, recipient) pair."""

    service_type: str = Field(SERVICE_TYPE_EDOC, alias="serviceType")
    message_type: str = Field(MessageType.EDOC.value, alias="messageType")
    sender_doc_id: str = Field("", alias="senderDocId")
    receiver_doc_id: str = Field("", alias="receiverDocId")
    from_code: str = Field("", alias="fromCode")
    to_code: str = Field("", alias="toCode")
    notation: str = ""
    title: str = ""
    sent_time: str = Field("", alias="sentTime")
    received_time: str = Field("", alias="receivedTime")
    send_status: str = Field("", alias="sendStatus")
    send_status_desc: str = Field("", alias="sendStatusDesc")
    receive_status: str = Field("", alias="receiveStatus")
    receive_status_desc: str = Field("", alias="receiveStatusDesc")


class AgencyEntry(_WireModel):
    """An item of ``getAgenciesList`` (and the body of ``registerAgency``, where ``pcode`` is the parent)."""

    id: str | int | None = None
    code: str
    pid: str | int | None = None
    pcode: str | None = None
    name: str = ""
    mail: str = ""


class SynchronizeUnit(_WireModel):
    """An item of ``getSynchronizeUnit`` (field meanings partly UNSURE; unknown fields are dropped)."""

    id: str | int | None = None
    code: str = ""
    pid: str | int | None = None
    name: str = ""
    mail: str = ""
    version: str | int | None = None
    center_code: str | None = Field(None, alias="centerCode")
    deleted: bool | None = None
    modify_date: str | None = Field(None, alias="modifyDate")
    is_agency: bool | None = Field(None, alias="isAgency")


# --------------------------------------------------------------------------------------------------
# Replies (server side)
# --------------------------------------------------------------------------------------------------

SUCCESS_DESC = "Success"


def ok_reply(**fields: Any) -> dict[str, Any]:
    """An OK envelope with the call's extra fields (e.g. ``DocId=...``, ``data=[...]``, ``count=3``)."""
    return {"status": ReplyStatus.OK.value, "ErrorCode": ErrorCode.OK.value, "ErrorDesc": SUCCESS_DESC,
            **fields}


def fail_reply(error: VxpError, op: Operation | None = None, *,
               trace_id: str | None = None) -> dict[str, Any]:
    """The FAIL envelope of a refusal.

    With the call, the reply also carries that call's fields with empty values: SDKVXP reads
    ``DocId`` of a ``sendEdoc`` reply unconditionally and would turn a FAIL without it into a
    null result, hiding the error from the vendor's code.
    """
    desc = error.error_desc if not trace_id else f"{error.error_desc} (trace {trace_id})"
    reply: dict[str, Any] = {"status": ReplyStatus.FAIL.value, "ErrorCode": error.reply_code,
                             "ErrorDesc": desc}
    if op is not None:
        reply.update(_empty_fields(op))
    return reply


def _empty_fields(op: Operation) -> dict[str, Any]:
    if op.reply is Reply.DOC_ID:
        return {"DocId": ""}
    if op.reply is Reply.LIST:
        return {"data": []}
    if op.reply is Reply.COUNT:
        return {"count": 0}
    if op.reply is Reply.BASE64:
        return {"data": ""}
    return {}


def send_edoc_reply(doc_id: str) -> dict[str, Any]:
    """OK reply of ``sendEdoc``."""
    return ok_reply(DocId=doc_id)


def list_reply(items: list[_WireModel] | list[dict[str, Any]]) -> dict[str, Any]:
    """OK reply of a list call (items as models or already as wire dicts)."""
    return ok_reply(data=[item.wire() if isinstance(item, _WireModel) else item for item in items])


def edoc_reply(package: bytes) -> dict[str, Any]:
    """OK reply of ``getEdoc``: base64 of the stored bytes."""
    return ok_reply(data=base64.b64encode(package).decode("ascii"))


def count_reply(count: int) -> dict[str, Any]:
    """OK reply of ``countReceiveEdoc``/``countReceiveStatus``."""
    return ok_reply(count=count)


# --------------------------------------------------------------------------------------------------
# Reading a call's parameters (server side)
# --------------------------------------------------------------------------------------------------


class ParamSource(Protocol):
    """Where signed parameters come from (:class:`lienthong.vxp.auth.AuthenticatedRequest`)."""

    def param(self, name: str) -> str | None:
        """The signed value of a per-call header, ``None`` when not sent."""


def _required(source: ParamSource, name: str) -> str:
    value = source.param(name)
    if value is None or not value.strip():
        raise MalformedRequest(f"missing header {HEADER_PREFIX}{name}")
    return value.strip()


def parse_message_type(value: str | None,
                       default: MessageType | None = MessageType.EDOC) -> MessageType | None:
    """``messagetype`` (case-insensitive); ``default`` when absent, :class:`MalformedRequest` when unknown."""
    if value is None or not value.strip():
        return default
    try:
        return MessageType(value.strip().lower())
    except ValueError:
        raise MalformedRequest(f"messagetype must be edoc or status, not {value!r}") from None


def parse_ack_status(value: str | None) -> AckStatus:
    """``status`` of ``updateStatus`` (case-insensitive)."""
    if value is None or not value.strip():
        raise MalformedRequest(f"missing header {HEADER_PREFIX}status (done, fail or processing)")
    try:
        return AckStatus(value.strip().lower())
    except ValueError:
        raise MalformedRequest(f"status must be done, fail or processing, not {value!r}") from None


_TO_KEYS = ("OrganId", "organId", "organid", "code", "Code", "id")


def parse_to_header(value: str | None) -> tuple[str, ...] | None:
    """The ``to`` header: a JSON array as a string (element shape UNSURE), or a plain list.

    Accepts ``["A","B"]``, ``[{"OrganId": "A"}, ...]`` (also ``code``/``id`` keys), a single
    JSON string, and ``A,B`` / ``A;B``. ``None`` when absent or empty (quirk Q6: route by the package).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    codes: list[str] = []
    if text[0] in "[{\"":
        try:
            parsed = json.loads(text)
        except ValueError:
            raise MalformedRequest(f"to is not a JSON array: {value!r}") from None
        items = parsed if isinstance(parsed, list) else [parsed]
        for item in items:
            if isinstance(item, str):
                codes.append(item)
            elif isinstance(item, dict):
                code = next((item[k] for k in _TO_KEYS if isinstance(item.get(k), str)), None)
                if code is None:
                    raise MalformedRequest(f"to: an element has no agency code: {item!r}")
                codes.append(code)
            else:
                raise MalformedRequest(f"to: unexpected element {item!r}")
    else:
        codes = re.split(r"[,;]", text)
    cleaned = tuple(dict.fromkeys(c.strip() for c in codes if c.strip()))
    return cleaned or None


def parse_list_date(value: str | None) -> datetime | None:
    """``fromDate``/``toDate`` (``dd/MM/yyyy HH:mm:ss``, Vietnam time; ISO 8601 also accepted)."""
    if value is None or not value.strip():
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        raise MalformedRequest(f"date must be dd/MM/yyyy HH:mm:ss, not {value!r}") from None


@dataclass(frozen=True)
class SendEdocParams:
    """The signed parameters of ``sendEdoc``."""

    from_code: str
    service_type: str
    message_type: MessageType | None
    """``None`` when the header is absent: decide from the package (quirk Q6)."""
    to: tuple[str, ...] | None
    """``None`` when absent (statuses never carry it; Bkav omits it for documents)."""
    hash_file: str


@dataclass(frozen=True)
class ListParams:
    """The signed parameters of ``getReceivedEdocList``, ``getSentEdocList`` and the counts."""

    message_type: MessageType
    service_type: str
    from_date: datetime | None = None
    to_date: datetime | None = None


@dataclass(frozen=True)
class UpdateStatusParams:
    """The signed parameters of ``updateStatus``."""

    doc_id: str
    status: AckStatus


def read_send_edoc(source: ParamSource) -> SendEdocParams:
    """Read ``sendEdoc``'s parameters; ``to`` is ignored for status packages."""
    message_type = parse_message_type(source.param("messagetype"), default=None)
    to = parse_to_header(source.param("to")) if message_type is not MessageType.STATUS else None
    return SendEdocParams(
        from_code=_required(source, "from"),
        service_type=(source.param("servicetype") or SERVICE_TYPE_EDOC).strip(),
        message_type=message_type, to=to, hash_file=_required(source, "hash-file"))


def read_list(source: ParamSource, default: MessageType = MessageType.EDOC) -> ListParams:
    """Read a list or count call's parameters (``messagetype`` defaults to ``default``)."""
    return ListParams(
        message_type=parse_message_type(source.param("messagetype"), default) or default,
        service_type=(source.param("servicetype") or SERVICE_TYPE_EDOC).strip(),
        from_date=parse_list_date(source.param("fromDate")), to_date=parse_list_date(source.param("toDate")))


def read_doc_id(source: ParamSource) -> str:
    """``docId`` (header names are case-insensitive, so ``docid`` works too)."""
    return _required(source, "docId")


def read_update_status(source: ParamSource) -> UpdateStatusParams:
    """Read ``updateStatus``'s parameters."""
    return UpdateStatusParams(doc_id=read_doc_id(source), status=parse_ack_status(source.param("status")))


def read_agency_code(source: ParamSource, body: Mapping[str, Any] | None = None) -> str:
    """``AgencyCode`` of ``deleteAgency``: the header, or a JSON key of the same name."""
    value = source.param("AgencyCode")
    if (value is None or not value.strip()) and body is not None:
        found = next((v for k, v in body.items() if k.lower() == "agencycode" and isinstance(v, str)), None)
        value = found
    if value is None or not value.strip():
        raise MalformedRequest(f"missing header {HEADER_PREFIX}AgencyCode")
    return value.strip()


def read_register_agency(body: bytes) -> AgencyEntry:
    """The JSON body of ``registerAgency``."""
    try:
        parsed = json.loads(body)
        return AgencyEntry.model_validate(parsed)
    except ValueError as exc:  # json.JSONDecodeError and pydantic.ValidationError are ValueErrors
        raise MalformedRequest(
            f"registerAgency body must be JSON {{code, pcode, name, mail}}: {exc}") from None


# --------------------------------------------------------------------------------------------------
# Timestamps
# --------------------------------------------------------------------------------------------------

_SDK_TS = re.compile(r"^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+(\d{1,4})$")
_NAIVE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y%m%d%H%M%S", "%d-%m-%Y %H:%M:%S")


def format_sdk_timestamp(moment: datetime) -> str:
    """``moment`` in the SDK's ``ddMMyyyy'T'HHmmss+SSSS`` (Vietnam wall clock, milliseconds in 4 digits)."""
    local = to_vn(moment)
    return local.strftime("%d%m%YT%H%M%S") + f"+{local.microsecond // 1000:04d}"


def parse_timestamp(text: str) -> datetime:
    """Read a ``timestamp`` as clients send it, in +07:00 (``ValueError`` when unreadable).

    Accepts the SDK's ``ddMMyyyy'T'HHmmss+SSSS`` (wall clock, assumed Vietnam time), ISO 8601
    (with or without offset), Unix epoch seconds or milliseconds, ``dd/MM/yyyy HH:mm:ss``,
    ``yyyy/MM/dd HH:mm:ss`` and ``yyyyMMddHHmmss``.
    """
    value = text.strip()
    match = _SDK_TS.match(value)
    if match:
        day, month, year, hour, minute, second, millis = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, second, millis * 1000, tzinfo=VN_TZ)
    if value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, VN_TZ)
    for fmt in _NAIVE_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    moment = datetime.fromisoformat(value)
    return to_vn(moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ))
