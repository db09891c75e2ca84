"""The documents service's use cases: submit a document, read it back."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import logging
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, Protocol

from pydantic import ValidationError

from lienthong.api.documents.v1 import documents_pb2, events_pb2
from lienthong.documents.domain import formats
from lienthong.documents.domain.document import (
    Attachment,
    Document,
    DocumentDraft,
    ViewQuery,
    sanitise_file_name,
    validate_draft,
)
from lienthong.documents.service.packages import (
    EDXML_PATHS,
    MODEL_PATHS,
    flat_metadata,
    package_from_draft,
    referenced_document_ids,
    relabel,
)
from lienthong.edxml import Attachment as EdxmlAttachment
from lienthong.edxml import BusinessDocType, DocumentPackage, Limits, parse, write
from lienthong.platform import clock
from lienthong.platform.auth import Principal
from lienthong.platform.blob import CHUNK_SIZE, BlobStore
from lienthong.platform.db import Database
from lienthong.platform.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
)
from lienthong.platform.messaging import Event
from lienthong.platform.text import nfc

SERVICE = "documents"
REFERABLE_TYPES = (int(BusinessDocType.NEW), int(BusinessDocType.REPLACE))
"""What a revocation, update or replacement may refer to: a document that stands as sent, either new or
itself a replacement (never an update or revocation message)."""
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureVerdict:
    """What signing said about the attachment's signatures."""

    signed: bool
    indication: str
    report_id: str


@dataclass(frozen=True)
class RecipientCheck:
    """What the registry says about one written recipient: an agency code or a ``group:...``."""

    written: str
    group: bool = False
    name: str = ""         # a code: the name of the agency that receives for it
    error: str = ""        # why it cannot be resolved (malformed or unknown group, group matching nobody...)
    unknown: bool = False  # a well-formed code no agency receives for


class DocumentRepository(Protocol):
    def add(self, doc: Document) -> None: ...

    def view(self, query: ViewQuery) -> list[Document]: ...

    def get(self, document_id: str) -> Document | None: ...

    def find_sent(self, sender_code: str, edxml_document_id: str,
                  business_doc_types: Collection[int] = ()) -> Document | None: ...

    def find_idempotent(self, client_id: str, key: str) -> Any | None: ...

    def remember_idempotent(self, client_id: str, key: str, request_sha256: str, document_id: str) -> None: ...


class Registry(Protocol):
    def check_recipients(self, recipients: list[str], sender_code: str) -> list[RecipientCheck]:
        """Each written recipient as the registry resolves it now, in order: a code following succession,
        a group among the active agencies less the sender."""

    def reserve_identifier(self, agency_code: str, issued_at: str, purpose: str) -> str:
        """Reserve the agency's next document identifier ``<code>-YYYY.N`` (to be confirmed or voided)."""

    def confirm_identifier(self, identifier: str, reference: str) -> None:
        """Confirm a reserved identifier: ``reference`` (the document id) now carries it."""

    def void_identifier(self, identifier: str, reason: str) -> None:
        """Void a reserved identifier that no document will carry, with the reason."""


class Deliveries(Protocol):
    def received_by(self, document_id: str, agency_codes: list[str]) -> list[str]:
        """Those of ``agency_codes`` that hold a delivery of the document (routing knows group members and
        successors of merged recipients)."""


class Signing(Protocol):
    def validate_pdf(self, pdf: BinaryIO, *, file_name: str, agency_code: str,
                     document_ref: str) -> SignatureVerdict:
        """Validate the signatures of the PDF read (streamed) from ``pdf``."""


@dataclass
class IncomingFile:
    """One attachment as received (a seekable file), before it is checked and stored."""

    name: str | None
    file: BinaryIO
    content_id: str = ""
    description: str = ""


class _SpoolSink:
    """edXML attachments decoded into spooled temporary files (memory up to 1 MiB each, then disk)."""

    def __init__(self) -> None:
        self.files: dict[str, BinaryIO] = {}

    def __call__(self) -> _SpoolWriter:
        return _SpoolWriter(self)


