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
from lienthong.documents.service.use_cases import Documents, SignatureVerdict
from lienthong.platform.auth import Principal
from lienthong.platform.blob.file import FileBlobStore
from lienthong.platform.db import Database, run_migrations

AGENCIES = {"000.00.07.H99": "Sở Khoa học và Công nghệ tỉnh Hòa Sơn", "000.00.31.H99": "UBND xã Tân Phú",
            "000.00.32.H99": "UBND xã Tân An", "000.00.11.H99": "Sở Tài chính tỉnh Hòa Sơn"}
SENDER = "000.00.07.H99"


class RegistryStandIn:
    """The registry port: the agencies above, document identifiers <code>-YYYY.N."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self.reserved: dict[str, str] = {}
        self.confirmed: set[str] = set()
        self.voided: dict[str, str] = {}

    def agency_names(self, codes: list[str]) -> dict[str, str | None]:
        return {code: AGENCIES.get(code) for code in codes}

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
def documents(database: Database, tmp_path: Path, registry: RegistryStandIn, signing: SigningStandIn) -> Documents:
    return Documents(database, FileBlobStore(tmp_path / "blobs"), registry, signing,
                     repository=SqlDocumentRepository, paper_document_types=frozenset({"Quyết định"}))


def _embedded(tmp_path: Path, name: str) -> Iterator[Documents]:
    db = Database(f"sqlite:///{tmp_path / f'{name}.sqlite3'}")
    run_migrations(db.engine, MIGRATIONS)
    yield Documents(db, FileBlobStore(tmp_path / f"{name}-blobs"), RegistryStandIn(), SigningStandIn(),
                    repository=SqlDocumentRepository)
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
