"""The outbox and inbox tables every service's database carries (added to its metadata)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, LargeBinary, MetaData, String, Table, Text

from lienthong.platform.db import new_metadata

_metadata = new_metadata()

outbox_events = Table(
    "outbox_events", _metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("event_key", String(200), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("source", String(200), nullable=False),
    Column("event_time", String(40), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("traceparent", String(100)),
    Column("data", LargeBinary, nullable=False),
    Column("published_at", DateTime(timezone=True), index=True),
)

inbox_events = Table(
    "inbox_events", _metadata,
    Column("consumer_group", String(200), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("event_type", String(200), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
)


def add_messaging_tables(metadata: MetaData) -> None:
    """Add the outbox and inbox tables to a service's metadata, so its migrations create them."""
    outbox_events.to_metadata(metadata)
    inbox_events.to_metadata(metadata)
