"""The registry's tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, Integer, String, Table, Text

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

agencies = Table(
    "agencies", metadata,
    Column("code", String(35), primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent_code", String(35), index=True),
    Column("level", String(40), nullable=False),
    Column("kind", String(80), nullable=False, default=""),
    Column("status", String(20), nullable=False, default="active"),
    Column("successor_code", String(35)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

document_sequences = Table(
    "document_sequences", metadata,
    Column("agency_code", String(35), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", BigInteger, nullable=False),
)

clients = Table(
    "clients", metadata,
    Column("client_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("agency_codes", JSON, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("role", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

token_keys = Table(
    "token_keys", metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