class _SpoolWriter:
    def __init__(self, sink: _SpoolSink):
        self._sink = sink
        self._file: BinaryIO = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> str:
        ref = f"spool:{len(self._sink.files)}"
        self._file.seek(0)
        self._sink.files[ref] = self._file
        return ref

    def abort(self) -> None:
        self._file.close()


SPOOL_BYTES = 1024 * 1024
MAX_ZIP_RATIO = 200
"""An SDK-zipped attachment may not inflate more than this many times its compressed size."""
SIGNATURE_RANK = {"TOTAL_PASSED": 0, "INDETERMINATE": 1, "TOTAL_FAILED": 2}


def document_verdict(verdicts: list[SignatureVerdict]) -> SignatureVerdict:
    """The document's signature summary: the worst of its PDFs' (an unsigned PDF is the worst of all)."""
    if not verdicts:
        return SignatureVerdict(signed=False, indication="", report_id="")
    unsigned = [v for v in verdicts if not v.signed]
    if unsigned:
        return unsigned[0]
    return max(verdicts, key=lambda v: SIGNATURE_RANK.get(v.indication, 1))


class Documents:
    """Accepts documents from agencies' systems and serves them to their senders and recipients."""

    def __init__(self, database: Database, blobs: BlobStore, registry: Registry, signing: Signing, *,
                 deliveries: Deliveries, repository: Callable[[Any], DocumentRepository],
                 limits: Limits | None = None, paper_document_types: frozenset[str] = frozenset()):
        self._db = database
        self._deliveries = deliveries
        self._repo = repository
        self._blobs = blobs
        self._registry = registry
        self._signing = signing
        self.limits = limits or Limits()
        self._paper_types = frozenset(nfc(t).strip().lower() for t in paper_document_types)

    # -- doors ---------------------------------------------------------------------
    def submit(self, principal: Principal, metadata: dict, files: list[IncomingFile],
               idempotency_key: str | None = None) -> tuple[Document, bool]:
        """Validate, store and announce a document given as JSON (flat metadata or the edXML model) and files.

        Returns the document and whether it was created now (False for a replay: the same
        ``Idempotency-Key``, or the same sender and edXML DocumentId).
        """
        digest = hashlib.sha256(json.dumps(metadata, sort_keys=True, ensure_ascii=False, default=str).encode())
        if "header" in metadata:
            try:
                package = DocumentPackage.model_validate({**metadata, "kind": "document"})
            except ValidationError as exc:
                raise InvalidInput("the document is not valid", errors=[
                    FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]) from None
            return self._accept(principal, package, files, None, idempotency_key, digest.hexdigest(), MODEL_PATHS)
        draft = validate_draft(metadata)
        principal.require_agency(draft.sender_code)
        checks = self._registry.check_recipients([draft.sender_code, *draft.recipient_codes], draft.sender_code)
        package = package_from_draft(draft, {c.written: c.name for c in checks if c.name})
        return self._accept(principal, package, files, None, idempotency_key, digest.hexdigest(), {},
                            confidentiality=draft.confidentiality)

    def submit_edxml(self, principal: Principal, package_file: BinaryIO,
                     idempotency_key: str | None = None) -> tuple[Document, bool]:
        """Validate, store and announce an edXML document package (a seekable file of its bytes)."""
        sink = _SpoolSink()
        try:
            result = parse(package_file, sink=sink, limits=self.limits)
            package = result.package
            if not isinstance(package, DocumentPackage):
                raise InvalidInput("this is a status package: send it to routing",
                                   errors=[FieldError("/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/StatusCode",
                                                      "a document package was expected")])
            files = [IncomingFile(a.attachment_name, sink.files[a.ref], a.content_id, a.description)
                     for a in package.attachments]
            package_file.seek(0)
            return self._accept(principal, package, files, package_file, idempotency_key, result.input_sha256,
                                EDXML_PATHS, warnings=[f"{w.path}: {w.message}" for w in result.warnings])
        finally:
            for spooled in sink.files.values():
                spooled.close()

    # -- the one path --------------------------------------------------------------
    def _accept(self, principal: Principal, package: DocumentPackage, files: list[IncomingFile],
                original: BinaryIO | None, idempotency_key: str | None, request_digest: str,
                paths: dict[str, str], *, confidentiality: str = "",
                warnings: list[str] | None = None) -> tuple[Document, bool]:
        errors: list[FieldError] = []
        flat = flat_metadata(package)
        flat["confidentiality"] = flat["confidentiality"] or confidentiality
        try:
            draft: DocumentDraft | None = validate_draft(flat)
        except InvalidInput as exc:
            draft = None
            errors.extend(relabel(exc.errors, paths))
        principal.require_agency(package.header.from_.organ_id)
        if idempotency_key:
            earlier = self._replay(principal, idempotency_key, request_digest)
            if earlier is not None:
                return earlier, False
        business = package.business
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            earlier = repo.find_sent(package.header.from_.organ_id, package.header.document_id,
                                     [int(business.bussiness_doc_type)])
            targets = [(path, target, repo.find_sent(package.header.from_.organ_id, target, REFERABLE_TYPES))
                       for path, target in referenced_document_ids(package)]
        if earlier is not None:
            return earlier, False
        if business.bussiness_doc_type == BusinessDocType.REPLACE and not targets:
            errors.append(FieldError("trace_header_list.bussiness.replacement_info_list",
                                     "a replacement must name the documents it replaces"))
        for path, target, found in targets:
            if found is None:
                errors.append(FieldError(path, f"{target!r} is not a document this sender sent"))
        recipients = [organ.organ_id for organ in package.header.to]
        checks = self._registry.check_recipients(recipients, package.header.from_.organ_id) if recipients else []
        for i, check in enumerate(checks):
            if check.error and (check.group or check.unknown):  # malformed codes are reported by validate_draft
                base = paths.get("recipient_codes", "recipient_codes")
                where = f"{base}[{i}]" + ("/OrganId" if base.startswith("/") else (".organ_id" if paths else ""))
                errors.append(FieldError(where, f"agency {check.written} is not in the registry" if check.unknown
                                         else check.error))
        checked = self._check_files(files, errors)
        if errors or draft is None:
            raise InvalidInput("the document is not valid", errors=errors)
        return self._store(principal, package, draft, checked, original, idempotency_key, request_digest,
                           [t[2] for t in targets], warnings or [])  # type: ignore[misc]

    def _check_files(self, files: list[IncomingFile], errors: list[FieldError]) -> list[tuple[IncomingFile, str, str]]:
        if len(files) > self.limits.max_attachments:
            raise PayloadTooLarge(f"more than {self.limits.max_attachments} attachments")
        checked = []
        total = 0
        for i, incoming in enumerate(files):
            path = f"attachments[{i}]"
            try:
                name = sanitise_file_name(incoming.name)
            except InvalidInput:
                errors.append(FieldError(f"{path}.name", "empty file name"))
                continue
            size = incoming.file.seek(0, 2)
            incoming.file.seek(0)
            total += size
            if size > self.limits.max_attachment_bytes:
                raise PayloadTooLarge(f"{name} exceeds {self.limits.max_attachment_bytes} bytes")
            if total > self.limits.max_package_bytes:
                raise PayloadTooLarge(f"the attachments exceed {self.limits.max_package_bytes} bytes in total")
            if size == 0:
                errors.append(FieldError(path, f"{name}: empty file"))
                continue
            media_type = formats.sniff(incoming.file)
            if media_type is None:
                unzipped = self._unwrap_sdk_zip(incoming.file, f"{path}", errors)
                if unzipped is not None:
                    incoming.file = unzipped
                    media_type = formats.sniff(unzipped)
            if media_type is None:
                errors.append(FieldError(path, f"{name}: not an allowed format (txt, rtf, doc, docx, odt, csv, xls, "
                                               "xlsx, ods, pdf, jpeg, png), decided by its content"))
            elif not formats.extension_matches(name, media_type):
                errors.append(FieldError(path, f"{name!r} holds {media_type}: the name does not match the content"))
            else:
                checked.append((incoming, name, media_type))
        return checked

    def _unwrap_sdk_zip(self, file: BinaryIO, path: str, errors: list[FieldError]) -> BinaryIO | None:
        """The file inside an SDK-zipped attachment (edxml.md §6.1: a ZIP with exactly one entry), or None.

        Zip bombs are refused: the entry may not exceed the attachment limit nor expand more than
        ``MAX_ZIP_RATIO`` times; its size is enforced while inflating, whatever the header claims.
        """
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError):
            file.seek(0)
            return None
        with archive:
            entries = archive.infolist()
            if len(entries) != 1 or entries[0].is_dir():
                file.seek(0)
                return None
            entry = entries[0]
            limit = min(self.limits.max_attachment_bytes, max(entry.compress_size, 1) * MAX_ZIP_RATIO)
            if entry.file_size > limit:
                errors.append(FieldError(path, "the zipped attachment expands beyond the limits (zip bomb?)"))
                return None
            inner: BinaryIO = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
            written = 0
            try:
                with archive.open(entry) as source:
                    while chunk := source.read(CHUNK_SIZE):
                        written += len(chunk)
                        if written > limit:
                            errors.append(FieldError(path, "the zipped attachment expands beyond the limits"))
                            inner.close()
                            return None
                        inner.write(chunk)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                errors.append(FieldError(path, f"the zipped attachment cannot be read: {exc}"))
                inner.close()
                return None
        inner.seek(0)
        return inner

    def _store(self, principal: Principal, package: DocumentPackage, draft: DocumentDraft,
               checked: list[tuple[IncomingFile, str, str]], original: BinaryIO | None,
               idempotency_key: str | None, request_digest: str, targets: list[Document],
               warnings: list[str]) -> tuple[Document, bool]:
        document_id = str(uuid.uuid4())
        per_file = self._validate_signatures(checked, draft.sender_code, document_id)
        stored: list[Attachment] = []
        for i, ((incoming, name, media_type), checked_pdf) in enumerate(zip(checked, per_file, strict=True)):
            ref = self._blobs.put(incoming.file, max_size=self.limits.max_attachment_bytes)
            stored.append(Attachment(name=name, media_type=media_type, sha256=ref.sha256, size=ref.size,
                                     content_id=incoming.content_id or str(i + 1), description=incoming.description,
                                     signature_indication=checked_pdf.indication if checked_pdf else "",
                                     signature_report_id=checked_pdf.report_id if checked_pdf else ""))
        original_sha256 = self._blobs.put(original).sha256 if original is not None else ""
        verdict = document_verdict([v for v in per_file if v is not None])
        outgoing = package.model_copy(update={"attachments": [
            EdxmlAttachment(content_id=a.content_id, attachment_name=a.name, content_type=a.media_type,
                            description=a.description, size=a.size, sha256=a.sha256) for a in stored]})
        paper_required = draft.document_type.lower() in self._paper_types
        issuance_form = "electronic+paper" if package.business.paper == 1 or paper_required else "electronic"
        submitted_at = clock.now()
        document = Document(id=document_id, identifier="", draft=draft, attachments=tuple(stored),
                            signature_signed=verdict.signed, signature_indication=verdict.indication,
                            signature_report_id=verdict.report_id, submitted_at=submitted_at,
                            submitted_by=principal.subject,
                            business_doc_type=int(package.business.bussiness_doc_type),
                            edxml_document_id=package.header.document_id,
                            refers_to_ids=tuple(t.id for t in targets),
                            refers_to_edxml_ids=tuple(t.edxml_document_id for t in targets),
                            issuance_form=issuance_form, paper_required=paper_required,
                            package_json=outgoing.model_dump_json(by_alias=True), original_sha256=original_sha256,
                            warnings=tuple(warnings))
        # Gapless numbering across two services: reserve, store, then confirm (or void on failure).
        identifier = self._registry.reserve_identifier(draft.sender_code, clock.iso(submitted_at), document_id)
        document = dataclasses.replace(document, identifier=identifier)
        try:
            self._commit(principal, document, idempotency_key, request_digest)
        except BaseException as exc:
            self._void_quietly(identifier, f"the document was not stored: {type(exc).__name__}: {exc}")
            raise
        try:
            self._registry.confirm_identifier(identifier, document_id)
        except DomainError:
            # The document is stored with its identifier; the registry confirms the reservation when it
            # consumes the DocumentSubmitted event, so a registry outage here leaves no gap.
            log.warning("identifier %s not confirmed now; the DocumentSubmitted event confirms it", identifier,
                        exc_info=True)
        return document, True

    def _void_quietly(self, identifier: str, reason: str) -> None:
        try:
            self._registry.void_identifier(identifier, reason[:500])
        except DomainError:
            log.warning("identifier %s not voided now; the registry voids it when its reservation expires",
                        identifier, exc_info=True)

    def _commit(self, principal: Principal, document: Document, idempotency_key: str | None,
                request_digest: str) -> None:
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            repo.add(document)
            if idempotency_key:
                repo.remember_idempotent(principal.subject, idempotency_key, request_digest, document.id)
            uow.add_event(Event.of(events_pb2.DocumentSubmitted(
                document=document_message(document), business_doc_type=document.business_doc_type,
                edxml_document_id=document.edxml_document_id, refers_to_document_ids=list(document.refers_to_ids),
                refers_to_edxml_document_ids=list(document.refers_to_edxml_ids)), service=SERVICE, key=document.id))
            uow.commit()

    def _validate_signatures(self, checked: list[tuple[IncomingFile, str, str]], sender: str,
                             document_id: str) -> list[SignatureVerdict | None]:
        """Each PDF's signatures (None for other files), validated by signing before anything is stored;
        a PDF signing cannot read is refused."""
        verdicts: list[SignatureVerdict | None] = []
        errors = []
        for i, (incoming, name, media_type) in enumerate(checked):
            verdicts.append(None)
            if media_type != "application/pdf":
                continue
            incoming.file.seek(0)
            try:
                verdicts[-1] = self._signing.validate_pdf(incoming.file, file_name=name, agency_code=sender,
                                                          document_ref=document_id)
            except InvalidInput as exc:
                errors.append(FieldError(f"attachments[{i}]", f"{name}: {exc.detail}"))
            incoming.file.seek(0)
        if errors:
            raise InvalidInput("the document is not valid", errors=errors)
        return verdicts

    def _replay(self, principal: Principal, key: str, request_digest: str) -> Document | None:
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            row = repo.find_idempotent(principal.subject, key)
            if row is None:
                return None
            if row.request_sha256 != request_digest:
                raise Conflict("this Idempotency-Key was used for a different request")
            return repo.get(row.document_id)

    def outgoing_package(self, document: Document) -> DocumentPackage:
        """The document as the edXML model the axis sends on."""
        return DocumentPackage.model_validate_json(document.package_json)

    def write_edxml(self, document: Document, out: BinaryIO) -> None:
        """Rebuild the document's edXML (attachments streamed from the blob store) into ``out``."""
        by_content = {a.content_id: a.sha256 for a in document.attachments}
        write(self.outgoing_package(document), out, lambda a: self._blobs.get(by_content[a.content_id]))

    def get(self, principal: Principal, document_id: str) -> Document:
        """A document, for its sender, its recipients or an operator.

        Recipients written by code are known here; an agency that received the document otherwise (a
        member of a recipient group, the successor of a merged recipient) is known to routing, which is asked.
        """
        document = self._load(document_id)
        if principal.is_operator or document.visible_to(principal.agencies):
            return document
        if principal.agencies and self._deliveries.received_by(document.id, sorted(principal.agencies)):
            return document
        raise Forbidden("only the sender and the recipients may read this document")

    def get_internal(self, document_id: str) -> Document:
        """A document, for the other services of the axis (gRPC)."""
        return self._load(document_id)

    def read_attachment(self, document: Document, sha256: str) -> Iterator[bytes]:
        """Stream one of the document's attachments (verified against its digest)."""
        if all(a.sha256 != sha256 for a in document.attachments):
            raise NotFound(f"document {document.id} has no attachment {sha256}")
        return self._blobs.get(sha256)

    def view(self, principal: Principal, query: ViewQuery) -> tuple[list[Document], str | None]:
        """A page of the agency's outbox or inbox and the cursor of the next page (None at the end)."""
        if not principal.is_operator:
            principal.require_agency(query.agency)
        with self._db.unit_of_work() as uow:
            page = self._repo(uow.session).view(query)
        cursor = encode_cursor(page[-1]) if len(page) == query.limit else None
        return page, cursor

    def read_blob(self, sha256: str) -> Iterator[bytes]:
        """Stream a stored blob (the original package)."""
        return self._blobs.get(sha256)

    def blob_size(self, sha256: str) -> int:
        return self._blobs.stat(sha256).size

    def _load(self, document_id: str) -> Document:
        with self._db.unit_of_work() as uow:
            document = self._repo(uow.session).get(document_id)
        if document is None:
            raise NotFound(f"document {document_id} does not exist")
        return document


