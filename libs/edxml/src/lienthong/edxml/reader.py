"""Secure, streaming edXML parser.

The bytes go through an lxml feed parser with a *target* (SAX-style): no tree of the
whole file is ever built. Header elements become a small bounded tree; the base64 of
each ``ContentTransferEncoded`` is decoded incrementally, hashed (SHA-256) and pushed
into an :class:`AttachmentSink` as it arrives, so a 200 MB attachment never sits in
memory.

Defences: DTDs (hence entity declarations, billion laughs, quadratic blowup and
external entities) are refused as soon as the parser meets a ``<!DOCTYPE``; no
network, no entity resolution; limits on input size, depth, element count, header
size, the length of one header field, attachment count and decoded sizes. Every
refusal is an :class:`~lienthong.platform.errors.InvalidInput` or
:class:`~lienthong.platform.errors.PayloadTooLarge` naming the element path.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO, Protocol

from lxml import etree
from pydantic import ValidationError

from lienthong.edxml.model import (
    EDXML_NS,
    LEGACY_NAMESPACES,
    Attachment,
    Bussiness,
    BussinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organ,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    TraceHeaderList,
)
from lienthong.platform.clock import VN_TZ
from lienthong.platform.errors import FieldError, InvalidInput, PayloadTooLarge

READ_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """What a package may not exceed. Sizes in bytes (decoded for attachments)."""

    max_input_bytes: int = 300 * 1024 * 1024
    max_depth: int = 24
    max_elements: int = 20_000
    max_header_bytes: int = 2 * 1024 * 1024
    max_field_chars: int = 8_000
    max_attachments: int = 50
    max_attachment_bytes: int = 100 * 1024 * 1024
    max_package_bytes: int = 200 * 1024 * 1024
    accept_legacy_namespaces: bool = False


class AttachmentWriter(Protocol):
    """Receives one attachment's decoded bytes."""

    def write(self, data: bytes) -> None: ...

    def commit(self) -> str:
        """All bytes written: return a reference to where they are kept."""

    def abort(self) -> None:
        """Forget the bytes (the package was refused)."""


AttachmentSink = Callable[[], AttachmentWriter]
"""Opens a writer for the next attachment."""


class MemorySink:
    """Keeps attachments in memory (small packages, tests): ``sink.contents[ref]``."""

    def __init__(self) -> None:
        self.contents: dict[str, bytes] = {}

    def __call__(self) -> AttachmentWriter:
        return _MemoryWriter(self)


class _MemoryWriter:
    def __init__(self, sink: MemorySink):
        self._sink = sink
        self._buffer = io.BytesIO()

    def write(self, data: bytes) -> None:
        self._buffer.write(data)

    def commit(self) -> str:
        ref = f"mem:{len(self._sink.contents)}"
        self._sink.contents[ref] = self._buffer.getvalue()
        return ref

    def abort(self) -> None:
        self._buffer = io.BytesIO()


@dataclass
class ParseResult:
    """A parsed package, plus the warnings edxml.md §9 says to store and forward."""

    package: DocumentPackage | StatusPackage
    warnings: list[FieldError] = field(default_factory=list)
    input_sha256: str = ""
    input_size: int = 0


class _Node:
    __slots__ = ("attrib", "children", "local", "ns", "path", "text", "xml")

    def __init__(self, local: str, ns: str, attrib: dict[str, str], path: str):
        self.local = local
        self.ns = ns
        self.attrib = attrib
        self.path = path
        self.children: list[_Node] = []
        self.text: list[str] = []
        self.xml: bytes = b""

    def value(self) -> str:
        return "".join(self.text).strip()

    def child(self, local: str) -> _Node | None:
        return next((c for c in self.children if c.local == local), None)

    def all(self, local: str) -> list[_Node]:
        return [c for c in self.children if c.local == local]


_ATTACHMENT_DATA = ("ContentTransferEncoded", "AttachmentData")
_B64_WHITESPACE = b" \t\r\n"


