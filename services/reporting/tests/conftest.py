"""Fixtures of reporting's tests: real tokens (ES256, JWKS over loopback HTTP) and real databases."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from lienthong.api.archive.v1 import archive_pb2
from lienthong.api.archive.v1 import events_pb2 as archive_events
from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.registry.v1.events_pb2 import AgencyCreated
from lienthong.api.routing.v1 import events_pb2 as routing_events
from lienthong.api.routing.v1 import routing_pb2
from lienthong.api.signing.v1.events_pb2 import SignatureValidated
from lienthong.platform.auth import TokenVerifier
from lienthong.platform.messaging import Event
from lienthong.testing.tokens import jwks_issuer

ISSUER = AUDIENCE = "lienthong"
KID = "reporting-tests"


@dataclass
class Tokens:
    """Signs access tokens with a test key whose JWKS is served over loopback HTTP."""

    key: ec.EllipticCurvePrivateKey
    verifier: TokenVerifier

    def token(self, *agencies: str, role: str = "agency-system") -> str:
        now = int(time.time())
        claims = {"sub": f"client-{role}-{'-'.join(agencies) or 'none'}", "agencies": list(agencies),
                  "role": role, "scope": "reports:read", "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                  "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": KID})

    def headers(self, *agencies: str, role: str = "agency-system") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*agencies, role=role)}"}


@pytest.fixture(scope="session")
def tokens() -> Iterator[Tokens]:
    with jwks_issuer(KID) as issuer:
        yield Tokens(key=issuer.key, verifier=issuer.verifier(issuer=ISSUER, audience=AUDIENCE))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Reporting's database URL: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reporting.sqlite3'}"
    return request.getfixturevalue("postgres_url")


class AxisEvents:
    """Real events of the axis' topics, built from the proto messages as their producers build them."""

    @staticmethod
    def submitted(sender: str, recipients: list[str], *, signed: bool = False, indication: str = "") -> Event:
        document = documents_pb2.Document(
            id=str(uuid.uuid4()), identifier=f"{sender}-2026.1", sender_code=sender, recipient_codes=recipients,
            signature=documents_pb2.SignatureSummary(signed=signed, indication=indication))
        return Event.of(DocumentSubmitted(document=document), service="documents", key=document.id)

    @staticmethod
    def delivered(sender: str, recipient: str, *, addressed: str | None = None) -> Event:
        delivery = routing_pb2.Delivery(id=str(uuid.uuid4()), document_id=str(uuid.uuid4()), sender_code=sender,
                                        recipient_code=recipient, addressed_code=addressed or recipient,
                                        state="available")
        return Event.of(routing_events.Delivered(delivery=delivery, channel="inbox"), service="routing",
                        key=delivery.document_id)

    @staticmethod
    def queued(sender: str, recipient: str) -> Event:
        delivery = routing_pb2.Delivery(id=str(uuid.uuid4()), document_id=str(uuid.uuid4()), sender_code=sender,
                                        recipient_code=recipient, state="queued")
        return Event.of(routing_events.DeliveryQueued(delivery=delivery), service="routing",
                        key=delivery.document_id)

    @staticmethod
    def agency_created(code: str, name: str, level: str = "province") -> Event:
        return Event.of(AgencyCreated(code=code, name=name, parent_code="000.00.00.H99", level=level,
                                      created_at="2026-01-05T08:00:00.000+07:00"), service="registry", key=code)

    @staticmethod
    def signature_validated(agency: str) -> Event:
        return Event.of(SignatureValidated(report_id="r-1", document_ref="doc", agency_code=agency,
                                           indication="TOTAL_PASSED", signature_count=1),
                        service="signing", key="doc")

    @staticmethod
    def record_archived(document_id: str) -> Event:
        return Event.of(archive_events.RecordArchived(record=archive_pb2.Record(id="rec", document_id=document_id)),
                        service="archive", key=document_id)


@pytest.fixture
def events() -> type[AxisEvents]:
    return AxisEvents
