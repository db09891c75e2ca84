"""Fixtures of the registry's tests: the registry on a real SQLite file and on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from lienthong.registry.bootstrap import build_core
from lienthong.registry.entrypoints.cli import load_sample
from lienthong.registry.service.use_cases import Registry
from lienthong.registry.settings import RegistrySettings


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def settings(tmp_path, database_url: str) -> RegistrySettings:
    return RegistrySettings(data_dir=tmp_path, database_url=database_url,
                            secret_encryption_keys=Fernet.generate_key().decode(), reservation_ttl_s=600)


@pytest.fixture
def registry(settings: RegistrySettings) -> Iterator[Registry]:
    """The registry with the sample province loaded (versions valid from 2025-07-01)."""
    reg, db = build_core(settings)
    load_sample(reg)
    reg.database = db  # type: ignore[attr-defined]  # for tests that inspect rows
    yield reg
    db.dispose()
