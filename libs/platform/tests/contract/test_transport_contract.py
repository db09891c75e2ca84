"""One contract for both transports: the local SQLite log and Kafka (Tansu, or the broker CI gives).

Every case runs against a real log or broker: nothing is mocked. Kafka cases use
fresh topic and group names, so they share one broker for the session.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, select

from lienthong.platform import clock
from lienthong.platform.db import Database, UnitOfWork, new_metadata
from lienthong.platform.messaging import Event, OutboxRelay, Transport, dead_letter_topic, idempotent
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.messaging.kafka import KafkaTransport
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.platform.messaging.tables import add_messaging_tables, inbox_events
from lienthong.platform.settings import ServiceSettings
from lienthong.testing.kafka import TANSU_TRANSPORT_OPTIONS

WAIT_S = 30.0
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
PING = "lienthong.api.contract.v1.Ping"


@dataclass
class Backend:
    """How a test builds transports on one log file or broker."""

    kind: str
    location: str
    options: dict

    def make(self, **overrides: object) -> Transport:
        options = {**self.options, **overrides}
        if self.kind == "local":
            return LocalLogTransport(Path(self.location), **options)
        return KafkaTransport(self.location, client_id="contract", **options)


@pytest.fixture(params=["local", pytest.param("kafka", marks=pytest.mark.kafka)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "local":
        return Backend("local", str(tmp_path / "events.sqlite3"), {"poll_interval_s": 0.02, "max_attempts": 3})
    bootstrap = request.getfixturevalue("kafka_bootstrap")
    return Backend("kafka", bootstrap, {**TANSU_TRANSPORT_OPTIONS, "max_attempts": 3})


@pytest.fixture
def topic() -> str:
    return f"lienthong.contract{uuid.uuid4().hex[:10]}.v1"


@pytest.fixture
def group() -> str:
    return f"contract-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def transport(backend: Backend) -> Iterator[Transport]:
    made = backend.make()
    yield made
    made.close()


def ping(topic: str, key: str, data: bytes, **fields: object) -> Event:
    return Event(id=str(uuid.uuid4()), type=PING, source="lienthong/contract", time=clock.iso(),
                 topic=topic, key=key, data=data, **fields)


class Collector:
    """What handlers saw, in arrival order, with who saw it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.events: list[Event] = []
        self.seen_by: list[str] = []

    def add(self, who: str, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self.seen_by.append(who)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout_s: float = WAIT_S) -> list[Event]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.events) >= count, timeout_s):
                raise AssertionError(f"received {len(self.events)} of {count} events in {timeout_s}s")
            return list(self.events)


class Running:
    """A subscriber running in its own thread until the ``with`` block ends."""

    def __init__(self, transport: Transport, group: str, topics: list[str],
                 handler: Callable[[Event], None] | None = None, *, collector: Collector | None = None,
                 who: str = "consumer"):
        self.collector = collector or Collector()
        self.errors: list[BaseException] = []
        self._stop = threading.Event()

        def handle(event: Event) -> None:
            if handler is not None:
                handler(event)
            self.collector.add(who, event)

        subscriber = transport.subscriber(group, topics, handle)
        self.thread = threading.Thread(target=self._run, args=(subscriber,), daemon=True)

    def _run(self, subscriber: object) -> None:
        try:
            subscriber.run(self._stop)  # type: ignore[attr-defined]
        except BaseException as exc:  # noqa: BLE001 - recorded for the test to inspect
            self.errors.append(exc)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive(), "subscriber did not stop"


def test_round_trip_keeps_cloudevents_attributes_and_traceparent(transport: Transport, topic: str,
                                                                 group: str) -> None:
    sent = [
        ping(topic, "doc-1", b"\x00\x01payload", traceparent=TRACEPARENT,
             extra_headers=(("x-agency", "000.00.01.H29"),)),
        ping(topic, "doc-1", b""),
    ]
    transport.publisher().publish(sent)
    with Running(transport, group, [topic]) as running:
        received = running.collector.wait_for(2)
    assert received == sent
    assert received[0].traceparent == TRACEPARENT
    assert running.errors == []


