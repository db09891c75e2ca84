"""Numbering under concurrency, identities and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import threading
from datetime import datetime, timedelta

import jwt
import pytest
from sqlalchemy import select, text

from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.platform.errors import IllegalState, InvalidInput, NotFound, Unauthenticated
from lienthong.registry.adapters.tables import system_secrets

FINANCE, HOME = "000.00.11.H99", "000.00.12.H99"


def test_concurrent_issuance_is_gapless_and_unique(registry) -> None:
    issued: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        for n in range(15):
            number = registry.numbering.issue(FINANCE, purpose=f"doc {i}.{n}")
            if n % 5 == 4:
                registry.numbering.void(number.identifier, reason="draft abandoned")
            else:
                registry.numbering.confirm(number.identifier, reference=f"doc {i}.{n}")
            with lock:
                issued.append(number.identifier)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(issued)) == len(issued) == 120
    [report] = registry.numbering.report(agency_code=FINANCE)
    assert report.max_number == 120 and report.missing == [] and report.reserved == []
    assert (report.confirmed, report.voided) == (96, 24) and report.closed


def test_year_is_taken_in_vietnam_time_and_sequences_are_separate(registry) -> None:
    utc_new_year = datetime.fromisoformat("2026-12-31T17:30:00+00:00")  # already 2027 in Vietnam
    assert registry.numbering.issue(HOME, issued_at=utc_new_year).identifier == f"{HOME}-2027.1"
    assert registry.numbering.issue(HOME, sequence="incoming_arrival", issued_at=utc_new_year).key.number == 1
    assert registry.numbering.issue(HOME, issued_at=utc_new_year).key.number == 2


def test_confirm_and_void_are_idempotent_and_checked(registry) -> None:
    a = registry.numbering.issue(FINANCE).identifier
    assert registry.numbering.confirm(a, reference="d1") == registry.numbering.confirm(a) == "confirmed"
    with pytest.raises(IllegalState):
        registry.numbering.void(a, reason="x")
    b = registry.numbering.issue(FINANCE).identifier
    with pytest.raises(InvalidInput):
        registry.numbering.void(b, reason="  ")
    assert registry.numbering.void(b, reason="typo") == registry.numbering.void(b, reason="typo") == "voided"
    with pytest.raises(IllegalState):
        registry.numbering.confirm(b)
    with pytest.raises(NotFound):
        registry.numbering.confirm(f"{FINANCE}-2026.999")
    with pytest.raises(IllegalState):  # a closed agency issues nothing
        registry.directory.dissolve(actor="t", code="000.00.52.H99", successor_code="000.00.51.H99")
        registry.numbering.issue("000.00.52.H99")


def test_expired_reservations_are_voided_never_reissued(registry) -> None:
    a = registry.numbering.issue(FINANCE)
    assert registry.numbering.expire_due(clock.now()) == 0
    assert registry.numbering.expire_due(clock.now() + timedelta(hours=1)) == 1
    with pytest.raises(IllegalState):
        registry.numbering.confirm(a.identifier)
    assert registry.numbering.issue(FINANCE).key.number == a.key.number + 1
    [report] = registry.numbering.report(agency_code=FINANCE)
    assert report.voided == 1 and report.reserved == [a.key.number + 1] and report.gapless


def test_a_stored_documents_event_confirms_its_number_even_after_the_reservation_expired(registry,
                                                                                       settings) -> None:
    on_time, late = registry.numbering.issue(FINANCE), registry.numbering.issue(FINANCE)
    assert registry.numbering.expire_due(clock.now() + timedelta(hours=1)) == 2  # documents could not confirm
    database = Database(settings.database_url)
    try:
        for number in (on_time, late, late):  # the consumer's transactions; a redelivery changes nothing
            with database.unit_of_work() as uow:
                registry.numbering.confirm_carried(uow, number.identifier, f"document {number.key.number}")
                uow.commit()
    finally:
        database.dispose()
    [report] = registry.numbering.report(agency_code=FINANCE)
    assert (report.confirmed, report.voided, report.missing) == (2, 0, [])


def test_tokens_jwks_rotation_and_clients(registry) -> None:
    creds = registry.identities.add_client(name="QLVB Sở Tài chính", agency_codes=[FINANCE])
    token, ttl, scope = registry.identities.issue_token(creds.client_id, creds.client_secret)
    keys = registry.identities.jwks()["keys"]
    claims = jwt.decode(token, jwt.PyJWK(keys[0]).key, algorithms=["ES256"], audience="lienthong",
                        issuer="lienthong")
    assert claims["agencies"] == [FINANCE] and claims["role"] == "agency-system" and "documents:write" in scope
    assert ttl == 900 and claims["exp"] - claims["iat"] == ttl
    new_kid = registry.identities.rotate_signing_key(actor="t")
    published = [k["kid"] for k in registry.identities.jwks()["keys"]]
    assert published[0] == new_kid and len(published) == 2  # the old key stays during the rollover
    token2, _, _ = registry.identities.issue_token(creds.client_id, creds.client_secret)
    assert jwt.get_unverified_header(token2)["kid"] == new_kid
    for cid, secret in ((creds.client_id, "wrong"), ("nobody", creds.client_secret)):
        with pytest.raises(Unauthenticated):
            registry.identities.issue_token(cid, secret)
    with pytest.raises(NotFound):
        registry.identities.add_client(name="x", agency_codes=["000.00.98.H99"])


def sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def test_system_secrets_encrypted_rotated_and_verified(registry) -> None:
    creds = registry.identities.register_system(owner_agency=FINANCE, name="VNPT-iOffice STC", actor="t",
                                                system_id="00.99.W01", agency_codes=["000.01.11.H99"])
    assert len(creds.secret) == 44
    message = '{"XroadVnpt-systemid":"00.99.W01","XroadVnpt-timestamp":"25112026T080000+0123"}'
    assert registry.identities.verify_signature("00.99.W01", message, sign(creds.secret, message)).agency_codes \
        == [FINANCE, "000.01.11.H99"]
    with registry.database.engine.connect() as conn:
        stored = conn.execute(select(system_secrets.c.ciphertext)).scalars().all()
    assert stored and all(creds.secret not in c for c in stored)
    new_secret = registry.identities.rotate_system_secret("00.99.W01", actor="t")
    for secret in (creds.secret, new_secret):  # both valid during the overlap
        registry.identities.verify_signature("00.99.W01", message, sign(secret, message))
    with pytest.raises(Unauthenticated):
        registry.identities.verify_signature("00.99.W01", message, sign("forged", message))
    assert [s.system_id for s in registry.identities.systems_acting_for("000.01.11.H99")] == ["00.99.W01"]
    registry.identities.set_system_status("00.99.W01", "disabled", actor="t")
    with pytest.raises(NotFound):  # unknown or disabled: its own error, apart from a wrong signature
        registry.identities.verify_signature("00.99.W01", message, sign(new_secret, message))
    with pytest.raises(Unauthenticated):  # its OAuth2 client is disabled too
        registry.identities.issue_token(creds.client_id, creds.client_secret)


def test_audit_chain_detects_tampering(registry) -> None:
    registry.directory.rename(actor="operator:x", code=HOME, name="Sở Nội vụ (đổi tên)")
    registry.identities.add_client(name="Op", agency_codes=[], operator=True, actor="operator:x")
    intact, count, _ = registry.audit.verify()
    assert intact and count >= 3
    entries = registry.audit.entries()
    assert entries[-1].prev_hash == entries[-2].hash
    with registry.database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = :s"), {"s": entries[-2].seq})
    assert registry.audit.verify()[0] is False
