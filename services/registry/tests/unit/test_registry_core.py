"""Registry use cases on a real SQLite database."""

from __future__ import annotations

import threading
from datetime import datetime

import jwt
import pytest

from lienthong.platform import clock
from lienthong.platform.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from lienthong.registry.bootstrap import build_core
from lienthong.registry.entrypoints.cli import sample_agencies
from lienthong.registry.settings import RegistrySettings


@pytest.fixture
def registry(tmp_path):
    reg, db = build_core(RegistrySettings(data_dir=tmp_path))
    reg.import_agencies(sample_agencies())
    yield reg
    db.dispose()


def test_codes_are_checked_and_names_normalised(registry):
    with pytest.raises(InvalidInput):
        registry.create_agency(code="000.00.12.h99/..", name="x", parent_code=None, level="province")
    decomposed = "Sở Công Thương"  # NFC
    import unicodedata
    a = registry.create_agency(code="000.00.20.H99", name=unicodedata.normalize("NFD", decomposed),
                               parent_code="000.00.00.H99", level="province")
    assert a.name == decomposed
    with pytest.raises(Conflict):
        registry.create_agency(code="000.00.20.H99", name="again", parent_code="000.00.00.H99", level="province")
    with pytest.raises(InvalidInput):
        registry.create_agency(code="000.00.21.H99", name="orphan", parent_code="000.00.88.H99", level="province")


def test_document_identifiers_are_gapless_per_agency_and_year(registry):
    t = datetime(2026, 12, 31, 23, 30, tzinfo=clock.VN_TZ)
    ids = [registry.issue_document_identifier("000.00.11.H99", t).identifier for _ in range(3)]
    assert ids == ["000.00.11.H99-2026.1", "000.00.11.H99-2026.2", "000.00.11.H99-2026.3"]
    # 2026-12-31 17:30 UTC is already 2027 in Vietnam
    utc = datetime.fromisoformat("2026-12-31T17:30:00+00:00")
    assert registry.issue_document_identifier("000.00.11.H99", utc).identifier == "000.00.11.H99-2027.1"
    assert registry.issue_document_identifier("000.00.12.H99", t).identifier == "000.00.12.H99-2026.1"


def test_concurrent_identifiers_never_collide(registry):
    out: list[str] = []
    lock = threading.Lock()

    def take():
        for _ in range(10):
            ident = registry.issue_document_identifier("000.00.07.H99").identifier
            with lock:
                out.append(ident)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = sorted(int(i.rsplit(".", 1)[1]) for i in out)
    assert numbers == list(range(1, 41))


def test_resolve_unknown_and_known(registry):
    assert registry.resolve("000.00.12.H99").agency.name == "Sở Nội vụ tỉnh Mẫu"
    with pytest.raises(NotFound):
        registry.resolve("000.00.99.H99")


def test_client_credentials_and_jwks(registry):
    creds = registry.add_client(name="QLVB Sở Tài chính", agency_codes=["000.00.11.H99"])
    token, ttl, scope = registry.issue_token(creds.client_id, creds.client_secret)
    jwks = registry.jwks()
    key = jwt.PyJWK(jwks["keys"][0])
    claims = jwt.decode(token, key.key, algorithms=["ES256"], audience="lienthong", issuer="lienthong")
    assert claims["agencies"] == ["000.00.11.H99"] and claims["sub"] == creds.client_id
    assert "documents:write" in scope and ttl > 0
    with pytest.raises(Unauthenticated):
        registry.issue_token(creds.client_id, "wrong")
    with pytest.raises(Unauthenticated):
        registry.issue_token("nobody", creds.client_secret)
    with pytest.raises(NotFound):
        registry.add_client(name="x", agency_codes=["000.00.98.H99"])
