"""Routing benchmark: documents submitted → available to every recipient, fan-out, push isolation.

    uv run python bench/routing_bench.py [--rate 100] [--seconds 10] [--bootstrap HOST:PORT]

Distributed mode, routing alone: the real routing process (``python -m lienthong.routing``) on a
fresh PostgreSQL database and a Tansu broker started for the run (or ``--bootstrap``). The other
services are stood in for on loopback: the documents service by publishing ``DocumentSubmitted``
events to ``lienthong.documents.v1`` (as its outbox relay does), the registry by a gRPC server
implementing the registry contract over a generated directory (2,000 communes, pull agencies,
agencies whose system takes pushes on a healthy endpoint, one agency whose endpoint hangs).

A document is *available* when every one of its deliveries' ``Delivered`` events has reached
``lienthong.routing.v1`` and this process consumed it: the time includes the routing consumer,
its transaction, the outbox relay and the broker both ways. Figures:

1. 1 recipient at ``--rate`` documents/s for ``--seconds``: latency p50/p99, achieved rate;
   then a burst (as fast as routing takes them): documents/s.
2. 10 recipients: the same at ``--rate / 5`` and as a burst.
3. One document to ``group:communes`` (2,000 agencies): time until all 2,000 are available.
4. Push: documents to agencies whose systems take pushes (healthy endpoint), p50/p99 to ``pushed``:
   alone, beside a stream of 10 documents/s to a pulling agency (the same extra load), and beside
   a stream of 10 documents/s to the agency whose endpoint hangs (retries, breaker, dead letters).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from confluent_kafka import Consumer

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.api.routing.v1 import events_pb2 as routing_events
from lienthong.platform.grpc import Servicer, build_server
from lienthong.platform.messaging import Event
from lienthong.platform.messaging.kafka import KafkaTransport
from lienthong.testing.kafka import start_tansu, stop_tansu
from lienthong.testing.net import free_port
from lienthong.testing.postgres import create_database, drop_database

SENDER = "000.00.11.H97"
PULL = [f"000.00.{20 + i}.H97" for i in range(10)]
PUSH = [f"000.00.{40 + i}.H97" for i in range(10)]
DEAD = "000.00.60.H97"
COMMUNES = [f"{i // 100:03d}.{i % 100:02d}.51.H97" for i in range(2000)]


class Directory(registry_pb2_grpc.RegistryServiceServicer):
    """The registry contract over the generated directory."""

    def __init__(self, healthy: str, dead: str):
        self.levels = {SENDER: "province", DEAD: "province", **{c: "province" for c in PULL + PUSH},
                       **{c: "commune" for c in COMMUNES}}
        self.endpoints = {**{c: healthy for c in PUSH}, DEAD: dead}

    def ResolveRecipients(self, request, context):
        """Codes resolve to themselves; ``group:communes`` stands for the generated communes."""
        def resolved(text: str) -> registry_pb2.ResolvedRecipient:
            if text == "group:communes":
                return registry_pb2.ResolvedRecipient(recipient=text, group=True, agencies=[
                    registry_pb2.Agency(code=c, status="active", level="commune") for c in COMMUNES])
            return registry_pb2.ResolvedRecipient(recipient=text, succession_chain=[text], agencies=[
                registry_pb2.Agency(code=text, status="active", level=self.levels.get(text, "province"))])
        return registry_pb2.ResolveRecipientsResponse(recipients=[resolved(r) for r in request.recipients])

    def ListAgencies(self, request, context):
        codes = [c for c, level in self.levels.items() if not request.level or level == request.level]
        start = int(request.page_token or 0)
        size = request.page_size or 500
        page = codes[start:start + size]
        return registry_pb2.ListAgenciesResponse(
            agencies=[registry_pb2.Agency(code=c, status="active", level=self.levels[c]) for c in page],
            next_page_token=str(start + size) if start + size < len(codes) else "")

    def ListAgencySystems(self, request, context):
        endpoint = self.endpoints.get(request.agency_code)
        systems = [registry_pb2.AgencySystem(id=f"sys-{request.agency_code}", agency_code=request.agency_code,
                                             push_endpoint=endpoint, status="active")] if endpoint else []
        return registry_pb2.ListAgencySystemsResponse(systems=systems)


def http_server(delay_s: float) -> tuple[ThreadingHTTPServer, str]:
    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if delay_s:
                time.sleep(delay_s)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/push"


class Watcher(threading.Thread):
    """Consumes lienthong.routing.v1 and notes when each document's deliveries became available/pushed."""

    def __init__(self, bootstrap: str):
        super().__init__(daemon=True)
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"bench-{uuid.uuid4()}",
                                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                                  "fetch.wait.max.ms": 20})
        self.consumer.subscribe(["lienthong.routing.v1"])
        self.delivered: dict[str, set[str]] = defaultdict(set)
        self.last_at: dict[str, float] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            message = self.consumer.poll(0.1)
            if message is None or message.error():
                continue
            event = Event.from_record(message.topic(), message.key(), message.value(), message.headers())
            if not event.type.endswith(".Delivered"):
                continue
            now = time.perf_counter()
            d = event.parse(routing_events.Delivered).delivery
            with self.lock:
                self.delivered[d.document_id].add(d.id)
                self.last_at[d.document_id] = now
        self.consumer.close()

    def complete(self, document_id: str, count: int) -> float | None:
        with self.lock:
            if len(self.delivered.get(document_id, ())) >= count:
                return self.last_at[document_id]
            return None