def test_order_is_kept_per_key(transport: Transport, topic: str, group: str) -> None:
    keys = [f"agency-{n}" for n in range(5)]
    sent = [ping(topic, keys[i % len(keys)], str(i).encode()) for i in range(200)]
    publisher = transport.publisher()
    for start in range(0, len(sent), 25):
        publisher.publish(sent[start:start + 25])
    with Running(transport, group, [topic]) as running:
        received = running.collector.wait_for(len(sent))
    assert len({e.id for e in received}) == len(sent)
    for key in keys:
        assert [e.data for e in received if e.key == key] == [e.data for e in sent if e.key == key]


CRASHING_CONSUMER = r"""
import json, os, signal, sys, threading
from pathlib import Path

kind, location, options, group, topic, marker = sys.argv[1:7]
options = json.loads(options)
if kind == "local":
    from lienthong.platform.messaging.local import LocalLogTransport
    transport = LocalLogTransport(Path(location), **options)
else:
    from lienthong.platform.messaging.kafka import KafkaTransport
    transport = KafkaTransport(location, client_id="crashing", **options)

def handle(event):
    with open(marker, "a") as out:
        out.write(event.id + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.kill(os.getpid(), signal.SIGKILL)  # dies after handling, before the commit

transport.subscriber(group, [topic], handle).run(threading.Event())
"""


def test_consumer_killed_before_commit_gets_the_event_again(backend: Backend, transport: Transport,
                                                            topic: str, group: str, tmp_path: Path) -> None:
    sent = [ping(topic, "doc-7", str(i).encode()) for i in range(3)]
    transport.publisher().publish(sent)
    marker = tmp_path / "handled.txt"
    crashing = subprocess.run(
        [sys.executable, "-c", CRASHING_CONSUMER, backend.kind, backend.location, json.dumps(backend.options),
         group, topic, str(marker)],
        check=False, timeout=WAIT_S, capture_output=True, text=True,
    )
    assert crashing.returncode == -9, crashing.stderr
    assert marker.read_text().split() == [sent[0].id]
    with Running(transport, group, [topic]) as running:
        received = running.collector.wait_for(3)
    assert [e.id for e in received] == [e.id for e in sent]


class Crash(BaseException):
    """The consumer dies: raised after the handler's transaction committed, before the offset commit."""


def _service_database(tmp_path: Path) -> tuple[Database, Table]:
    metadata: MetaData = new_metadata()
    add_messaging_tables(metadata)
    effects = Table("effects", metadata, Column("event_id", String(64), nullable=False))
    database = Database(f"sqlite:///{tmp_path / 'service.sqlite3'}")
    metadata.create_all(database.engine)
    return database, effects


def test_redelivered_duplicate_is_processed_once_with_the_inbox(transport: Transport, topic: str, group: str,
                                                                tmp_path: Path) -> None:
    database, effects = _service_database(tmp_path)

    def record_effect(event: Event, uow: UnitOfWork) -> None:
        uow.session.execute(effects.insert().values(event_id=event.id))

    handler = idempotent(database, group, record_effect)

    def handle_then_crash(event: Event) -> None:
        handler(event)
        raise Crash

    first = ping(topic, "doc-1", b"first")
    transport.publisher().publish([first])
    crashing = Running(transport, group, [topic], handle_then_crash)
    with crashing:
        crashing.thread.join(WAIT_S)
    assert [type(e) for e in crashing.errors] == [Crash]

    second = ping(topic, "doc-1", b"second")
    transport.publisher().publish([second])
    with Running(transport, group, [topic], handler) as running:
        received = running.collector.wait_for(2)
    assert [e.id for e in received] == [first.id, second.id]  # the first one delivered again
    with database.session_factory() as session:
        assert sorted(session.scalars(select(effects.c.event_id))) == sorted([first.id, second.id])
        assert session.scalar(select(func.count()).select_from(inbox_events)) == 2
    database.dispose()