def encode_cursor(document: Document) -> str:
    """An opaque cursor after ``document`` in a view (newest first)."""
    raw = f"{clock.to_vn(document.submitted_at).isoformat()}|{document.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (submitted_at, id) a cursor stands for; InvalidInput when it was not made by :func:`encode_cursor`."""
    try:
        moment, _, document_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        return clock.parse_iso(moment), str(uuid.UUID(document_id))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("invalid cursor", errors=[FieldError("cursor", "not a cursor from this API")]) from None


def document_json(document: Document, *, with_package: bool = True) -> dict:
    """The document's metadata as the JSON the REST API returns (and the archive keeps)."""
    d: DocumentDraft = document.draft
    return {
        "id": document.id, "identifier": document.identifier, "sender_code": d.sender_code,
        "recipient_codes": list(d.recipient_codes), "code_number": d.code_number, "code_notation": d.code_notation,
        "subject": d.subject, "document_type": d.document_type,
        "promulgation_date": d.promulgation_date.isoformat(), "signer_name": d.signer_name,
        "confidentiality": d.confidentiality,
        "attachments": [{"name": a.name, "media_type": a.media_type, "sha256": a.sha256, "size": a.size,
                         "content_id": a.content_id, "description": a.description,
                         "signature": {"indication": a.signature_indication, "report_id": a.signature_report_id}
                         if a.media_type == "application/pdf" else None}
                        for a in document.attachments],
        "signature": {"signed": document.signature_signed, "indication": document.signature_indication,
                      "report_id": document.signature_report_id},
        "for_information_only": document.for_information_only,
        "business_doc_type": document.business_doc_type, "edxml_document_id": document.edxml_document_id,
        "refers_to_ids": list(document.refers_to_ids), "refers_to_edxml_ids": list(document.refers_to_edxml_ids),
        "issuance_form": document.issuance_form, "paper_required": document.paper_required,
        "has_original_package": bool(document.original_sha256), "warnings": list(document.warnings),
        **({"package": json.loads(document.package_json) if document.package_json else None}
           if with_package else {}),
        "submitted_at": clock.iso(document.submitted_at),
    }