class _Base64Stream:
    """Incremental base64 decoder that hashes and forwards what it decodes."""

    def __init__(self, writer: AttachmentWriter, path: str, limits: Limits, package_total: list[int]):
        self.writer = writer
        self.path = path
        self._limits = limits
        self._pending = b""
        self._ended = False
        self._total = package_total
        self.size = 0
        self.hasher = hashlib.sha256()

    def feed(self, text: str) -> None:
        try:
            raw = text.encode("ascii")
        except UnicodeEncodeError:
            raise InvalidInput("an attachment's base64 does not decode",
                               errors=[FieldError(self.path, "non-ASCII character in base64")]) from None
        data = self._pending + raw.translate(None, _B64_WHITESPACE)
        usable = len(data) - len(data) % 4
        self._pending = data[usable:]
        if usable:
            self._decode(data[:usable])

    def _decode(self, chunk: bytes) -> None:
        if self._ended:
            raise InvalidInput("an attachment's base64 does not decode",
                               errors=[FieldError(self.path, "data after the base64 padding")])
        try:
            decoded = base64.b64decode(chunk, validate=True)
        except binascii.Error as exc:
            raise InvalidInput("an attachment's base64 does not decode",
                               errors=[FieldError(self.path, f"invalid base64: {exc}")]) from None
        if chunk.endswith(b"="):
            self._ended = True
        self.size += len(decoded)
        self._total[0] += len(decoded)
        if self.size > self._limits.max_attachment_bytes:
            raise PayloadTooLarge(f"an attachment exceeds {self._limits.max_attachment_bytes} bytes",
                                  errors=[FieldError(self.path, "attachment too large")])
        if self._total[0] > self._limits.max_package_bytes:
            raise PayloadTooLarge(f"the attachments exceed {self._limits.max_package_bytes} bytes in total",
                                  errors=[FieldError(self.path, "package too large")])
        self.hasher.update(decoded)
        self.writer.write(decoded)

    def finish(self) -> None:
        if self._pending:
            raise InvalidInput("an attachment's base64 does not decode",
                               errors=[FieldError(self.path, "truncated base64 (length not a multiple of 4)")])


