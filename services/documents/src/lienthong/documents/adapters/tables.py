"""The documents service's tables."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

documents = Table(
    "documents", metadata,
    Column("id", String(36), primary_key=True),
    Column("identifier", String(60), nullable=False, unique=True),
    Column("sender_code", String(35), nullable=False, index=True),
    Column("recipient_codes", JSON, nullable=False),
    Column("code_number", String(11), nullable=False),
    Column("code_notation", String(30), nullable=False),
    Column("subject", Text, nullable=False),
    Column("document_type", String(100), nullable=False),
    Column("promulgation_date", Date, nullable=False),
    Column("signer_name", String(200), nullable=False),
    Column("confidentiality", String(50), nullable=False),
    Column("signature_signed", Boolean, nullable=False),
    Column("signature_indication", String(40), nullable=False),
    Column("signature_report_id", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("submitted_by", String(64), nullable=False),
    Column("business_doc_type", Integer, nullable=False, server_default="0"),
    Column("edxml_document_id", String(200), nullable=False, server_default=""),
    Column("refers_to_ids", JSON, nullable=True),
    Column("refers_to_edxml_ids", JSON, nullable=True),
    Column("issuance_form", String(20), nullable=False, server_default="electronic"),
    Column("paper_required", Boolean, nullable=False, server_default="0"),
    Column("package_json", Text, nullable=True),
    Column("original_sha256", String(64), nullable=False, server_default=""),
    Column("search_text", Text, nullable=False, server_default=""),
    Column("warnings", JSON, nullable=True),
    Index("ix_documents_sender_edxml_id", "sender_code", "edxml_document_id", "business_doc_type"),
)

attachments = Table(
    "attachments", metadata,
    Column("document_id", String(36), ForeignKey("documents.id"), primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("name", Text, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("content_id", String(200), nullable=False, server_default=""),
    Column("description", Text, nullable=False, server_default=""),
    Column("signature_indication", String(40), nullable=False, server_default=""),
    Column("signature_report_id", String(36), nullable=False, server_default=""),
)

document_recipients = Table(
    "document_recipients", metadata,
    Column("document_id", String(36), ForeignKey("documents.id"), primary_key=True),
    Column("recipient_code", String(50), primary_key=True),
    Index("ix_document_recipients_code", "recipient_code"),
)
"""One row per (document, recipient): the inbox view's index."""

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("client_id", String(64), primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    Column("document_id", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
