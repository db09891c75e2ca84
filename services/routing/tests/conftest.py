"""Fixtures of routing's tests: real tokens (ES256, JWKS over loopback HTTP), real databases, the service
built through its bootstrap with a registry fake, and a recipient system's push endpoint on loopback."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.registry.v1.events_pb2 import AgencyCreated
from lienthong.platform.auth import TokenVerifier
from lienthong.platform.grpc import build_server
from lienthong.platform.http import create_app
from lienthong.platform.messaging import Event
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.routing import bootstrap
from lienthong.routing.service.ports import Recipient, Resolution
from lienthong.routing.settings import RoutingSettings
from lienthong.testing.net import free_port
from lienthong.testing.tokens import jwks_issuer

ISSUER = AUDIENCE = "lienthong"
KID = "routing-tests"
PROVINCE = "000.00.00.H99"
FINANCE, HOME, HEALTH, EDUCATION = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99", "000.00.14.H99"
COMMUNES = [f"000.{i // 100:02d}.{i % 100:02d}.H98" for i in range(1, 6)]


@dataclass
class Tokens:
    """Signs access tokens with a test key whose JWKS is served over loopback HTTP."""

    key: ec.EllipticCurvePrivateKey
    verifier: TokenVerifier

    def headers(self, *agencies: str, role: str = "agency-system", subject: str | None = None) -> dict[str, str]:
        now = int(time.time())
        claims = {"sub": subject or f"client-{role}-{'-'.join(agencies) or 'none'}", "agencies": list(agencies),
                  "role": role, "scope": "", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600}
        return {"Authorization": f"Bearer {jwt.encode(claims, self.key, algorithm='ES256', headers={'kid': KID})}"}


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="session")
def tokens() -> Iterator[Tokens]:
    with jwks_issuer(KID) as issuer:
        yield Tokens(key=issuer.key, verifier=issuer.verifier(issuer=ISSUER, audience=AUDIENCE))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Routing's database URL: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'routing.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@dataclass
class AgencyRecord:
    code: str
    level: str = "province"
    kind: str = "department"
    parent: str = PROVINCE
    status: str = "active"
    successor: str = ""
    served_by: str = ""


GROUPS = {"group:communes": ("level", "commune"), "group:departments": ("kind", "department")}


@dataclass
class FakeRegistry:
    """The registry's answers (the Directory port), counting the calls made to it."""

    agencies: dict[str, AgencyRecord] = field(default_factory=dict)
    push: dict[str, list[str]] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def add(self, code: str, **kw: Any) -> None:
        self.agencies[code] = AgencyRecord(code, **kw)

    def _count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    def resolve_recipients(self, recipients: Sequence[str]) -> list[Recipient]:
        """Codes follow successors; the two groups the tests use stand for the active communes or departments
        (the registry owns the full grammar and is tested there)."""
        self._count("resolve_recipients")
        return [self._recipient(text.strip()) for text in recipients]

    def _recipient(self, text: str) -> Recipient:
        if text in GROUPS:
            field_name, value = GROUPS[text]
            members = tuple(Resolution(code=a.code, served_by=a.served_by) for a in self.agencies.values()
                            if a.status == "active" and getattr(a, field_name) == value)
            return Recipient(text, True, members, "" if members else f"the group {text!r} matches no active agency")
        if text.startswith("group:"):
            return Recipient(text, True, error=f"unknown recipient group {text!r}")
        chain = [text]
        record = self.agencies.get(text)
        if record is None:
            return Recipient(text, False, error=f"agency {text} does not exist")
        while record.status != "active" and record.successor:
            record = self.agencies[record.successor]
            chain.append(record.code)
        if record.status != "active":
            return Recipient(text, False, error=f"agency {record.code} is {record.status} and has no successor")
        return Recipient(text, False, (Resolution(code=record.code, chain=tuple(chain) if len(chain) > 1 else (),
                                                  served_by=record.served_by),))

    def push_endpoints(self, agency_code: str) -> list[str]:
        self._count("push_endpoints")
        return list(self.push.get(agency_code, []))


