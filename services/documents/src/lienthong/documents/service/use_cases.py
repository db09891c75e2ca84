"""The documents service's use cases: submit a document, read it back."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from lienthong.api.documents.v1 import documents_pb2, events_pb2
from lienthong.documents.domain.document import (
    Attachment,
    Document,
    DocumentDraft,
    sanitise_file_name,
    sniff_media_type,
    validate_draft,
)
from lienthong.platform import clock
from lienthong.platform.auth import Principal
from lienthong.platform.blob import BlobStore, BlobTooLarge
from lienthong.platform.db import Database
from lienthong.platform.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from lienthong.platform.messaging import Event

SERVICE = "documents"


@dataclass(frozen=True)
class SignatureVerdict:
    """What signing said about the attachment's signatures."""

    signed: bool
    indication: str
    report_id: str


class DocumentRepository(Protocol):
    def add(self, doc: Document) -> None: ...

    def get(self, document_id: str) -> Document | None: ...

    def find_idempotent(self, client_id: str, key: str) -> Any | None: ...

    def remember_idempotent(self, client_id: str, key: str, request_sha256: str, document_id: str) -> None: ...


class Registry(Protocol):
    def unknown_agencies(self, codes: list[str]) -> list[str]: ...

    def issue_identifier(self, agency_code: str, issued_at: str) -> str: ...


class Signing(Protocol):
    def validate_pdf(self, pdf: bytes, *, file_name: str, agency_code: str,
                     document_ref: str) -> SignatureVerdict: ...


