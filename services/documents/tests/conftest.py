"""Fixtures of the documents service's tests: its database on SQLite and PostgreSQL, a file blob store,
and in-process stand-ins for the registry and signing ports (their gRPC clients are exercised end to end)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from lienthong.documents.adapters.repository import SqlDocumentRepository
from lienthong.documents.bootstrap import MIGRATIONS
from lienthong.documents.service.use_cases import Documents, RecipientCheck, SignatureVerdict
from lienthong.platform.auth import Principal
from lienthong.platform.blob.file import FileBlobStore
from lienthong.platform.db import Database, run_migrations

AGENCIES = {"000.00.07.H99": "Sở Khoa học và Công nghệ tỉnh Hòa Sơn", "000.00.31.H99": "UBND xã Tân Phú",
            "000.00.32.H99": "UBND xã Tân An", "000.00.11.H99": "Sở Tài chính tỉnh Hòa Sơn"}
SENDER = "000.00.07.H99"
GROUPS = {"group:communes": ("000.00.31.H99", "000.00.32.H99"), "group:departments": ("000.00.07.H99", "000.00.11.H99"),
          "group:level=district": ()}
"""The recipient groups the registry stand-in knows (the registry owns the grammar and is tested there)."""


class RegistryStandIn:
    """The registry port: the agencies above, document identifiers <code>-YYYY.N."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self.reserved: dict[str, str] = {}
        self.confirmed: set[str] = set()
        self.voided: dict[str, str] = {}

    def check_recipients(self, recipients: list[str], sender_code: str) -> list[RecipientCheck]:
        return [self._check(text, sender_code) for text in recipients]

    @staticmethod
    def _check(text: str, sender_code: str) -> RecipientCheck:
        if text.lower().startswith("group:"):
            if text not in GROUPS:
                return RecipientCheck(text, group=True, error=f"unknown recipient group {text!r}")
            if not set(GROUPS[text]) - {sender_code}:
                return RecipientCheck(text, group=True, error=f"the group {text!r} matches no active agency")
            return RecipientCheck(text, group=True)
        if text not in AGENCIES:
            return RecipientCheck(text, error=f"agency {text} is not in the registry", unknown=True)
        return RecipientCheck(text, name=AGENCIES[text])

    def reserve_identifier(self, agency_code: str, issued_at: str, purpose: str) -> str:
        identifier = f"{agency_code}-{issued_at[:4]}.{next(self._numbers)}"
        self.reserved[identifier] = purpose
        return identifier

    def confirm_identifier(self, identifier: str, reference: str) -> None:
        assert self.reserved.pop(identifier) == reference
        self.confirmed.add(identifier)

    def void_identifier(self, identifier: str, reason: str) -> None:
        del self.reserved[identifier]
        self.voided[identifier] = reason


class DeliveriesStandIn:
    """The routing port: which agencies received which document (set by the tests)."""

    def __init__(self) -> None:
        self.received: dict[str, set[str]] = {}

    def received_by(self, document_id: str, agency_codes: list[str]) -> list[str]:
        return sorted(self.received.get(document_id, set()).intersection(agency_codes))


class SigningStandIn:
    """The signing port: a PDF holding ``/ByteRange`` counts as validly signed."""

    def __init__(self) -> None:
        self.validated: list[str] = []

    def validate_pdf(self, file: BinaryIO, *, file_name: str, agency_code: str,
                     document_ref: str) -> SignatureVerdict:
        self.validated.append(file_name)
        pdf = file.read()
        if b"/ByteRange" in pdf:
            return SignatureVerdict(signed=True, indication="TOTAL_PASSED", report_id=f"report-{file_name}")
        return SignatureVerdict(signed=False, indication="", report_id=f"report-{file_name}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'documents.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    run_migrations(db.engine, MIGRATIONS)
    yield db
    db.dispose()


@pytest.fixture
def signing() -> SigningStandIn:
    return SigningStandIn()


@pytest.fixture
def registry() -> RegistryStandIn:
    return RegistryStandIn()


@pytest.fixture
def deliveries() -> DeliveriesStandIn:
    return DeliveriesStandIn()


@pytest.fixture
def documents(database: Database, tmp_path: Path, registry: RegistryStandIn, signing: SigningStandIn,
              deliveries: DeliveriesStandIn) -> Documents:
    return Documents(database, FileBlobStore(tmp_path / "blobs"), registry, signing, deliveries=deliveries,
                     repository=SqlDocumentRepository, paper_document_types=frozenset({"Quyết định"}))


def _embedded(tmp_path: Path, name: str) -> Iterator[Documents]:
    db = Database(f"sqlite:///{tmp_path / f'{name}.sqlite3'}")
    run_migrations(db.engine, MIGRATIONS)
    yield Documents(db, FileBlobStore(tmp_path / f"{name}-blobs"), RegistryStandIn(), SigningStandIn(),
                    deliveries=DeliveriesStandIn(), repository=SqlDocumentRepository)
    db.dispose()


@pytest.fixture
def second_axis(tmp_path: Path) -> Iterator[Documents]:
    """Another axis' documents service: its own SQLite database and blob store."""
    yield from _embedded(tmp_path, "second")


@pytest.fixture
def embedded_documents(tmp_path: Path) -> Iterator[Documents]:
    """The documents service on SQLite only (for tests of the entry points, whatever the database)."""
    yield from _embedded(tmp_path, "embedded")


@pytest.fixture
def sender() -> Principal:
    return Principal(subject="client-skhcn", agencies=frozenset({SENDER}), scopes=frozenset())