class _Target:
    """lxml parser target: builds the bounded header tree and streams attachment data."""

    def __init__(self, limits: Limits, sink: AttachmentSink):
        self._limits = limits
        self._sink = sink
        self._stack: list[_Node] = []
        self.root: _Node | None = None
        self._elements = 0
        self._header_bytes = 0
        self._stream: _Base64Stream | None = None
        self._stream_depth = 0
        self._package_total = [0]
        self.streams: dict[int, tuple[str, str, int]] = {}  # id(Attachment node) -> (ref, sha256, size)
        self.writers: list[AttachmentWriter] = []
        self._capture: list[Any] = []  # (depth, builder) for verbatim elements

    # lxml target protocol -------------------------------------------------------------
    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise InvalidInput("DTDs are not allowed in edXML (entity expansion and external entities are refused)",
                           errors=[FieldError("/", f"<!DOCTYPE {name}> found")])

    def start(self, tag: str, attrib: dict[str, str], nsmap: dict | None = None) -> None:
        ns, local = _split(tag)
        parent = self._stack[-1] if self._stack else None
        path = f"{parent.path}/{local}" if parent else f"/{local}"
        if not local or ":" in local:  # libxml2 reports a bad QName only at the end: refuse it now
            raise InvalidInput("the package is not namespace-well-formed XML",
                               errors=[FieldError(path, f"invalid element name {tag!r}")])
        self._elements += 1
        if len(self._stack) + 1 > self._limits.max_depth:
            raise InvalidInput(f"elements nested deeper than {self._limits.max_depth} levels",
                               errors=[FieldError(path, "too deep")])
        if self._elements > self._limits.max_elements:
            raise InvalidInput(f"more than {self._limits.max_elements} elements",
                               errors=[FieldError(path, "too many elements")])
        if self._stream is not None:
            raise InvalidInput("attachment data may not contain elements",
                               errors=[FieldError(path, "element inside base64 data")])
        self._count(len(tag) + sum(len(k) + len(v) for k, v in attrib.items()), path)
        node = _Node(local, ns, {_split(k)[1]: v for k, v in attrib.items()}, path)
        if self._capture:
            _checked(path, self._capture[-1][1].start, tag, attrib, nsmap or {})
        if parent is None:
            self.root = node
        else:
            parent.children.append(node)
        self._stack.append(node)
        if not self._capture and _kept_verbatim(local, parent):
            builder = etree.TreeBuilder()
            _checked(path, builder.start, tag, attrib, nsmap or {})
            self._capture.append((len(self._stack), builder, node))
        if local in _ATTACHMENT_DATA and parent is not None and parent.local == "Attachment":
            if len(self.writers) >= self._limits.max_attachments:
                raise PayloadTooLarge(f"more than {self._limits.max_attachments} attachments",
                                      errors=[FieldError(path, "too many attachments")])
            writer = self._sink()
            self.writers.append(writer)
            self._stream = _Base64Stream(writer, path, self._limits, self._package_total)
            self._stream_depth = len(self._stack)

    def data(self, text: str) -> None:
        if self._stream is not None:
            self._stream.feed(text)
            return
        if not self._stack:
            return
        node = self._stack[-1]
        self._count(len(text), node.path)
        node.text.append(text)
        if sum(map(len, node.text)) > self._limits.max_field_chars:
            raise InvalidInput(f"a header field is longer than {self._limits.max_field_chars} characters",
                               errors=[FieldError(node.path, "field too long")])
        if self._capture:
            self._capture[-1][1].data(text)

    def end(self, tag: str) -> None:
        if self._stream is not None and len(self._stack) == self._stream_depth:
            stream = self._stream
            self._stream = None
            stream.finish()
            ref = stream.writer.commit()
            attachment_node = self._stack[-2]
            self.streams[id(attachment_node)] = (ref, stream.hasher.hexdigest(), stream.size)
        if self._capture:
            depth, builder, captured = self._capture[-1]
            builder.end(tag)
            if depth == len(self._stack):
                self._capture.pop()
                captured.xml = etree.tostring(builder.close(), encoding="utf-8")
        self._stack.pop()

    def close(self) -> _Node | None:
        return self.root

    # ----------------------------------------------------------------------------------
    def _count(self, amount: int, path: str) -> None:
        self._header_bytes += amount
        if self._header_bytes > self._limits.max_header_bytes:
            raise InvalidInput(f"the header exceeds {self._limits.max_header_bytes} bytes",
                               errors=[FieldError(path, "header too large")])

    def abort(self) -> None:
        for writer in self.writers:
            writer.abort()


def _checked(path: str, build: Callable[..., Any], *args: Any) -> None:
    """Feed the builder of a verbatim element; names lxml cannot build are refused with their path."""
    try:
        build(*args)
    except ValueError as exc:
        raise InvalidInput("the package is not namespace-well-formed XML",
                           errors=[FieldError(path, str(exc))]) from None


def _kept_verbatim(local: str, parent: _Node | None) -> bool:
    """The envelope signature and unknown vendor elements are kept as XML, to relay them unchanged."""
    if parent is None:
        return False
    if parent.local == "edXMLHeader":
        return local in ("Signature", "DigitalSignature")
    return parent.local in ("OtherInfo", "MessageHeader") and local not in _KNOWN


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


_KNOWN = frozenset({
    "From", "To", "Code", "PromulgationInfo", "DocumentType", "Subject", "Content", "SignerInfo", "DueDate",
    "ToPlaces", "OtherInfo", "ResponseFor", "SteeringType", "DocumentId", "Priority", "SphereOfPromulgation",
    "TyperNotation", "PromulgationAmount", "PageAmount", "Appendixes", "StatusCode", "StaffInfo", "Description",
    "Timestamp",
})


