"""The signing service's tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table, Text, UniqueConstraint

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

validation_reports = Table(
    "validation_reports", metadata,
    Column("id", String(36), primary_key=True),
    Column("document_ref", String(200), nullable=False, index=True),
    Column("agency_code", String(35), nullable=False, index=True),
    Column("file_name", Text, nullable=False),
    Column("pdf_sha256", String(64), nullable=False, index=True),
    Column("indication", String(20), nullable=False),
    Column("signature_count", Integer, nullable=False),
    Column("validated_at", DateTime(timezone=True), nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("idempotency_key", String(200)),
    Column("report", JSON, nullable=False),
    UniqueConstraint("requested_by", "idempotency_key", name="uq_validation_reports_idempotency"),
)

signature_audit = Table(
    "signature_audit", metadata,
    Column("id", String(36), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("operation", String(20), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("key_id", String(100), nullable=False, index=True),
    Column("agency_code", String(35), nullable=False, index=True),
    Column("requested_by", String(200), nullable=False),
    Column("document_ref", String(200), nullable=False),
    Column("input_sha256", String(64), nullable=False),
    Column("output_sha256", String(64), nullable=False),
    Column("level", String(10), nullable=False),
    Column("field_name", String(100), nullable=False),
    Column("certificate_sha256", String(64), nullable=False),
    Column("detail", Text, nullable=False),
)