class Documents:
    """Accepts documents from agencies' systems and serves them to their senders and recipients."""

    def __init__(self, database: Database, blobs: BlobStore, registry: Registry, signing: Signing, *,
                 repository: Callable[[Any], DocumentRepository], max_attachment_bytes: int):
        self._db = database
        self._repo = repository
        self._blobs = blobs
        self._registry = registry
        self._signing = signing
        self._max_attachment_bytes = max_attachment_bytes

    def submit(self, principal: Principal, metadata: dict, file_name: str | None, file: BinaryIO,
               idempotency_key: str | None = None) -> tuple[Document, bool]:
        """Validate, store and announce a document with one PDF attachment.

        Returns the document and whether it was created now (False when the same
        ``Idempotency-Key`` was seen before with the same request).
        """
        draft = validate_draft(metadata)
        principal.require_agency(draft.sender_code)
        request_digest = hashlib.sha256(json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        if idempotency_key:
            earlier = self._replay(principal, idempotency_key, request_digest)
            if earlier is not None:
                return earlier, False
        unknown = self._registry.unknown_agencies(list(draft.recipient_codes))
        if unknown:
            raise InvalidInput("unknown recipients", errors=[
                FieldError(f"recipient_codes[{draft.recipient_codes.index(c)}]", f"agency {c} is not in the registry")
                for c in unknown])
        attachment = self._store_attachment(file_name, file)
        document_id = str(uuid.uuid4())
        verdict = self._signing.validate_pdf(b"".join(self._blobs.get(attachment.sha256)), file_name=attachment.name,
                                             agency_code=draft.sender_code, document_ref=document_id)
        submitted_at = clock.now()
        identifier = self._registry.issue_identifier(draft.sender_code, clock.iso(submitted_at))
        document = Document(id=document_id, identifier=identifier, draft=draft, attachments=(attachment,),
                            signature_signed=verdict.signed, signature_indication=verdict.indication,
                            signature_report_id=verdict.report_id, submitted_at=submitted_at,
                            submitted_by=principal.subject)
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            repo.add(document)
            if idempotency_key:
                repo.remember_idempotent(principal.subject, idempotency_key, request_digest, document.id)
            uow.add_event(Event.of(events_pb2.DocumentSubmitted(document=document_message(document)),
                                   service=SERVICE, key=document.id))
            uow.commit()
        return document, True

    def _replay(self, principal: Principal, key: str, request_digest: str) -> Document | None:
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            row = repo.find_idempotent(principal.subject, key)
            if row is None:
                return None
            if row.request_sha256 != request_digest:
                raise Conflict("this Idempotency-Key was used for a different request")
            return repo.get(row.document_id)

    def _store_attachment(self, file_name: str | None, file: BinaryIO) -> Attachment:
        name = sanitise_file_name(file_name)
        head = file.read(1024)
        media_type = sniff_media_type(head)
        if media_type != "application/pdf":
            raise InvalidInput("the attachment is not a PDF file (decided by its content)",
                               errors=[FieldError("file", "expected a PDF (content starting with %PDF-)")])
        if not name.lower().endswith(".pdf"):
            raise InvalidInput("the file name does not match its content",
                               errors=[FieldError("file", f"{name!r} holds a PDF: name it *.pdf")])
        try:
            ref = self._blobs.put(_Prefixed(head, file), max_size=self._max_attachment_bytes)
        except BlobTooLarge as exc:
            raise PayloadTooLarge(f"the attachment exceeds {self._max_attachment_bytes} bytes") from exc
        if ref.size == 0:
            raise InvalidInput("the attachment is empty", errors=[FieldError("file", "empty")])
        return Attachment(name=name, media_type=media_type, sha256=ref.sha256, size=ref.size)

    def get(self, principal: Principal, document_id: str) -> Document:
        """A document, for its sender, its recipients or an operator."""
        document = self._load(document_id)
        if not (principal.is_operator or document.visible_to(principal.agencies)):
            raise Forbidden("only the sender and the recipients may read this document")
        return document

    def get_internal(self, document_id: str) -> Document:
        """A document, for the other services of the axis (gRPC)."""
        return self._load(document_id)

    def read_attachment(self, document: Document, sha256: str) -> Iterator[bytes]:
        """Stream one of the document's attachments (verified against its digest)."""
        if all(a.sha256 != sha256 for a in document.attachments):
            raise NotFound(f"document {document.id} has no attachment {sha256}")
        return self._blobs.get(sha256)

    def _load(self, document_id: str) -> Document:
        with self._db.unit_of_work() as uow:
            document = self._repo(uow.session).get(document_id)
        if document is None:
            raise NotFound(f"document {document_id} does not exist")
        return document


class _Prefixed:
    """A readable stream of ``head`` followed by the rest of ``file`` (the sniffed bytes are not lost)."""

    def __init__(self, head: bytes, file: BinaryIO):
        self._head = head
        self._file = file

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._file.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._file.read(size)


def document_json(document: Document) -> dict:
    """The document's metadata as the JSON the REST API returns (and the archive keeps)."""
    d: DocumentDraft = document.draft
    return {
        "id": document.id, "identifier": document.identifier, "sender_code": d.sender_code,
        "recipient_codes": list(d.recipient_codes), "code_number": d.code_number, "code_notation": d.code_notation,
        "subject": d.subject, "document_type": d.document_type,
        "promulgation_date": d.promulgation_date.isoformat(), "signer_name": d.signer_name,
        "confidentiality": d.confidentiality,
        "attachments": [{"name": a.name, "media_type": a.media_type, "sha256": a.sha256, "size": a.size}
                        for a in document.attachments],
        "signature": {"signed": document.signature_signed, "indication": document.signature_indication,
                      "report_id": document.signature_report_id},
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
        attachments=[documents_pb2.Attachment(name=a.name, media_type=a.media_type, sha256=a.sha256, size=a.size)
                     for a in document.attachments],
        signature=documents_pb2.SignatureSummary(signed=document.signature_signed,
                                                 indication=document.signature_indication,
                                                 report_id=document.signature_report_id),
        submitted_at=clock.iso(document.submitted_at),
        metadata_json=json.dumps(document_json(document), ensure_ascii=False, sort_keys=True),
    )
