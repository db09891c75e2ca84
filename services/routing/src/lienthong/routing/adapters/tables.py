"""The routing service's tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

routed_documents = Table(
    "routed_documents", metadata,
    Column("id", String(36), primary_key=True),            # the documents service's id
    Column("sender_code", String(35), nullable=False),
    Column("identifier", String(80), nullable=False, default=""),
    Column("edxml_document_id", String(200), nullable=False, default="", index=True),
    Column("business_type", Integer, nullable=False, default=0),  # 0 new, 1 revoke, 2 update, 3 replace
    Column("related_document_id", String(36), nullable=False, default="", index=True),
    Column("recipients_written", Text, nullable=False, default="[]"),  # JSON: codes and groups as addressed
    Column("document", LargeBinary, nullable=False),       # lienthong.api.documents.v1.Document
    Column("routed_at", DateTime(timezone=True), nullable=False),
)

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
    Column("channel", String(20), nullable=False, server_default="inbox"),
    Column("via_group", String(200), nullable=False, server_default=""),
    Column("succession", Text, nullable=False, server_default=""),  # codes joined by " > "
    Column("note", Text, nullable=False, server_default=""),
    Column("lease_until", DateTime(timezone=True)),
    Column("lease_holder", String(200), nullable=False, server_default=""),
    Column("push_endpoint", String(2000), nullable=False, server_default=""),
    Column("push_state", String(20), nullable=False, server_default=""),  # "", pending, pushed, dead
    Column("push_attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", Text, nullable=False, server_default=""),
    UniqueConstraint("document_id", "recipient_code", name="uq_deliveries_document_recipient"),
    Index("ix_deliveries_push_due", "push_state", "next_attempt_at"),
)

delivery_statuses = Table(
    "delivery_statuses", metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("status_code", String(2), nullable=False),
    Column("description", Text, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("reported_by", String(35), nullable=False),
    Column("idempotency_key", String(200)),  # the reporter's Idempotency-Key: a retried POST adds nothing
    UniqueConstraint("delivery_id", "idempotency_key", name="uq_delivery_statuses_idempotency"),
)

change_requests = Table(
    "change_requests", metadata,
    Column("id", String(36), primary_key=True),
    Column("delivery_id", String(36), ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("document_id", String(36), nullable=False, index=True),
    Column("kind", String(10), nullable=False),             # recall, update, replace
    Column("requested_by", String(35), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("related_document_id", String(36), nullable=False),
    Column("outcome", String(2), nullable=False),            # "", 15, 16
    Column("answer_reason", Text, nullable=False),
    Column("answered_at", DateTime(timezone=True)),
)

push_attempts = Table(
    "push_attempts", metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("endpoint", String(2000), nullable=False),
    Column("outcome", Text, nullable=False),                 # "HTTP 204", "timeout", "circuit open"...
    Column("duration_ms", Integer, nullable=False),
)

mailbox_items = Table(
    "mailbox_items", metadata,
    # The national-axis mailbox's bookkeeping of an item (lienthong.routing.service.mailbox): a
    # delivery (status_seq 0, the edoc mailbox) or a status of its timeline (the status mailbox).
    Column("delivery_id", String(36), ForeignKey("deliveries.id"), primary_key=True),
    Column("status_seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False),
    Column("state", String(10), nullable=False, server_default=""),  # "", done, failed
    Column("attempts", Integer, nullable=False, server_default="0"),  # updateStatus fail
    Column("hidden_until", DateTime(timezone=True)),                   # updateStatus processing
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_deliveries_sender_code", deliveries.c.sender_code)  # status mailboxes: statuses to the sender
