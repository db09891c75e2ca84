"""SQL repository of documents."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import String, func, select, text
from sqlalchemy.orm import Session

from lienthong.documents.adapters.tables import attachments, document_recipients, documents, idempotency_keys
from lienthong.documents.domain.document import Attachment, Document, DocumentDraft, ViewQuery, fold
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
            submitted_at=doc.submitted_at, submitted_by=doc.submitted_by, business_doc_type=doc.business_doc_type,
            edxml_document_id=doc.edxml_document_id, refers_to_ids=list(doc.refers_to_ids),
            refers_to_edxml_ids=list(doc.refers_to_edxml_ids), issuance_form=doc.issuance_form,
            paper_required=doc.paper_required, package_json=doc.package_json, original_sha256=doc.original_sha256,
            warnings=list(doc.warnings), search_text=fold(f"{d.subject} {d.code_number}/{d.code_notation}")))
        for code in d.recipient_codes:
            self.session.execute(document_recipients.insert().values(document_id=doc.id, recipient_code=code))
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(text("INSERT INTO documents_fts (document_id, search_text) VALUES (:d, :t)"),
                                 {"d": doc.id, "t": fold(f"{d.subject} {d.code_number}/{d.code_notation}")})
        for i, a in enumerate(doc.attachments):
            self.session.execute(attachments.insert().values(
                document_id=doc.id, position=i, name=a.name, media_type=a.media_type, sha256=a.sha256, size=a.size,
                content_id=a.content_id, description=a.description, signature_indication=a.signature_indication,
                signature_report_id=a.signature_report_id))

    def get(self, document_id: str) -> Document | None:
        row = self.session.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            return None
        files = self.session.execute(select(attachments).where(attachments.c.document_id == document_id)
                                     .order_by(attachments.c.position)).all()
        return _document(row, files)

    def view(self, query: ViewQuery) -> list[Document]:
        """One page of an agency's outbox or inbox, newest first, after the cursor."""
        stmt = select(documents.c.id)
        if query.box == "outbox":
            stmt = stmt.where(documents.c.sender_code == query.agency)
            if query.counterpart:
                stmt = stmt.where(documents.c.id.in_(select(document_recipients.c.document_id).where(
                    document_recipients.c.recipient_code == query.counterpart)))
        else:
            stmt = stmt.where(documents.c.id.in_(select(document_recipients.c.document_id).where(
                document_recipients.c.recipient_code == query.agency)))
            if query.counterpart:
                stmt = stmt.where(documents.c.sender_code == query.counterpart)
        if query.submitted_from is not None:
            stmt = stmt.where(documents.c.submitted_at >= query.submitted_from)
        if query.submitted_to is not None:
            stmt = stmt.where(documents.c.submitted_at < query.submitted_to)
        if query.document_type:
            stmt = stmt.where(documents.c.document_type == query.document_type)
        if query.business_doc_type is not None:
            stmt = stmt.where(documents.c.business_doc_type == query.business_doc_type)
        if query.signed is not None:
            passed = (documents.c.signature_signed.is_(True)) & (documents.c.signature_indication == "TOTAL_PASSED")
            stmt = stmt.where(passed if query.signed else ~passed)
        terms = fold(query.search).split()
        if terms:
            stmt = stmt.where(self._matches(terms))
        if query.after is not None:
            moment, last_id = query.after
            stmt = stmt.where((documents.c.submitted_at < moment)
                              | ((documents.c.submitted_at == moment) & (documents.c.id < last_id)))
        stmt = stmt.order_by(documents.c.submitted_at.desc(), documents.c.id.desc()).limit(query.limit)
        return [self.get(row.id) for row in self.session.execute(stmt)]  # type: ignore[misc]

    def _matches(self, terms: list[str]) -> Any:
        """Every folded word in subject or notation (the last one as a prefix, as the user types):
        FTS5 on SQLite, full text on PostgreSQL. ``fold`` leaves only word characters to quote."""
        last = len(terms) - 1
        if self.session.get_bind().dialect.name == "sqlite":
            expression = " AND ".join(f'"{term}"' + ("*" if i == last else "") for i, term in enumerate(terms))
            return documents.c.id.in_(text("SELECT document_id FROM documents_fts WHERE documents_fts MATCH :q")
                                      .bindparams(q=expression).columns(document_id=String))
        vector = func.to_tsvector("simple", documents.c.search_text)
        query = func.to_tsquery("simple", " & ".join(
            f"'{term}'" + (":*" if i == last else "") for i, term in enumerate(terms)))
        return vector.op("@@")(query)

    def find_sent(self, sender_code: str, edxml_document_id: str, business_doc_types: Collection[int] = ()
                  ) -> Document | None:
        """The document ``sender_code`` sent with this edXML DocumentId (of one of these business types, if given)."""
        query = select(documents.c.id).where(documents.c.sender_code == sender_code,
                                             documents.c.edxml_document_id == edxml_document_id)
        if business_doc_types:
            query = query.where(documents.c.business_doc_type.in_(list(business_doc_types)))
        row = self.session.execute(query.order_by(documents.c.submitted_at).limit(1)).first()
        return self.get(row.id) if row else None

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
                    attachments=tuple(Attachment(f.name, f.media_type, f.sha256, f.size, f.content_id, f.description,
                                                 f.signature_indication, f.signature_report_id) for f in files),
                    signature_signed=row.signature_signed, signature_indication=row.signature_indication,
                    signature_report_id=row.signature_report_id, submitted_at=clock.from_storage(row.submitted_at),
                    submitted_by=row.submitted_by, business_doc_type=row.business_doc_type,
                    edxml_document_id=row.edxml_document_id, refers_to_ids=tuple(row.refers_to_ids or ()),
                    refers_to_edxml_ids=tuple(row.refers_to_edxml_ids or ()), issuance_form=row.issuance_form,
                    paper_required=row.paper_required, package_json=row.package_json or "",
                    original_sha256=row.original_sha256, warnings=tuple(row.warnings or ()))
