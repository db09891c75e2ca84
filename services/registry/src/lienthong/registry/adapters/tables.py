"""The registry's tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
    true,
)

from lienthong.platform.db import new_metadata
from lienthong.platform.messaging.tables import add_messaging_tables

metadata = new_metadata()
add_messaging_tables(metadata)

SERIAL = BigInteger().with_variant(Integer(), "sqlite")

agency_versions = Table(
    "agency_versions", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("code", String(35), nullable=False),
    Column("name", Text, nullable=False),
    Column("short_name", Text, nullable=False, default=""),
    Column("folded_name", Text, nullable=False, default=""),
    Column("parent_code", String(35)),
    Column("level", String(40), nullable=False),
    Column("kind", String(80), nullable=False, default=""),
    Column("status", String(20), nullable=False, default="active"),
    Column("successor_code", String(35)),
    Column("contact", JSON, nullable=False),
    Column("served_by", String(80), nullable=False, default=""),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_to", DateTime(timezone=True)),
    Column("plan_id", String(64)),
    Index("ix_agency_versions_code_valid_from", "code", "valid_from"),
    Index("uq_agency_versions_current", "code", unique=True, sqlite_where=text("valid_to IS NULL"),
          postgresql_where=text("valid_to IS NULL")),
    Index("ix_agency_versions_parent_code", "parent_code"),
)
"""Every version of every agency; the current one has ``valid_to`` NULL (one per code)."""

sequence_counters = Table(
    "sequence_counters", metadata,
    Column("agency_code", String(35), primary_key=True),
    Column("sequence", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", BigInteger, nullable=False),
)

sequence_numbers = Table(
    "sequence_numbers", metadata,
    Column("agency_code", String(35), primary_key=True),
    Column("sequence", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("number", BigInteger, primary_key=True),
    Column("state", String(20), nullable=False),
    Column("purpose", Text, nullable=False, default=""),
    Column("reference", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
    Column("reserved_at", DateTime(timezone=True), nullable=False),
    Column("reserved_until", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Index("ix_sequence_numbers_state_reserved_until", "state", "reserved_until"),
)
"""One row per number ever issued: reserved, then confirmed or voided (with the reason)."""

clients = Table(
    "clients", metadata,
    Column("client_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("agency_codes", JSON, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("role", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("system_id", String(64)),
    Column("enabled", Boolean, nullable=False, server_default=true()),
)
"""OAuth2 clients (agency systems and operators); the secret is an Argon2 hash."""

token_keys = Table(
    "token_keys", metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retire_at", DateTime(timezone=True)),
)
"""Token signing keys, the private key encrypted at rest; a retired key stays published until ``retire_at``."""

systems = Table(
    "systems", metadata,
    Column("system_id", String(64), primary_key=True),
    Column("owner_agency", String(35), nullable=False, index=True),
    Column("agency_codes", JSON, nullable=False),
    Column("name", Text, nullable=False),
    Column("vendor", Text, nullable=False, default=""),
    Column("push_endpoint", Text, nullable=False, default=""),
    Column("public_key_pem", Text, nullable=False, default=""),
    Column("certificate_pem", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, default="active"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
"""Connected systems: the software that acts for agencies (national-axis ``ConnectedSystem``)."""

system_secrets = Table(
    "system_secrets", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("system_id", String(64), nullable=False, index=True),
    Column("ciphertext", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
)
"""Mailbox-protocol secrets, encrypted at rest; during a rotation the old one expires later."""

plans = Table(
    "plans", metadata,
    Column("id", String(36), primary_key=True),
    Column("status", String(20), nullable=False, index=True),
    Column("effective_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("operations", JSON, nullable=False),
    Column("applied_at", DateTime(timezone=True)),
    Column("events", Integer, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
)
"""Reorganisation plans: stored, then applied at their effective time (pending, applied, failed)."""

audit_log = Table(
    "audit_log", metadata,
    Column("seq", SERIAL, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(80), nullable=False),
    Column("target", Text, nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
"""Operators' actions, append-only and hash-chained."""

used_assertions = Table(
    "used_assertions", metadata,
    Column("jti", String(200), primary_key=True),
    Column("client_id", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)
"""``private_key_jwt`` client assertions already used (refused if replayed before they expire)."""
