"""The archive's tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
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

records = Table(
    "records", metadata,
    Column("id", String(36), primary_key=True),
    Column("document_id", String(64), nullable=False, unique=True),
    Column("identifier", String(80), nullable=False),
    Column("sender_code", String(35), nullable=False),
    Column("recipient_codes", JSON, nullable=False),
    Column("package_sha256", String(64), nullable=False),
    Column("package_size", BigInteger, nullable=False),
    Column("files", JSON, nullable=False),
    Column("archived_at", DateTime(timezone=True), nullable=False),
    Column("last_fixity_check_at", DateTime(timezone=True)),
    Column("last_fixity_intact", Boolean),
    Index("ix_records_archived_at_id", "archived_at", "id"),
)

record_readers = Table(
    "record_readers", metadata,
    Column("record_id", String(36), ForeignKey("records.id"), primary_key=True),
    Column("agency_code", String(35), primary_key=True, index=True),
)
"""The agencies that may read a record (its sender and recipients), for listing by agency."""

audit_trail = Table(
    "audit_trail", metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("document_id", String(64), nullable=False, index=True),
    Column("event_type", String(80), nullable=False),
    Column("delivery_id", String(64), nullable=False),
    Column("sender_code", String(35), nullable=False),
    Column("recipient_code", String(35), nullable=False),
    Column("state", String(40), nullable=False),
    Column("status_code", String(10), nullable=False),
    Column("detail", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
"""Routing events per document (queued, delivered, acknowledged, statuses), one row per event id."""
