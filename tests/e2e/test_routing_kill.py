"""Crash safety of routing: SIGKILL the real routing process at random points while documents flow.

The routing process runs in distributed mode (``python -m lienthong.routing``) on a fresh
PostgreSQL database and the Tansu broker. Around it, on loopback: a registry (a gRPC server
implementing the registry contract's Resolve, ListAgencies and ListAgencySystems over a fixed
directory), a JWKS for the recipients' tokens, the documents service's events published to
``lienthong.documents.v1``, and one recipient system per agency that claims, acknowledges and
reports 01 then 03 with Idempotency-Keys, retrying through the crashes. A killer thread
SIGKILLs and restarts routing at random moments meanwhile.

At the end: every (document, addressed recipient) has exactly one delivery and no other agency
got one; every status arrived exactly once, in order; and the events on ``lienthong.routing.v1``
carry each transition of each delivery under one event id (the outbox may repeat an id, never
invent a second one), in order per document.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from confluent_kafka import Consumer
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import create_engine, text

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.api.routing.v1 import events_pb2 as routing_events
from lienthong.platform.grpc import Servicer, build_server
from lienthong.platform.messaging import Event
from lienthong.platform.messaging.kafka import KafkaTransport
from lienthong.testing.net import free_port
from lienthong.testing.tokens import jwks_issuer

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.postgres]

SENDER = "000.00.11.H99"
RECIPIENTS = [f"000.00.{n}.H99" for n in (21, 22, 23, 24, 25)]
OUTSIDER = "000.00.26.H99"  # in the directory, never addressed: must never receive
DOCUMENTS = 40
KILLS = 5
KID = "kill-test"


class Directory(registry_pb2_grpc.RegistryServiceServicer):
    """The registry contract over a fixed directory: every agency active, none pushes."""

    codes = (SENDER, *RECIPIENTS, OUTSIDER)

    def ResolveRecipients(self, request, context):
        return registry_pb2.ResolveRecipientsResponse(recipients=[
            registry_pb2.ResolvedRecipient(recipient=code, agencies=[registry_pb2.Agency(code=code, status="active")],
                                           succession_chain=[code]) if code in self.codes else
            registry_pb2.ResolvedRecipient(recipient=code, error=f"agency {code} does not exist",
                                           error_reason=registry_pb2.RECIPIENT_ERROR_UNKNOWN)
            for code in request.recipients])

    def ListAgencies(self, request, context):
        return registry_pb2.ListAgenciesResponse(
            agencies=[registry_pb2.Agency(code=c, status="active") for c in self.codes])

    def ListAgencySystems(self, request, context):
        return registry_pb2.ListAgencySystemsResponse()


@pytest.fixture
def registry_target() -> Iterator[str]:
    port = free_port()
    server = build_server(f"127.0.0.1:{port}", [Servicer(registry_pb2_grpc.add_RegistryServiceServicer_to_server,
                                                         Directory(), "lienthong.api.registry.v1.RegistryService")])
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(0)


@pytest.fixture
def jwks() -> Iterator[tuple[str, ec.EllipticCurvePrivateKey]]:
    with jwks_issuer(KID) as issuer:
        yield issuer.jwks_url, issuer.key


def token(key: ec.EllipticCurvePrivateKey, agency: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": f"qlvb-{agency}", "agencies": [agency], "role": "agency-system", "iss": "lienthong",
                       "aud": "lienthong", "iat": now, "exp": now + 3600}, key, algorithm="ES256",
                      headers={"kid": KID})


class RoutingProcess:
    """The routing service as its own OS process, restartable on the same database and ports."""

    def __init__(self, env: dict[str, str], log_path: Path, http_port: int):
        self.env = env
        self.log_path = log_path
        self.base = f"http://127.0.0.1:{http_port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "lienthong.routing"], env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"routing exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError("routing did not become healthy")

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class RecipientSystem(threading.Thread):
    """Claims its agency's deliveries, acknowledges them, reports 01 then 03; retries through crashes."""

    def __init__(self, base: str, agency: str, bearer: str, expected: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.agency, self.expected, self.stop_event = base, agency, expected, stop
        self.headers = {"Authorization": f"Bearer {bearer}"}
        self.done: set[str] = set()
        self.errors: list[str] = []

    def _post(self, path: str, **kw) -> httpx.Response | None:
        try:
            return httpx.post(self.base + path, headers={**self.headers, **kw.pop("headers", {})}, timeout=5, **kw)
        except httpx.HTTPError:
            return None  # routing is down: try again later

    def _finish(self, delivery_id: str) -> bool:
        steps = [("/ack", None, {}), ("/statuses", "01", {"Idempotency-Key": f"{delivery_id}-01"}),
                 ("/statuses", "03", {"Idempotency-Key": f"{delivery_id}-03"})]
        for path, code, headers in steps:
            body = {"json": {"status_code": code, "description": "Đã tiếp nhận"}} if code else {}
            r = self._post(f"/api/v1/routing/deliveries/{delivery_id}{path}", headers=headers, **body)
            if r is None:
                return False
            if r.status_code not in (200, 201):
                self.errors.append(f"{self.agency} {delivery_id}{path} {code}: {r.status_code} {r.text}")
                return False
        return True

    def run(self) -> None:
        while not self.stop_event.is_set() and len(self.done) < self.expected:
            r = self._post("/api/v1/routing/inbox/claim", json={"limit": 20})
            claimed = r.json() if r is not None and r.status_code == 200 else []
            for d in claimed:
                if self._finish(d["id"]):
                    self.done.add(d["id"])
            if not claimed:
                time.sleep(0.2)


def test_routing_survives_sigkill_at_random_points(tmp_path: Path, postgres_url: str, kafka_bootstrap: str,
                                                   registry_target: str, jwks) -> None:
    jwks_url, key = jwks
    http_port, grpc_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIENTHONG_")}
    env.update({
        "PYTHONUNBUFFERED": "1", "LIENTHONG_LOG_LEVEL": "WARNING", "LIENTHONG_MODE": "distributed",
        "LIENTHONG_TRANSPORT": "kafka", "LIENTHONG_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "LIENTHONG_KAFKA_SESSION_TIMEOUT_MS": "6000", "LIENTHONG_KAFKA_FETCH_WAIT_MAX_MS": "100",
        "LIENTHONG_BLOB_BACKEND": "s3",  # routing stores no blobs; distributed mode refuses the file store
        "LIENTHONG_ROUTING_DATABASE_URL": postgres_url, "LIENTHONG_ROUTING_HTTP_PORT": str(http_port),
        "LIENTHONG_ROUTING_GRPC_PORT": str(grpc_port), "LIENTHONG_ROUTING_REGISTRY_GRPC_TARGET": registry_target,
        "LIENTHONG_JWKS_URL": jwks_url, "LIENTHONG_DATA_DIR": str(tmp_path / "data"),
        "LIENTHONG_ROUTING_PULL_LEASE_S": "2",
    })
    routing = RoutingProcess(env, tmp_path / "routing.log", http_port)
    routing.start()
    transport = KafkaTransport(kafka_bootstrap, client_id="kill-test-documents")
    publisher = transport.publisher()
    stop = threading.Event()
    systems = [RecipientSystem(routing.base, code, token(key, code), DOCUMENTS, stop) for code in RECIPIENTS]
    for s in systems:
        s.start()
    rng = random.Random(9421)
    kills: list[float] = []

    def killer() -> None:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.5, 3.0))
            routing.kill()
            kills.append(time.monotonic())
            time.sleep(rng.uniform(0.0, 0.5))
            routing.start()

    killing = threading.Thread(target=killer, daemon=True)
    documents: list[str] = []
    try:
        killing.start()
        for i in range(DOCUMENTS):
            doc = documents_pb2.Document(id=str(uuid.uuid4()), identifier=f"{SENDER}-2026.{i + 1}",
                                         sender_code=SENDER, recipient_codes=RECIPIENTS, subject=f"Văn bản {i + 1}")
            publisher.publish([Event.of(DocumentSubmitted(document=doc), service="documents", key=doc.id)])
            documents.append(doc.id)
            time.sleep(rng.uniform(0.0, 0.3))
        killing.join(timeout=120)
        assert len(kills) == KILLS
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and any(len(s.done) < DOCUMENTS for s in systems):
            time.sleep(0.5)
        assert [len(s.done) for s in systems] == [DOCUMENTS] * len(RECIPIENTS), [s.errors[:3] for s in systems]
        assert not [e for s in systems for e in s.errors]
    finally:
        stop.set()
        routing.stop()
        publisher.close()

    # the database: one delivery per (document, addressed recipient), timelines exactly 01, 03
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, document_id, recipient_code, state FROM deliveries")).all()
        timelines = defaultdict(list)
        for delivery_id, code in conn.execute(text("SELECT delivery_id, status_code FROM delivery_statuses "
                                                   "ORDER BY seq")):
            timelines[delivery_id].append(code)
    engine.dispose()
    assert sorted((r.document_id, r.recipient_code) for r in rows) == sorted(
        (d, c) for d in documents for c in RECIPIENTS)
    assert {r.state for r in rows} == {"accepted"}
    assert all(timelines[r.id] == ["01", "03"] for r in rows)

    # the events: each transition of each delivery under exactly one event id, in order per document
    wanted = {"DeliveryQueued", "Delivered", "DeliveryAcknowledged", "StatusReported"}
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    order: dict[str, list[str]] = defaultdict(list)
    consumer = Consumer({"bootstrap.servers": kafka_bootstrap, "group.id": f"kill-check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe(["lienthong.routing.v1"])
    ours = {r.id for r in rows}
    expected = len(rows) * 5
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and len(seen) < expected:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            event = Event.from_record(message.topic(), message.key(), message.value(), message.headers())
            name = event.type.rsplit(".", 1)[1]
            if name not in wanted:
                continue
            payload = event.parse(getattr(routing_events, name))
            if payload.delivery.id not in ours:  # the topic also holds earlier tests' events
                continue
            step = f"{name}:{payload.status_code}" if name == "StatusReported" else name
            if event.id not in seen[(payload.delivery.id, step)]:
                seen[(payload.delivery.id, step)].add(event.id)
                order[payload.delivery.id].append(step)
    finally:
        consumer.close()
    assert len(seen) == expected
    assert all(len(ids) == 1 for ids in seen.values()), "a transition was published under two event ids"
    ladder = ["DeliveryQueued", "Delivered", "DeliveryAcknowledged", "StatusReported:01", "StatusReported:03"]
    out_of_order = {r.id: order[r.id] for r in rows if order[r.id] != ladder}
    assert not out_of_order, out_of_order
    print(f"\n[kill] {KILLS} SIGKILLs, {len(documents)} documents, {len(rows)} deliveries, "
          f"{sum(len(t) for t in timelines.values())} statuses: each exactly once, in order")