def test_failing_event_is_retried_then_dead_lettered_and_the_consumer_moves_on(
        transport: Transport, topic: str, group: str) -> None:
    flaky = ping(topic, "doc-1", b"flaky")
    poison = ping(topic, "doc-1", b"poison", traceparent=TRACEPARENT)
    good = ping(topic, "doc-1", b"good")
    failures: dict[str, int] = defaultdict(int)

    def handle(event: Event) -> None:
        if event.data == b"poison" or (event.data == b"flaky" and failures[event.id] < 2):
            failures[event.id] += 1
            raise ValueError(f"boom on {event.data.decode()}")

    transport.publisher().publish([flaky, poison, good])
    with Running(transport, group, [topic], handle) as running:
        received = running.collector.wait_for(2)
    assert [e.id for e in received] == [flaky.id, good.id]
    assert failures == {flaky.id: 2, poison.id: 3}

    with Running(transport, f"{group}-dlq", [dead_letter_topic(topic)]) as dlq:
        [parked] = dlq.collector.wait_for(1)
    assert (parked.id, parked.type, parked.key, parked.data, parked.traceparent) == (
        poison.id, poison.type, poison.key, poison.data, TRACEPARENT)
    headers = dict(parked.extra_headers)
    assert headers["x-error"] == "ValueError: boom on poison"
    assert headers["x-consumer-group"] == group

    later = ping(topic, "doc-1", b"later")
    transport.publisher().publish([later])
    with Running(transport, group, [topic]) as again:
        first_seen = again.collector.wait_for(1)[0]
    assert first_seen.id == later.id  # the failed event was committed past, not redelivered


def test_outbox_relay_publishes_committed_events_in_order(transport: Transport, topic: str, group: str,
                                                          tmp_path: Path) -> None:
    database, _ = _service_database(tmp_path)
    committed = []
    for i in range(3):
        with database.unit_of_work() as uow:
            event = ping(topic, "doc-9", f"committed {i}".encode())
            uow.add_event(event)
            uow.commit()
            committed.append(event)
    with database.unit_of_work() as uow:
        uow.add_event(ping(topic, "doc-9", b"rolled back"))
    with database.unit_of_work() as uow:
        event = ping(topic, "doc-9", b"committed last")
        uow.add_event(event)
        uow.commit()
        committed.append(event)

    relay = OutboxRelay(database.session_factory, transport.publisher())
    assert relay.relay_once() == 4
    assert relay.relay_once() == 0
    marker = ping(topic, "doc-9", b"end marker")
    transport.publisher().publish([marker])
    with Running(transport, group, [topic]) as running:
        received = running.collector.wait_for(5)
    assert [e.id for e in received] == [e.id for e in committed] + [marker.id]
    database.dispose()


def test_two_subscribers_of_a_group_never_both_handle_an_event(transport: Transport, topic: str,
                                                               group: str) -> None:
    sent = [ping(topic, f"doc-{i % 6}", str(i).encode()) for i in range(60)]
    collector = Collector()
    with Running(transport, group, [topic], collector=collector, who="a"), \
            Running(transport, group, [topic], collector=collector, who="b"):
        publisher = transport.publisher()
        for start in range(0, len(sent), 10):
            publisher.publish(sent[start:start + 10])
            time.sleep(0.05)
        collector.wait_for(len(sent))
        time.sleep(0.5)  # room for a wrongful second delivery to show up
    ids = [e.id for e in collector.events]
    assert sorted(ids) == sorted(e.id for e in sent)


def test_make_transport_follows_settings(tmp_path: Path) -> None:
    local = make_transport(ServiceSettings(transport="local", local_log_path=tmp_path / "log.sqlite3"))
    assert isinstance(local, LocalLogTransport) and local.path == (tmp_path / "log.sqlite3").resolve()
    kafka = make_transport(ServiceSettings(transport="kafka", kafka_bootstrap_servers="broker:9092",
                                           consumer_max_attempts=7))
    assert isinstance(kafka, KafkaTransport)
    assert (kafka.bootstrap_servers, kafka.client_id, kafka.max_attempts) == ("broker:9092", "service", 7)
