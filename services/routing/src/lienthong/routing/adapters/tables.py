"""The routing service's tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(36), primary_key=True),
    Column("document_id", String(36), nullable=False, index=True),
    Column("sender_code", String(35), nullable=False),
    Column("recipient_code", String(35), nullable=False, index=True),
    Column("addressed_code", String(35), nullable=False),
    Column("state", String(30), nullable=False),
    Column("status_code", String(2), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("document_id", "addressed_code", name="uq_deliveries_document_addressed"),
)

delivery_statuses = Table(
    "delivery_statuses", metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("status_code", String(2), nullable=False),
    Column("description", Text, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("reported_by", String(35), nullable=False),
)
