"""Throughput of the two messaging transports: publish and consume N events of S bytes.

    uv run python bench/transport_throughput.py [--events 20000] [--size 1024] [--batch 500]
                                                [--bootstrap HOST:PORT] [--only local|kafka]

The local log is benchmarked in a temporary file. Kafka uses ``--bootstrap`` or,
without it, a Tansu broker (in-memory storage) started for the run. Publishing
is timed over ``publish()`` calls of ``--batch`` events (the outbox relay's way);
consuming from the subscriber's start to the last event handled, with the time
to the first event (the group join, on Kafka) reported on its own.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path

from lienthong.platform import clock
from lienthong.platform.messaging import Event, Transport
from lienthong.platform.messaging.kafka import KafkaTransport
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.testing.kafka import TANSU_TRANSPORT_OPTIONS, start_tansu, stop_tansu
from lienthong.testing.net import free_port


def make_events(topic: str, count: int, size: int) -> list[Event]:
    payload = os.urandom(size)
    now = clock.iso()
    return [Event(id=str(uuid.uuid4()), type="lienthong.api.bench.v1.Blob", source="lienthong/bench", time=now,
                  topic=topic, key=f"doc-{i % 64}", data=payload) for i in range(count)]


def bench(name: str, transport: Transport, count: int, size: int, batch: int) -> None:
    topic = f"lienthong.bench{uuid.uuid4().hex[:8]}.v1"
    events = make_events(topic, count, size)
    publisher = transport.publisher()
    publisher.publish(events[:1])  # topic creation and connections are not throughput
    started = time.perf_counter()
    for start in range(1, count, batch):
        publisher.publish(events[start:start + batch])
    publish_s = time.perf_counter() - started

    received = 0
    first_at = 0.0
    done = threading.Event()
    stop = threading.Event()

    def handle(_event: Event) -> None:
        nonlocal received, first_at
        received += 1
        if received == 1:
            first_at = time.perf_counter()
        if received == count:
            done.set()

    subscriber = transport.subscriber(f"bench-{uuid.uuid4().hex[:8]}", [topic], handle)
    thread = threading.Thread(target=subscriber.run, args=(stop,), daemon=True)
    started = time.perf_counter()
    thread.start()
    if not done.wait(600):
        raise SystemExit(f"{name}: consumed only {received} of {count} events in 600 s")
    ended = time.perf_counter()
    stop.set()
    thread.join(60)
    transport.close()

    print(f"{name:6} publish: {(count - 1) / publish_s:10,.0f} events/s  ({count - 1} x {size} B "
          f"in {publish_s:.2f} s, {batch} per call)")
    print(f"{name:6} consume: {count / (ended - first_at):10,.0f} events/s  ({count} in {ended - first_at:.2f} s "
          f"after the first; first after {first_at - started:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--bootstrap", help="Kafka bootstrap servers; Tansu is started when omitted")
    parser.add_argument("--only", choices=["local", "kafka"])
    args = parser.parse_args()

    if args.only in (None, "local"):
        with tempfile.TemporaryDirectory() as tmp:
            bench("local", LocalLogTransport(Path(tmp) / "events.sqlite3"), args.events, args.size, args.batch)
    if args.only in (None, "kafka"):
        broker = None
        bootstrap = args.bootstrap
        if bootstrap is None:
            port = free_port()
            broker = start_tansu(port)
            bootstrap = f"127.0.0.1:{port}"
        try:
            transport = KafkaTransport(bootstrap, client_id="bench", **TANSU_TRANSPORT_OPTIONS)
            bench("kafka" if broker is None else "tansu", transport, args.events, args.size, args.batch)
        finally:
            if broker is not None:
                stop_tansu(broker)


if __name__ == "__main__":
    main()
