"""The documents service's tables."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, DateTime, ForeignKey, String, Table, Text

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
)

attachments = Table(
    "attachments", metadata,
    Column("document_id", String(36), ForeignKey("documents.id"), primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("name", Text, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("client_id", String(64), primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    Column("document_id", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
