"""Push: deliver to the recipient system's endpoint, with retries, isolation and dead letters.

The dispatcher claims due push deliveries from the database (a claim moves their next attempt
past the attempt's deadline, so several routing processes never post the same delivery at
once, and a crash mid-attempt only delays it), posts each one on a worker thread, and records
the outcome with its events:

* 2xx → ``pushed`` (the recipient's system still acknowledges or reports 01);
* anything else → retried after an exponential backoff with full jitter;
* after ``max_attempts`` → dead-lettered: the delivery falls back to the inbox (``available``)
  for pull, and operators can list, inspect and re-drive it.

One endpoint cannot slow the others down: each request has bounded timeouts, each endpoint has
at most ``per_endpoint_concurrency`` requests in flight (per routing process), and a circuit
breaker per endpoint stops attempting it for ``breaker_cooldown_s`` after ``breaker_threshold``
consecutive failures (its deliveries wait untouched, costing nothing), then lets one trial
request through. A push still pending ``give_up_s`` after its delivery was created is
dead-lettered without a further request (the sweep), so a long-dead endpoint's deliveries fall
back to pull even while its breaker keeps them from being attempted.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from google.protobuf.json_format import MessageToDict

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.routing.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.platform.errors import IllegalState
from lienthong.routing.domain.delivery import QUEUED, Delivery
from lienthong.routing.service.ports import DeliveryRepository, PushAttempt, PushJob, PushResult, PushSender
from lienthong.routing.service.use_cases import delivery_message, routing_event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushPolicy:
    """Retry, isolation and circuit-breaker settings of the push dispatcher."""

    max_attempts: int = 6
    backoff_base_s: float = 1.0
    backoff_max_s: float = 300.0
    timeout_s: float = 5.0
    per_endpoint_concurrency: int = 4
    workers: int = 16
    breaker_threshold: int = 5
    breaker_cooldown_s: float = 30.0
    poll_interval_s: float = 0.2
    give_up_s: float = 600.0
    public_base_url: str = ""

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]."""
        return random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1)))


class CircuitBreaker:
    """Per-endpoint breaker: closed → open after N consecutive failures → half-open after the cooldown."""

    def __init__(self, threshold: int, cooldown_s: float, now: Callable[[], float] = time.monotonic):
        self._threshold = threshold
        self._cooldown_s = cooldown_s
        self._now = now
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """May a request go now? While open, no; after the cooldown, one trial at a time."""
        with self._lock:
            if self._opened_at is None:
                return True
            if self._now() - self._opened_at >= self._cooldown_s and not self._trial:
                self._trial = True
                return True
            return False

    def record(self, ok: bool) -> None:
        with self._lock:
            self._trial = False
            if ok:
                self._failures = 0
                self._opened_at = None
                return
            self._failures += 1
            if self._failures >= self._threshold:
                self._opened_at = self._now()

    @property
    def open(self) -> bool:
        with self._lock:
            return self._opened_at is not None

    def blocked(self) -> bool:
        """True while no request may go: open and cooling down, or its one trial still in flight."""
        with self._lock:
            if self._opened_at is None:
                return False
            return self._trial or self._now() - self._opened_at < self._cooldown_s