def sample_registry() -> FakeRegistry:
    registry = FakeRegistry()
    registry.add(PROVINCE, kind="people-committee", parent="")
    for code in (FINANCE, HOME, HEALTH, EDUCATION):
        registry.add(code)
    for code in COMMUNES:
        registry.add(code, level="commune", kind="people-committee")
    return registry


@dataclass
class PushEndpoint:
    """A recipient system's webhook on loopback: answers with ``status`` (or hangs ``delay_s``), records posts."""

    url: str
    received: list[tuple[dict[str, str], bytes, str]] = field(default_factory=list)
    status: int = 204
    delay_s: float = 0.0


@pytest.fixture
def push_endpoint() -> Iterator[Callable[[], PushEndpoint]]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def make() -> PushEndpoint:
        endpoint = PushEndpoint(url="")

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if endpoint.delay_s:
                    time.sleep(endpoint.delay_s)
                endpoint.received.append(({k.lower(): v for k, v in self.headers.items()}, body, self.path))
                self.send_response(endpoint.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server, thread = _serve(Hook)
        servers.append((server, thread))
        endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/lienthong/push"
        return endpoint

    yield make
    for server, thread in servers:
        server.shutdown()
        thread.join()


@dataclass
class RoutingHarness:
    """The routing service built by its bootstrap, its workers running, its REST API under a test client."""

    client: TestClient
    registry: FakeRegistry
    publish: Callable[[Event], None]
    settings: RoutingSettings
    grpc_target: str

    def submit(self, sender: str, recipients: list[str], *, business_type: int = 0,
               refers_to: tuple[str, ...] = (), document_id: str | None = None, number: str = "15") -> str:
        document = documents_pb2.Document(
            id=document_id or str(uuid.uuid4()), identifier=f"{sender}-2026.1", sender_code=sender,
            recipient_codes=recipients, subject="Về việc thử nghiệm định tuyến", code_number=number,
            code_notation="QĐ-STC", promulgation_date="2026-11-25",
            attachments=[documents_pb2.Attachment(name="qd.pdf", media_type="application/pdf", sha256="ab" * 32,
                                                  size=10)])
        self.publish(Event.of(DocumentSubmitted(document=document, business_doc_type=business_type,
                                                refers_to_document_ids=list(refers_to)),
                              service="documents", key=document.id))
        return document.id

    def registry_changed(self, code: str) -> None:
        self.publish(Event.of(AgencyCreated(code=code, name="x", level="commune"), service="registry", key=code))


@pytest.fixture
def make_harness(tmp_path: Path, database_url: str, tokens: Tokens) -> Iterator[Callable[..., RoutingHarness]]:
    stops: list[tuple[threading.Event, list[threading.Thread], Any]] = []
    servers: list[Any] = []

    def make(registry: FakeRegistry | None = None, **overrides: Any) -> RoutingHarness:
        registry = registry or sample_registry()
        settings = RoutingSettings(data_dir=tmp_path, database_url=database_url, **{
            "push_backoff_base_s": 0.05, "push_backoff_max_s": 0.2, "push_timeout_s": 1.0,
            "push_breaker_cooldown_s": 0.5, **overrides})
        transport = LocalLogTransport(tmp_path / "events.sqlite3", max_attempts=3)
        app = bootstrap.build(settings, transport=transport, directory=registry)
        stop = threading.Event()
        threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in app.workers]
        for t in threads:
            t.start()
        stops.append((stop, threads, app))
        publisher = transport.publisher()
        client = TestClient(create_app(title="routing test", routers=[app.router], verifier=tokens.verifier))
        port = free_port()
        server = build_server(f"127.0.0.1:{port}", app.servicers)
        server.start()
        servers.append(server)
        return RoutingHarness(client=client, registry=registry, publish=lambda e: publisher.publish([e]),
                              settings=settings, grpc_target=f"127.0.0.1:{port}")

    yield make
    for server in servers:
        server.stop(0)
    for stop, threads, app in stops:
        stop.set()
        for t in threads:
            t.join(timeout=10)
        app.close()