def parse(source: bytes | BinaryIO | Iterable[bytes], *, sink: AttachmentSink | None = None,
          limits: Limits | None = None) -> ParseResult:
    """Parse an edXML package (document or status) from bytes, a binary stream or an iterable of chunks.

    Attachments are decoded into ``sink`` (a :class:`MemorySink` when not given). Raises
    :class:`InvalidInput` (all header problems at once, with element paths) or
    :class:`PayloadTooLarge`; on error every writer opened is aborted.
    """
    limits = limits or Limits()
    sink = sink or MemorySink()
    target = _Target(limits, sink)
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    hasher = hashlib.sha256()
    total = 0
    started = False
    try:
        for chunk in _chunks(source):
            if not started:
                stripped = chunk.lstrip(b"\xef\xbb\xbf \t\r\n\x00")  # stray bytes before <?xml (edxml.md §9.1)
                if not stripped:
                    total += len(chunk)
                    hasher.update(chunk)
                    continue
                started = True
                feed = stripped
            else:
                feed = chunk
            total += len(chunk)
            if total > limits.max_input_bytes:
                raise PayloadTooLarge(f"the package exceeds {limits.max_input_bytes} bytes")
            hasher.update(chunk)
            parser.feed(feed)
        if not started:
            raise InvalidInput("the package is empty", errors=[FieldError("/", "no XML")])
        root = parser.close()
        if root is None:
            raise InvalidInput("the package has no root element", errors=[FieldError("/", "no root")])
        warnings: list[FieldError] = []
        package = _Mapper(target, limits, warnings).package(root)
    except etree.XMLSyntaxError as exc:
        target.abort()
        raise InvalidInput("the package is not well-formed XML",
                           errors=[FieldError(f"line {exc.lineno}, column {exc.offset}", str(exc.msg))]) from None
    except BaseException:
        target.abort()
        raise
    return ParseResult(package=package, warnings=warnings, input_sha256=hasher.hexdigest(), input_size=total)


