"""SQL repository of documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lienthong.documents.adapters.tables import attachments, documents, idempotency_keys
from lienthong.documents.domain.document import Attachment, Document, DocumentDraft
from lienthong.platform import clock


class SqlDocumentRepository:
    """Documents and their attachments in the service's database."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, doc: Document) -> None:
        d = doc.draft
        self.session.execute(documents.insert().values(
            id=doc.id, identifier=doc.identifier, sender_code=d.sender_code, recipient_codes=list(d.recipient_codes),
            code_number=d.code_number, code_notation=d.code_notation, subject=d.subject,
            document_type=d.document_type, promulgation_date=d.promulgation_date, signer_name=d.signer_name,
            confidentiality=d.confidentiality, signature_signed=doc.signature_signed,
            signature_indication=doc.signature_indication, signature_report_id=doc.signature_report_id,
            submitted_at=doc.submitted_at, submitted_by=doc.submitted_by))
        for i, a in enumerate(doc.attachments):
            self.session.execute(attachments.insert().values(
                document_id=doc.id, position=i, name=a.name, media_type=a.media_type, sha256=a.sha256, size=a.size))

    def get(self, document_id: str) -> Document | None:
        row = self.session.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            return None
        files = self.session.execute(select(attachments).where(attachments.c.document_id == document_id)
                                     .order_by(attachments.c.position)).all()
        return _document(row, files)

    def list_sent(self, sender_code: str, *, after: str | None, limit: int) -> list[Document]:
        query = select(documents).where(documents.c.sender_code == sender_code).order_by(documents.c.id).limit(limit)
        if after:
            query = query.where(documents.c.id > after)
        return [self.get(r.id) for r in self.session.execute(query)]  # type: ignore[misc]

    def find_idempotent(self, client_id: str, key: str) -> Any | None:
        return self.session.execute(select(idempotency_keys).where(
            idempotency_keys.c.client_id == client_id, idempotency_keys.c.idempotency_key == key)).first()

    def remember_idempotent(self, client_id: str, key: str, request_sha256: str, document_id: str) -> None:
        self.session.execute(idempotency_keys.insert().values(
            client_id=client_id, idempotency_key=key, request_sha256=request_sha256, document_id=document_id,
            created_at=clock.now()))


def _document(row: Any, files: list[Any]) -> Document:
    draft = DocumentDraft(sender_code=row.sender_code, recipient_codes=tuple(row.recipient_codes),
                          code_number=row.code_number, code_notation=row.code_notation, subject=row.subject,
                          document_type=row.document_type, promulgation_date=row.promulgation_date,
                          signer_name=row.signer_name, confidentiality=row.confidentiality)
    return Document(id=row.id, identifier=row.identifier, draft=draft,
                    attachments=tuple(Attachment(f.name, f.media_type, f.sha256, f.size) for f in files),
                    signature_signed=row.signature_signed, signature_indication=row.signature_indication,
                    signature_report_id=row.signature_report_id, submitted_at=clock.from_storage(row.submitted_at),
                    submitted_by=row.submitted_by)