class PushDispatcher:
    """The background worker that pushes (see the module docstring)."""

    name = "push"

    def __init__(self, database: Database, repository: Callable[[Any], DeliveryRepository], sender: PushSender,
                 policy: PushPolicy):
        self._db = database
        self._repo = repository
        self._sender = sender
        self._policy = policy
        self._pool = ThreadPoolExecutor(max_workers=policy.workers, thread_name_prefix="routing-push")
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._breakers: dict[str, CircuitBreaker] = {}
        self._wakeup = threading.Event()

    def wake(self) -> None:
        self._wakeup.set()

    def breaker(self, endpoint: str) -> CircuitBreaker:
        with self._lock:
            if endpoint not in self._breakers:
                self._breakers[endpoint] = CircuitBreaker(self._policy.breaker_threshold,
                                                          self._policy.breaker_cooldown_s)
            return self._breakers[endpoint]

    def run(self, stop: threading.Event) -> None:
        """Claim and post due pushes until ``stop`` is set."""
        next_sweep = 0.0
        while not stop.is_set():
            try:
                claimed = self.dispatch_once()
                if time.monotonic() >= next_sweep:
                    self.sweep()
                    next_sweep = time.monotonic() + min(5.0, self._policy.give_up_s / 10)
            except Exception:
                log.exception("push dispatch failed; retrying")
                claimed = 0
            if not claimed:
                self._wakeup.wait(self._policy.poll_interval_s)
                self._wakeup.clear()

    def dispatch_once(self) -> int:
        """Claim what the free capacity allows and hand it to the workers; returns how many were claimed."""
        limit = self._policy.per_endpoint_concurrency
        with self._lock:
            busy = sum(self._in_flight.values())
            room = {e: limit - n for e, n in self._in_flight.items()}
            for endpoint, breaker in self._breakers.items():
                if breaker.blocked():
                    room[endpoint] = 0      # its deliveries wait, untouched, until a trial may go
                elif breaker.open:
                    room[endpoint] = min(room.get(endpoint, limit), 1)  # the one trial
        capacity = self._policy.workers * 2 - busy
        if capacity <= 0:
            return 0
        now = clock.now()
        with self._db.unit_of_work() as uow:
            jobs = self._repo(uow.session).claim_pushes(
                now, now + timedelta(seconds=self._policy.timeout_s * 3 + 5), room, default=limit, limit=capacity)
            uow.commit()
        for job in jobs:
            with self._lock:
                self._in_flight[job.endpoint] = self._in_flight.get(job.endpoint, 0) + 1
            self._pool.submit(self._attempt, job)
        return len(jobs)

    def sweep(self, batch: int = 200) -> int:
        """Dead-letter pushes still pending ``give_up_s`` after their delivery was created; returns how many."""
        swept = 0
        while True:
            now = clock.now()
            with self._db.unit_of_work() as uow:
                repo = self._repo(uow.session)
                overdue = repo.overdue_pushes(now - timedelta(seconds=self._policy.give_up_s), batch)
                for d, info in overdue:
                    reason = f"gave up after {self._policy.give_up_s:g} s ({info.last_error or 'not attempted'})"
                    self._dead_letter(uow, repo, d, PushAttempt(info.attempts + 1, now, info.endpoint, reason, 0), now)
                uow.commit()
            swept += len(overdue)
            if len(overdue) < batch:
                return swept

    def _attempt(self, job: PushJob) -> None:
        try:
            breaker = self.breaker(job.endpoint)
            started = time.monotonic()
            if breaker.allow():
                body = self._envelope(job.delivery_id)
                if body is None:
                    self._record(job, PushResult(False, "no longer waiting for push"), 0, cancel=True)
                    return
                result = self._sender.send(job.endpoint, body)
                breaker.record(result.ok)
            else:
                result = PushResult(False, "circuit open")
            self._record(job, result, int((time.monotonic() - started) * 1000))
        except Exception:
            log.exception("push of delivery %s failed unexpectedly; it stays due", job.delivery_id)
        finally:
            with self._lock:
                self._in_flight[job.endpoint] -= 1
            self._wakeup.set()

    def _envelope(self, delivery_id: str) -> bytes | None:
        """The JSON envelope posted to the endpoint, or None when the delivery no longer waits for push."""
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            d = repo.get(delivery_id)
            if d is None or d.state != QUEUED:
                return None
            routed = repo.document(d.document_id)
            if routed is None:
                return None
            document = documents_pb2.Document.FromString(routed.document)
        return json.dumps(envelope(d, document, self._policy.public_base_url), ensure_ascii=False).encode()

    def _record(self, job: PushJob, result: PushResult, duration_ms: int, *, cancel: bool = False) -> None:
        now = clock.now()
        attempt = PushAttempt(job.attempt, now, job.endpoint, result.outcome, duration_ms)
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            d = repo.get(job.delivery_id, for_update=True)
            if d is None or repo.push_info(d.id).state != "pending":
                return
            if cancel or d.state != QUEUED:
                repo.record_push(d.id, attempt, state="cancelled", next_attempt_at=None)
            elif result.ok:
                pushed = d.mark_pushed(now)
                repo.save(pushed)
                repo.record_push(d.id, attempt, state="pushed", next_attempt_at=None)
                uow.add_event(routing_event(events_pb2.Delivered(delivery=delivery_message(pushed), channel="push"),
                                     d.document_id))
            elif job.attempt >= self._policy.max_attempts:
                self._dead_letter(uow, repo, d, attempt, now)
            else:
                due = now + timedelta(seconds=self._policy.backoff(job.attempt))
                repo.record_push(d.id, attempt, state="pending", next_attempt_at=due)
                uow.add_event(routing_event(events_pb2.DeliveryFailed(
                    delivery=delivery_message(d), attempt=job.attempt, error=result.outcome,
                    failed_at=clock.iso(now), next_attempt_at=clock.iso(due)), d.document_id))
            uow.commit()

    def _dead_letter(self, uow: Any, repo: DeliveryRepository, d: Delivery, attempt: PushAttempt, now: Any) -> None:
        try:
            available = d.make_available(now)
        except IllegalState:  # no longer queued (e.g. withdrawn meanwhile): nothing to push any more
            repo.record_push(d.id, attempt, state="cancelled", next_attempt_at=None)
            return
        repo.save(available)
        repo.record_push(d.id, attempt, state="dead", next_attempt_at=None)
        uow.add_events([
            routing_event(events_pb2.DeliveryFailed(delivery=delivery_message(d), attempt=attempt.attempt,
                                             error=attempt.outcome, failed_at=clock.iso(now)), d.document_id),
            routing_event(events_pb2.DeadLettered(delivery=delivery_message(available), attempts=attempt.attempt,
                                           error=attempt.outcome, dead_lettered_at=clock.iso(now)), d.document_id),
            routing_event(events_pb2.Delivered(delivery=delivery_message(available), channel="inbox"), d.document_id),
        ])
        log.warning("delivery %s dead-lettered after %d push attempts (%s): it waits in the inbox",
                    d.id, attempt.attempt, attempt.outcome)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def envelope(d: Delivery, document: documents_pb2.Document, public_base_url: str) -> dict[str, Any]:
    """What a push posts: the delivery, the document's metadata, and links to fetch files and answer.

    The files are not inlined: the receiving system downloads them (``links.attachments``) with its
    own token, exactly as a pulling system does, then acknowledges (``links.ack``) and reports
    statuses (``links.statuses``).
    """
    base = public_base_url.rstrip("/")
    return {
        "type": "lienthong.routing.v1.delivery",
        "delivery": MessageToDict(delivery_message(d), preserving_proto_field_name=True),
        "document": MessageToDict(document, preserving_proto_field_name=True),
        "links": {
            "document": f"{base}/api/v1/documents/{d.document_id}",
            "attachments": [f"{base}/api/v1/documents/{d.document_id}/attachments/{a.sha256}"
                            for a in document.attachments],
            "ack": f"{base}/api/v1/routing/deliveries/{d.id}/ack",
            "statuses": f"{base}/api/v1/routing/deliveries/{d.id}/statuses",
        },
    }