def _chunks(source: bytes | BinaryIO | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        for i in range(0, len(data), READ_CHUNK):
            yield data[i:i + READ_CHUNK]
        return
    read = getattr(source, "read", None)
    if read is not None:
        while chunk := read(READ_CHUNK):
            yield chunk
        return
    yield from source  # type: ignore[misc]


# ---------------------------------------------------------------------------------------
# From the bounded tree to the typed model, collecting every error.

_DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d")
_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S")


def parse_wire_date(text: str) -> date:
    """``yyyy/MM/dd`` (also ``dd/MM/yyyy``, ``yyyy-MM-dd`` and ISO 8601 date-times)."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    moment = datetime.fromisoformat(text)  # raises ValueError
    return (moment.astimezone(VN_TZ) if moment.tzinfo else moment).date()


def parse_wire_timestamp(text: str) -> datetime:
    """``yyyy/MM/dd HH:mm:ss`` in Vietnam time (also ISO 8601, with or without an offset) → +07:00."""
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    moment = datetime.fromisoformat(text)
    return moment.astimezone(VN_TZ) if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


class _Mapper:
    def __init__(self, target: _Target, limits: Limits, warnings: list[FieldError]):
        self._target = target
        self._limits = limits
        self.errors: list[FieldError] = []
        self.warnings = warnings

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def package(self, root: _Node) -> DocumentPackage | StatusPackage:
        if root.local != "edXML":
            raise InvalidInput("the root element is not edXML", errors=[FieldError(root.path, "expected <edXML>")])
        legacy_allowed = self._limits.accept_legacy_namespaces and root.ns in LEGACY_NAMESPACES
        if root.ns != EDXML_NS and not legacy_allowed:
            raise InvalidInput("wrong edXML namespace", errors=[FieldError(
                root.path, f"namespace {root.ns or '(none)'!r}, expected {EDXML_NS!r}")])
        envelope = root.child("edXMLEnvelope")
        header = envelope.child("edXMLHeader") if envelope else None
        if header is None:
            raise InvalidInput("the package has no edXMLEnvelope/edXMLHeader",
                               errors=[FieldError("/edXML/edXMLEnvelope/edXMLHeader", "required")])
        message = header.child("MessageHeader") or header.child("Status")
        if message is None:
            raise InvalidInput("the package has no MessageHeader",
                               errors=[FieldError(f"{header.path}/MessageHeader", "required")])
        if message.child("StatusCode") is not None and message.child("Code") is None \
                and message.child("Subject") is None:
            result: DocumentPackage | StatusPackage | None = self.status(message)
        else:
            result = self.document(root, envelope, header, message)  # type: ignore[arg-type]
        if self.errors or result is None:
            raise InvalidInput("the edXML package is not valid", errors=self.errors)
        return result

    # -- documents -----------------------------------------------------------------
    def document(self, root: _Node, envelope: _Node, header: _Node, message: _Node) -> DocumentPackage | None:
        head = self.message_header(message)
        trace_node = header.child("TraceHeaderList")
        trace = self.trace(trace_node) if trace_node is not None else None
        signature = header.child("Signature") or header.child("DigitalSignature")
        attachments = self.attachments(root, envelope)
        if head is None or self.errors:
            return None
        return self.build(DocumentPackage, message.path, header=head, trace_header_list=trace,
                          attachments=attachments,
                          signature_xml=signature.xml.decode() if signature is not None else "")

    def message_header(self, node: _Node) -> MessageHeader | None:
        sender = self.organ(node.child("From"), f"{node.path}/From", required=True)
        recipients = []
        seen: set[str] = set()
        to_nodes = node.all("To")
        if not to_nodes:
            self.fail(f"{node.path}/To", "at least one recipient is required")
        for i, to in enumerate(to_nodes):
            organ = self.organ(to, f"{node.path}/To[{i}]", required=True)
            if organ is not None:
                if organ.organ_id in seen:
                    self.fail(f"{node.path}/To[{i}]/OrganId", f"duplicate recipient {organ.organ_id}")
                seen.add(organ.organ_id)
                recipients.append(organ)
        code_node = node.child("Code")
        number = self.text(code_node, "CodeNumber", f"{node.path}/Code", required=True, max_len=11)
        notation = self.text(code_node, "CodeNotation", f"{node.path}/Code", required=True, max_len=30)
        info = node.child("PromulgationInfo")
        place = self.text(info, "Place", f"{node.path}/PromulgationInfo", max_len=50)
        promulgated = self.date(info, "PromulgationDate", f"{node.path}/PromulgationInfo", required=True)
        type_node = node.child("DocumentType")
        doc_type = DocumentType(
            type=self.integer(type_node, "Type", f"{node.path}/DocumentType"),
            type_detail=self.integer(type_node, "TypeDetail", f"{node.path}/DocumentType"),
            type_name=self.text(type_node, "TypeName", f"{node.path}/DocumentType", max_len=100))
        subject = self.text(node, "Subject", node.path, required=True, max_len=500)
        content = self.text(node, "Content", node.path, max_len=500)
        signer_node = node.child("SignerInfo")
        signer = SignerInfo(
            competence=self.text(signer_node, "Competence", f"{node.path}/SignerInfo", max_len=100),
            position=self.text(signer_node, "Position", f"{node.path}/SignerInfo", max_len=100),
            full_name=self.text(signer_node, "FullName", f"{node.path}/SignerInfo", max_len=50))
        due = self.date(node, "DueDate", node.path)
        places_node = node.child("ToPlaces")
        to_places = [p.value() for p in places_node.all("Place")] if places_node else []
        other = self.other_info(node.child("OtherInfo"), f"{node.path}/OtherInfo")
        answers = [answer for i, answer_node in enumerate(node.all("ResponseFor"))
                   if (answer := self.response_for(answer_node, f"{node.path}/ResponseFor[{i}]")) is not None]
        steering = self.integer(node, "SteeringType", node.path)
        if steering is not None and steering not in (0, 1, 2):
            self.warnings.append(FieldError(f"{node.path}/SteeringType", "expected 0, 1 or 2"))
        document_id = self.text(node, "DocumentId", node.path, max_len=200)
        extensions = [c.xml.decode() for c in node.children if c.local not in _KNOWN and c.xml]
        if sender is None or self.errors or promulgated is None:
            return None
        header = self.build(MessageHeader, node.path, from_=sender, to=recipients,
                            code=Code(code_number=number, code_notation=notation),
                            promulgation_info=PromulgationInfo(place=place, promulgation_date=promulgated),
                            document_type=doc_type, subject=subject, content=content, signer_info=signer,
                            due_date=due, to_places=to_places, other_info=other, response_for=answers,
                            steering_type=steering or 0, document_id=document_id, extensions=extensions)
        if header is not None:
            if not header.document_id:
                self.warnings.append(FieldError(f"{node.path}/DocumentId", "missing: recomputed from the header"))
                header = header.model_copy(update={"document_id": header.expected_document_id()})
            elif header.document_id != header.expected_document_id():
                self.warnings.append(FieldError(f"{node.path}/DocumentId",
                                                f"differs from the recomputed {header.expected_document_id()}"))
        return header

    def other_info(self, node: _Node | None, path: str) -> OtherInfo:
        if node is None:
            return OtherInfo()
        priority = self.integer(node, "Priority", path)
        if priority is not None and not 0 <= priority <= 4:
            self.warnings.append(FieldError(f"{path}/Priority", "expected 0 to 4"))
        appendixes = node.child("Appendixes")
        return self.build(OtherInfo, path, priority=priority or 0,
                          sphere_of_promulgation=self.text(node, "SphereOfPromulgation", path, max_len=100),
                          typer_notation=self.text(node, "TyperNotation", path, max_len=10),
                          promulgation_amount=self.integer(node, "PromulgationAmount", path),
                          page_amount=self.integer(node, "PageAmount", path),
                          appendixes=[a.value() for a in appendixes.all("Appendix")] if appendixes else [],
                          extensions=[c.xml.decode() for c in node.children if c.local not in _KNOWN and c.xml]
                          ) or OtherInfo()

    def organ(self, node: _Node | None, path: str, *, required: bool) -> Organ | None:
        if node is None:
            if required:
                self.fail(path, "required")
            return None
        organ_id = self.text(node, "OrganId", path, required=True, max_len=50)
        name = self.text(node, "OrganName", path, required=required, max_len=200)
        if not organ_id:
            return None
        return self.build(Organ, path, organ_id=organ_id, organ_name=name,
                          organization_in_charge=self.text(node, "OrganizationInCharge", path, max_len=500),
                          organ_add=self.text(node, "OrganAdd", path, max_len=500),
                          email=self.text(node, "Email", path, max_len=100),
                          telephone=self.text(node, "Telephone", path, max_len=20),
                          fax=self.text(node, "Fax", path, max_len=20),
                          website=self.text(node, "Website", path, max_len=100))

    def response_for(self, node: _Node, path: str, *, strict: bool = False) -> ResponseFor | None:
        organ_id = self.text(node, "OrganId", path, required=strict)
        code = self.text(node, "Code", path, required=strict)
        document_id = self.text(node, "DocumentId", path, required=strict, max_len=200)
        promulgated = self.date(node, "PromulgationDate", path)
        if not organ_id and not strict:
            return None
        return self.build(ResponseFor, path, organ_id=organ_id, code=code, promulgation_date=promulgated,
                          document_id=document_id)

    def staff(self, node: _Node | None, path: str) -> StaffInfo | None:
        if node is None:
            return None
        return self.build(StaffInfo, path, department=self.text(node, "Department", path, max_len=250),
                          staff=self.text(node, "Staff", path, max_len=100),
                          mobile=self.text(node, "Mobile", path, max_len=100),
                          email=self.text(node, "Email", path, max_len=100))

    def trace(self, node: _Node) -> TraceHeaderList | None:
        hops = []
        for i, hop in enumerate(node.all("TraceHeader")):
            path = f"{node.path}/TraceHeader[{i}]"
            hops.append(TraceHeader(organ_id=self.text(hop, "OrganId", path),
                                    timestamp=self.timestamp(hop, "Timestamp", path)))
        business_node = node.child("Bussiness")
        business = self.business(business_node) if business_node is not None else None
        return self.build(TraceHeaderList, node.path, trace_headers=hops, bussiness=business,
                          attributes=dict(node.attrib))

    def business(self, node: _Node) -> Bussiness | None:
        path = node.path
        doc_type = self.integer(node, "BussinessDocType", path)
        if doc_type is not None and doc_type not in (0, 1, 2, 3):
            self.fail(f"{path}/BussinessDocType", "expected 0 (new), 1 (revoke), 2 (update) or 3 (replace)")
            return None
        info_node = node.child("BussinessDocumentInfo")
        info = None
        if info_node is not None:
            receivers_node = info_node.child("ReceiverList")
            receivers = []
            for i, r in enumerate(receivers_node.all("Receiver") if receivers_node else []):
                rpath = f"{info_node.path}/ReceiverList/Receiver[{i}]"
                organ_id = self.text(r, "OrganId", rpath, required=True)
                if organ_id:
                    receivers.append(Receiver(organ_id=organ_id,
                                              receiver_type=self.integer(r, "ReceiverType", rpath) or 0))
            info = BussinessDocumentInfo(document_info=self.integer(info_node, "DocumentInfo", info_node.path) or 0,
                                         document_receiver=self.integer(info_node, "DocumentReceiver",
                                                                        info_node.path) or 0,
                                         receivers=receivers)
        replacements = []
        list_node = node.child("ReplacementInfoList")
        for i, item in enumerate(list_node.all("ReplacementInfo") if list_node else []):
            ipath = f"{list_node.path}/ReplacementInfo[{i}]"  # type: ignore[union-attr]
            target_id = self.text(item, "DocumentId", ipath, required=True, max_len=200)
            organs = item.child("OrganIdList")
            if target_id:
                replacements.append(ReplacementInfo(document_id=target_id,
                                                    organ_ids=[o.value() for o in organs.all("OrganId")]
                                                    if organs else []))
        paper = self.integer(node, "Paper", path)
        return self.build(Bussiness, path, bussiness_doc_type=doc_type or 0,
                          bussiness_doc_reason=self.text(node, "BussinessDocReason", path),
                          paper=paper or 0, staff_info=self.staff(node.child("StaffInfo"), f"{path}/StaffInfo"),
                          document_id=self.text(node, "DocumentId", path, max_len=200),
                          bussiness_document_info=info, replacement_info_list=replacements)

    def attachments(self, root: _Node, envelope: _Node) -> list[Attachment]:
        body = envelope.child("edXMLBody")
        manifest = body.child("edXMLManifest") if body else None
        references: dict[str, _Node] = {}
        for i, ref in enumerate(manifest.all("Reference") if manifest else []):
            cid = _bare_cid(self.text(ref, "ContentId", ref.path) or ref.attrib.get("href", ""))
            if not cid:
                self.fail(f"{manifest.path}/Reference[{i}]/ContentId", "required")  # type: ignore[union-attr]
            elif cid in references:
                self.fail(f"{manifest.path}/Reference[{i}]/ContentId",  # type: ignore[union-attr]
                          f"duplicate content id {cid}")
            else:
                references[cid] = ref
        encoded = root.child("AttachmentEncoded")
        result: list[Attachment] = []
        matched: set[str] = set()
        for i, item in enumerate(encoded.all("Attachment") if encoded else []):
            path = f"{encoded.path}/Attachment[{i}]"  # type: ignore[union-attr]
            cid = _bare_cid(self.text(item, "ContentId", path, required=True))
            stored = self._target.streams.get(id(item))
            if stored is None:
                self.fail(f"{path}/ContentTransferEncoded", "required")
                continue
            if not cid:
                continue
            if cid in matched:
                self.fail(f"{path}/ContentId", f"duplicate content id {cid}")
                continue
            ref = references.get(cid)
            if ref is None:
                self.fail(f"{path}/ContentId", f"no manifest Reference for content id {cid}")
                continue
            matched.add(cid)
            name = self.text(ref, "AttachmentName", ref.path, max_len=500) \
                or self.text(item, "AttachmentName", path, required=True, max_len=500)
            content_type = self.text(ref, "ContentType", ref.path) or self.text(item, "ContentType", path)
            if content_type and self.text(item, "ContentType", path) not in ("", content_type):
                self.warnings.append(FieldError(f"{path}/ContentType", "differs from the manifest's ContentType"))
            description = self.text(ref, "Description", ref.path) or self.text(item, "Description", path)
            storage_ref, sha256, size = stored
            attachment = self.build(Attachment, path, content_id=cid, attachment_name=name,
                                    content_type=content_type or "application/octet-stream",
                                    description=description, size=size, sha256=sha256, ref=storage_ref)
            if attachment is not None:
                result.append(attachment)
        for cid, ref in references.items():
            if cid not in matched and not any(e.path.startswith(f"{encoded.path if encoded else ''}/Attachment")
                                              and cid in e.message for e in self.errors):
                self.fail(ref.path, f"manifest Reference {cid} has no matching AttachmentEncoded/Attachment")
        return result

    # -- statuses ------------------------------------------------------------------
    def status(self, node: _Node) -> StatusPackage | None:
        sender = self.organ(node.child("From"), f"{node.path}/From", required=False)
        if node.child("From") is None:
            self.fail(f"{node.path}/From", "required")
        response_node = node.child("ResponseFor")
        answer = None
        if response_node is None:
            self.fail(f"{node.path}/ResponseFor", "required")
        else:
            answer = self.response_for(response_node, response_node.path, strict=True)
        code = self.text(node, "StatusCode", node.path, required=True)
        if code.isdigit() and len(code) == 1:
            code = f"0{code}"  # Bkav emits 1 for 01 (edxml.md §7.1)
        elif code and not (code.isdigit() and len(code) in (2, 3)):
            self.fail(f"{node.path}/StatusCode", "expected a two-digit status code")
        description = self.text(node, "Description", node.path, max_len=2000)
        if code == "02" and not description:
            self.fail(f"{node.path}/Description", "a refusal (02) must give its reason")
        timestamp = self.timestamp(node, "Timestamp", node.path)
        if sender is None or answer is None or self.errors:
            return None
        return self.build(StatusPackage, node.path, from_=sender, response_for=answer,
                          staff_info=self.staff(node.child("StaffInfo"), f"{node.path}/StaffInfo"),
                          status_code=code, description=description, timestamp=timestamp)

    # -- leaves --------------------------------------------------------------------
    def text(self, parent: _Node | None, local: str, path: str, *, required: bool = False,
             max_len: int | None = None) -> str:
        node = parent.child(local) if parent is not None else None
        value = node.value() if node is not None else ""
        if not value:
            if required:
                self.fail(f"{path}/{local}", "required")
            return ""
        if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            self.fail(f"{path}/{local}", "control characters are not allowed")
        if max_len is not None and len(value) > max_len:
            self.warnings.append(FieldError(f"{path}/{local}", f"longer than {max_len} characters"))
        return value

    def integer(self, parent: _Node | None, local: str, path: str) -> int | None:
        value = self.text(parent, local, path)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            self.fail(f"{path}/{local}", f"not an integer: {value[:40]!r}")
            return None

    def date(self, parent: _Node | None, local: str, path: str, *, required: bool = False) -> date | None:
        value = self.text(parent, local, path, required=required)
        if not value:
            return None
        try:
            return parse_wire_date(value)
        except ValueError:
            self.fail(f"{path}/{local}", f"not a date (yyyy/MM/dd): {value[:40]!r}")
            return None

    def timestamp(self, parent: _Node | None, local: str, path: str) -> datetime | None:
        value = self.text(parent, local, path)
        if not value:
            return None
        try:
            return parse_wire_timestamp(value)
        except ValueError:
            self.fail(f"{path}/{local}", f"not a timestamp (yyyy/MM/dd HH:mm:ss): {value[:40]!r}")
            return None

    def build(self, model: type, path: str, **values: Any) -> Any:
        try:
            return model(**values)
        except ValidationError as exc:
            for err in exc.errors():
                where = "/".join(str(p) for p in err["loc"])
                self.fail(f"{path}/{where}", err["msg"])
            return None


def _bare_cid(value: str) -> str:
    value = value.strip()
    return value[4:] if value.lower().startswith("cid:") else value