class Bench:
    def __init__(self, bootstrap: str, registry_target: str, database_url: str, workdir: Path):
        self.transport = KafkaTransport(bootstrap, client_id="bench-documents")
        self.publisher = self.transport.publisher()
        self.watcher = Watcher(bootstrap)
        self.watcher.start()
        http_port = free_port()
        self.base = f"http://127.0.0.1:{http_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIENTHONG_")}
        env.update({
            "LIENTHONG_LOG_LEVEL": "WARNING", "LIENTHONG_MODE": "distributed", "LIENTHONG_TRANSPORT": "kafka",
            "LIENTHONG_KAFKA_BOOTSTRAP_SERVERS": bootstrap, "LIENTHONG_KAFKA_SESSION_TIMEOUT_MS": "6000",
            "LIENTHONG_KAFKA_FETCH_WAIT_MAX_MS": "20", "LIENTHONG_BLOB_BACKEND": "s3",
            "LIENTHONG_ROUTING_DATABASE_URL": database_url, "LIENTHONG_ROUTING_HTTP_PORT": str(http_port),
            "LIENTHONG_ROUTING_GRPC_PORT": str(free_port()),
            "LIENTHONG_ROUTING_REGISTRY_GRPC_TARGET": registry_target,
            "LIENTHONG_JWKS_URL": "http://127.0.0.1:9/unused", "LIENTHONG_DATA_DIR": str(workdir),
            "LIENTHONG_ROUTING_PUSH_TIMEOUT_S": "2",
        })
        self.log = (workdir / "routing.log").open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "lienthong.routing"], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"routing did not start; see {workdir / 'routing.log'}")
            time.sleep(0.1)

    def submit(self, recipients: list[str]) -> tuple[str, float]:
        doc = documents_pb2.Document(id=str(uuid.uuid4()), identifier=f"{SENDER}-2026.1", sender_code=SENDER,
                                     recipient_codes=recipients, subject="Văn bản đo hiệu năng")
        at = time.perf_counter()
        self.publisher.publish([Event.of(DocumentSubmitted(document=doc), service="documents", key=doc.id)])
        return doc.id, at

    def run(self, recipients_of: list[list[str]], rate: float | None, count_of: int,
            timeout_s: float = 300) -> tuple[list[float], float]:
        """Submit documents at ``rate`` per second (None: as fast as possible); latencies (s) and docs/s."""
        sent: list[tuple[str, float]] = []
        started = time.perf_counter()
        for i, recipients in enumerate(recipients_of):
            if rate:
                due = started + i / rate
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
            sent.append(self.submit(recipients))
        deadline = time.monotonic() + timeout_s
        latencies: list[float] = []
        last = started
        for doc, at in sent:
            while (done := self.watcher.complete(doc, count_of)) is None:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"document {doc} not available within {timeout_s}s")
                time.sleep(0.01)
            latencies.append(done - at)
            last = max(last, done)
        return latencies, len(sent) / (last - started)

    def close(self) -> None:
        self.watcher.stop.set()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.publisher.close()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, latencies: list[float], rate: float) -> None:
    print(f"{name:58s} {len(latencies):5d} docs  {rate:7.1f} docs/s  p50 {pct(latencies, 50) * 1000:7.1f} ms  "
          f"p99 {pct(latencies, 99) * 1000:7.1f} ms  max {max(latencies) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds of the push comparison")
    parser.add_argument("--bootstrap")
    args = parser.parse_args()
    tansu = None
    bootstrap = args.bootstrap
    if not bootstrap:
        port = free_port()
        tansu = start_tansu(port)
        bootstrap = f"127.0.0.1:{port}"
    healthy, healthy_url = http_server(0.0)
    dead, dead_url = http_server(3600.0)
    registry_port = free_port()
    registry = build_server(f"127.0.0.1:{registry_port}", [Servicer(
        registry_pb2_grpc.add_RegistryServiceServicer_to_server, Directory(healthy_url, dead_url),
        "lienthong.api.registry.v1.RegistryService")])
    registry.start()
    database_url = create_database("lt_bench_routing")
    workdir = Path(tempfile.mkdtemp(prefix="routing-bench-"))
    bench = Bench(bootstrap, f"127.0.0.1:{registry_port}", database_url, workdir)
    try:
        n = int(args.rate * args.seconds)
        print(f"routing bench: distributed (routing process on PostgreSQL + Tansu), {os.cpu_count()} CPUs")
        bench.run([[PULL[i % 10]] for i in range(50)], None, 1)  # warm-up: connections, topics, caches
        bench.run([PULL] * 10, None, 10)
        lat, rate = bench.run([[PULL[i % 10]] for i in range(n)], args.rate, 1)
        report(f"1 recipient at {args.rate:g} docs/s offered", lat, rate)
        lat, rate = bench.run([[PULL[i % 10]] for i in range(n)], None, 1)
        report("1 recipient, burst", lat, rate)
        ten_rate = args.rate / 5
        lat, rate = bench.run([PULL] * int(ten_rate * args.seconds), ten_rate, 10)
        report(f"10 recipients at {ten_rate:g} docs/s offered", lat, rate)
        lat, rate = bench.run([PULL] * int(ten_rate * args.seconds), None, 10)
        report("10 recipients, burst", lat, rate)
        lat, _ = bench.run([["group:communes"]], None, len(COMMUNES), timeout_s=120)
        print(f"{'one document to group:communes (2,000 recipients)':58s} all available in {lat[0]:.2f} s")

        push_rate = args.rate / 2
        count = int(push_rate * args.seconds)

        def pushes(agency: str | None, label: str) -> float:
            """p99 of pushes to healthy endpoints, beside a stream of 10 docs/s to ``agency`` if given."""
            stop = threading.Event()

            def stream() -> None:
                while not stop.wait(0.1):
                    bench.submit([agency])

            feeder = threading.Thread(target=stream, daemon=True)
            if agency:
                feeder.start()
                time.sleep(3)  # the stream flows (a hanging endpoint's requests hang, its breaker opens)
            try:
                lat, rate = bench.run([[PUSH[i % 10]] for i in range(count)], push_rate, 1)
            finally:
                stop.set()
                if agency:
                    feeder.join()
            report(f"push {push_rate:g} docs/s to healthy endpoints, {label}", lat, rate)
            return pct(lat, 99)

        p99s: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.rounds):  # alternated, medians: the machine is shared, single runs are noisy
            p99s["alone"].append(pushes(None, "alone"))
            p99s["control"].append(pushes(PULL[0], "+10 docs/s to pull"))
            p99s["dead"].append(pushes(DEAD, "+10 docs/s to a hanging endpoint"))
        alone, control, dead_p99 = (statistics.median(p99s[k]) for k in ("alone", "control", "dead"))
        print(f"{'median p99: alone / +pull load / +hanging endpoint':58s} {alone * 1000:.1f} / "
              f"{control * 1000:.1f} / {dead_p99 * 1000:.1f} ms")
        print(f"{'hanging endpoint vs the same extra load (median p99)':58s} {dead_p99 / control - 1:+.1%}")
        print(f"{'hanging endpoint vs alone (median p99)':58s} {dead_p99 / alone - 1:+.1%}")
    finally:
        bench.close()
        registry.stop(0)
        healthy.shutdown()
        dead.shutdown()
        drop_database(database_url)
        if tansu is not None:
            stop_tansu(tansu)


if __name__ == "__main__":
    main()
