"""Reporting's read-model tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, String, Table, Text

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

agency_counts = Table(
    "agency_counts", metadata,
    Column("agency_code", String(35), primary_key=True),
    Column("sent", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    Column("signed", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

agencies = Table(
    "agencies", metadata,
    Column("code", String(35), primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(40), nullable=False),
)
"""Agencies as the registry announced them (``AgencyCreated``)."""

counted_deliveries = Table(
    "counted_deliveries", metadata,
    Column("delivery_id", String(64), primary_key=True),
)
"""Deliveries already counted as received: a delivery announced twice (an inbox fallback after a dead
letter, then a successful re-driven push) counts once."""
