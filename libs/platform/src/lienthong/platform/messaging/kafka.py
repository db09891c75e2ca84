"""The ``kafka`` transport (confluent-kafka): idempotent producer, manual commits, dead-letter topics.

Portable to any Kafka-protocol broker (Apache Kafka in production, Tansu in tests):
only the classic consumer-group protocol, ``CreateTopics`` and idempotent produce
are used.

Delivery: a subscriber polls a batch, hands each message to the handler in
partition order, retries a failing handler in place (the partition does not move
on meanwhile), dead-letters it after ``max_attempts`` to ``<topic>.dlq`` with
``x-error`` and ``x-consumer-group`` headers, and commits the batch's offsets
synchronously once their handlers returned. Nothing handled is left uncommitted
when the consumer polls again, which is when rebalances happen, so a revoked
partition has nothing pending and its new owner starts right after the last
handled message (a crash in between redelivers: at-least-once).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from lienthong.platform.messaging.delivery import dead_letter_headers, deliver
from lienthong.platform.messaging.event import Event
from lienthong.platform.messaging.ports import Handler, dead_letter_topic

log = logging.getLogger(__name__)

POLL_TIMEOUT_S = 0.2
BATCH_SIZE = 500
TOPIC_CREATE_TIMEOUT_S = 30.0
DLQ_RETRY_S = 1.0


class DeliveryError(RuntimeError):
    """The broker did not acknowledge every record of a ``publish`` call."""


class KafkaTransport:
    """Publishers and subscribers on a Kafka cluster at ``bootstrap_servers``.

    Topics (and their ``.dlq``) are created on first use with ``num_partitions`` and
    ``replication_factor`` when missing. ``extra_config`` is merged into every
    librdkafka client configuration (security settings, tuning).
    """

    def __init__(self, bootstrap_servers: str, *, client_id: str, session_timeout_ms: int = 45000,
                 fetch_wait_max_ms: int = 500, max_attempts: int = 5, num_partitions: int = 3,
                 replication_factor: int = 1, extra_config: dict[str, Any] | None = None):
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self.session_timeout_ms = session_timeout_ms
        self.fetch_wait_max_ms = fetch_wait_max_ms
        self.max_attempts = max_attempts
        self.num_partitions = num_partitions
        self.replication_factor = replication_factor
        self.extra_config = dict(extra_config or {})
        self._known_topics: set[str] = set()
        self._topics_lock = threading.Lock()
        self._admin: AdminClient | None = None
        self._publishers: list[KafkaPublisher] = []

    def _config(self, **overrides: Any) -> dict[str, Any]:
        return {"bootstrap.servers": self.bootstrap_servers, "client.id": self.client_id,
                **overrides, **self.extra_config}

    def producer_config(self) -> dict[str, Any]:
        """librdkafka settings of every producer: idempotent, acks from all in-sync replicas."""
        return self._config(**{"enable.idempotence": True, "acks": "all", "linger.ms": 5,
                               "message.timeout.ms": 30000})

    def consumer_config(self, group: str) -> dict[str, Any]:
        """librdkafka settings of a subscriber of ``group``: manual commits, from the earliest offset."""
        return self._config(**{
            "group.id": group,
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": self.session_timeout_ms,
            "heartbeat.interval.ms": max(100, min(3000, self.session_timeout_ms // 3)),
            "fetch.wait.max.ms": self.fetch_wait_max_ms,
        })

    def ensure_topics(self, topics: Iterable[str]) -> None:
        """Create ``topics`` and their dead-letter topics if missing (idempotent, safe against races)."""
        wanted: set[str] = set()
        for topic in topics:
            wanted.add(topic)
            if not topic.endswith(".dlq"):
                wanted.add(dead_letter_topic(topic))
        with self._topics_lock:
            if wanted <= self._known_topics:
                return
            if self._admin is None:
                self._admin = AdminClient(self._config())
            existing = self._admin.list_topics(timeout=TOPIC_CREATE_TIMEOUT_S).topics
            self._known_topics.update(wanted & existing.keys())
            missing = sorted(wanted - self._known_topics)
            if not missing:
                return
            futures = self._admin.create_topics(
                [NewTopic(name, self.num_partitions, self.replication_factor) for name in missing],
                operation_timeout=TOPIC_CREATE_TIMEOUT_S, request_timeout=TOPIC_CREATE_TIMEOUT_S)
            for name, future in futures.items():
                try:
                    future.result(timeout=TOPIC_CREATE_TIMEOUT_S)
                    log.info("created topic %s (%d partitions)", name, self.num_partitions)
                except KafkaException as exc:
                    if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                        raise
            self._known_topics.update(missing)

    def publisher(self) -> KafkaPublisher:
        """An idempotent producer; flushed by ``close()`` of the publisher or of this transport."""
        publisher = KafkaPublisher(self)
        self._publishers.append(publisher)
        return publisher

    def subscriber(self, group: str, topics: Sequence[str], handler: Handler) -> KafkaSubscriber:
        """A consumer of ``topics`` in consumer group ``group``, delivering to ``handler``."""
        return KafkaSubscriber(self, group, topics, handler)

    def close(self) -> None:
        """Flush the publishers made by this transport."""
        for publisher in self._publishers:
            publisher.close()
        self._publishers.clear()


def _produce_all(producer: Producer, records: Iterable[tuple[str, str | bytes | None, bytes, list]]) -> None:
    """Produce ``records`` (topic, key, value, headers), wait for every ack; raise DeliveryError on failure."""
    failures: list[str] = []

    def on_delivery(err: KafkaError | None, msg: Message) -> None:
        if err is not None:
            failures.append(f"{msg.topic()}: {err.str()}")

    count = 0
    for topic, key, value, headers in records:
        while True:
            try:
                producer.produce(topic, key=key, value=value, headers=headers, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.1)
        count += 1
    remaining = producer.flush()
    if remaining:
        raise DeliveryError(f"{remaining} of {count} records still unacknowledged after flush")
    if failures:
        raise DeliveryError(f"{len(failures)} of {count} records not delivered, first: {failures[0]}")


class KafkaPublisher:
    """Publishes events with key = aggregate id and the CloudEvents headers."""

    def __init__(self, transport: KafkaTransport):
        self._transport = transport
        self._producer = Producer(transport.producer_config())
        self._lock = threading.Lock()

    def publish(self, events: Sequence[Event]) -> None:
        """Produce all ``events`` in order and wait until the cluster acknowledged every one."""
        if not events:
            return
        self._transport.ensure_topics({e.topic for e in events})
        with self._lock:
            _produce_all(self._producer, ((e.topic, e.key, e.data, e.headers()) for e in events))

    def close(self) -> None:
        self._producer.flush()


class KafkaSubscriber:
    """Consumes ``topics`` as group ``group`` (see :class:`Subscriber`)."""

    def __init__(self, transport: KafkaTransport, group: str, topics: Sequence[str], handler: Handler):
        self._transport = transport
        self._group = group
        self._topics = list(dict.fromkeys(topics))
        self._handler = handler
        self._revoked: set[tuple[str, int]] = set()
        self._dlq_producer: Producer | None = None

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set; leaves the group on the way out."""
        self._transport.ensure_topics(self._topics)
        consumer = Consumer(self._transport.consumer_config(self._group))
        consumer.subscribe(self._topics, on_assign=self._on_assign, on_revoke=self._on_revoke,
                           on_lost=self._on_lost)
        try:
            while not stop.is_set():
                batch = self._poll_batch(consumer)
                if batch:
                    self._consume(consumer, batch, stop)
        finally:
            consumer.close()
            if self._dlq_producer is not None:
                self._dlq_producer.flush()

    def _on_assign(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        log.info("group %s assigned %s", self._group, [(p.topic, p.partition) for p in partitions])

    def _on_revoke(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Runs inside poll(), when every handled message is already committed.
        self._revoked.update((p.topic, p.partition) for p in partitions)
        log.info("group %s revoked %s", self._group, [(p.topic, p.partition) for p in partitions])

    def _on_lost(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._revoked.update((p.topic, p.partition) for p in partitions)
        log.warning("group %s lost %s", self._group, [(p.topic, p.partition) for p in partitions])

    def _poll_batch(self, consumer: Consumer) -> list[Message]:
        """Wait up to the poll timeout for a message, then take what is already fetched.

        Messages of partitions revoked meanwhile are dropped: their owner (perhaps
        this consumer again) fetches them anew from the committed offsets.
        """
        batch: list[Message] = []
        self._revoked.clear()
        message = consumer.poll(POLL_TIMEOUT_S)
        while message is not None:
            if self._revoked:
                batch = [m for m in batch if (m.topic(), m.partition()) not in self._revoked]
                self._revoked.clear()
            error = message.error()
            if error is None:
                batch.append(message)
                if len(batch) >= BATCH_SIZE:
                    break
            elif error.fatal():
                raise KafkaException(error)
            elif error.code() != KafkaError._PARTITION_EOF:
                log.warning("group %s: consumer error: %s", self._group, error)
            message = consumer.poll(0)
        return batch

    def _consume(self, consumer: Consumer, batch: list[Message], stop: threading.Event) -> None:
        """Deliver ``batch`` in order, then commit the offsets of what was handled or dead-lettered."""
        done: dict[tuple[str, int], int] = {}
        try:
            for message in batch:
                if stop.is_set():
                    break
                outcome = deliver(self._handler, message.topic(), message.key(), message.value() or b"",
                                  message.headers(), group=self._group,
                                  max_attempts=self._transport.max_attempts, stop=stop)
                if not outcome.done:
                    break
                if outcome.error is not None and not self._dead_letter(message, outcome.error, stop):
                    break
                done[(message.topic(), message.partition())] = message.offset() + 1
        finally:
            self._commit(consumer, done)

    def _dead_letter(self, message: Message, error: str, stop: threading.Event) -> bool:
        """Park ``message`` on its ``.dlq`` topic; retries until acknowledged, False if stopped first."""
        topic = dead_letter_topic(message.topic())
        record = (topic, message.key(), message.value() or b"",
                  dead_letter_headers(message.headers(), error=error, group=self._group))
        while True:
            try:
                self._transport.ensure_topics([topic])
                if self._dlq_producer is None:
                    self._dlq_producer = Producer(self._transport.producer_config())
                _produce_all(self._dlq_producer, [record])
                return True
            except (KafkaException, DeliveryError) as exc:
                log.error("group %s: cannot dead-letter to %s, retrying: %s", self._group, topic, exc)
            if stop.wait(DLQ_RETRY_S):
                return False

    def _commit(self, consumer: Consumer, done: dict[tuple[str, int], int]) -> None:
        if not done:
            return
        offsets = [TopicPartition(topic, partition, offset) for (topic, partition), offset in done.items()]
        try:
            consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as exc:
            # Typically a rebalance in between: the partitions' new owner redelivers from the last commit.
            log.warning("group %s: commit of %s failed, will be redelivered: %s", self._group, offsets, exc)