def document_message(document: Document) -> documents_pb2.Document:
    """The document as its protobuf contract."""
    d = document.draft
    return documents_pb2.Document(
        id=document.id, identifier=document.identifier, sender_code=d.sender_code,
        recipient_codes=list(d.recipient_codes), code_number=d.code_number, code_notation=d.code_notation,
        subject=d.subject, document_type=d.document_type, promulgation_date=d.promulgation_date.isoformat(),
        signer_name=d.signer_name,
        attachments=[documents_pb2.Attachment(name=a.name, media_type=a.media_type, sha256=a.sha256, size=a.size,
                                              signature_indication=a.signature_indication,
                                              signature_report_id=a.signature_report_id)
                     for a in document.attachments],
        signature=documents_pb2.SignatureSummary(signed=document.signature_signed,
                                                 indication=document.signature_indication,
                                                 report_id=document.signature_report_id),
        submitted_at=clock.iso(document.submitted_at),
        metadata_json=json.dumps(document_json(document), ensure_ascii=False, sort_keys=True),
        business_doc_type=document.business_doc_type, edxml_document_id=document.edxml_document_id,
        refers_to_document_ids=list(document.refers_to_ids),
        refers_to_edxml_document_ids=list(document.refers_to_edxml_ids),
        paper_copy=document.issuance_form == "electronic+paper",
        for_information_only=document.for_information_only,
    )
