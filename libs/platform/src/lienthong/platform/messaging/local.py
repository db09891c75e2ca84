"""The ``local`` transport: a durable append-only event log in one SQLite file (WAL), for the embedded mode.

All services of the embedded process (and other processes on the same host) share
one file. ``log_records`` is the log: a global, gap-free ``log_offset`` gives the
order, which is therefore kept per key and per topic. ``consumer_offsets`` holds
each group's last committed offset per topic, and ``consumer_leases`` makes one
subscriber per group the active one, so two subscribers of a group never both
handle a record: the others stand by and take over when the lease is released,
expires, or its holder's process is gone.

Publishing rings an in-process doorbell, so subscribers in the same process wake
at once; subscribers in other processes find new records at their next poll.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from lienthong.platform import clock
from lienthong.platform.messaging.delivery import dead_letter_headers, deliver
from lienthong.platform.messaging.event import Event
from lienthong.platform.messaging.ports import Handler, dead_letter_topic

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS log_records (
    log_offset INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    record_key TEXT NOT NULL,
    headers TEXT NOT NULL,
    value BLOB NOT NULL,
    appended_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_log_records_topic_offset ON log_records (topic, log_offset);
CREATE TABLE IF NOT EXISTS consumer_offsets (
    group_name TEXT NOT NULL,
    topic TEXT NOT NULL,
    committed_offset INTEGER NOT NULL,
    PRIMARY KEY (group_name, topic)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS consumer_leases (
    group_name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID;
"""

_INSERT = ("INSERT INTO log_records (topic, record_key, headers, value, appended_at) "
           "VALUES (?, ?, ?, ?, ?)")
_FETCH = ("SELECT log_offset, topic, record_key, headers, value FROM log_records "
          "WHERE topic = ? AND log_offset > ? ORDER BY log_offset LIMIT ?")

Row = tuple[str, str, list[tuple[str, bytes]], bytes]
"""A record to append: topic, key, headers, value."""


def _connect(path: Path, *, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


def _encode_headers(headers: Sequence[tuple[str, bytes]]) -> str:
    return json.dumps([[k, v.decode("utf-8", "surrogateescape")] for k, v in headers])


def _decode_headers(text: str) -> list[tuple[str, bytes]]:
    return [(k, v.encode("utf-8", "surrogateescape")) for k, v in json.loads(text)]


def _append(conn: sqlite3.Connection, rows: Sequence[Row]) -> None:
    now = clock.iso()
    conn.executemany(_INSERT, [(topic, key, _encode_headers(headers), value, now)
                               for topic, key, headers, value in rows])


class _Doorbell:
    """Wakes the subscribers of one log file in this process when a publisher appended."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._rings = 0

    def ring(self) -> None:
        with self._cond:
            self._rings += 1
            self._cond.notify_all()

    @property
    def rings(self) -> int:
        return self._rings

    def wait(self, seen: int, timeout_s: float) -> None:
        """Return when rung after ``seen`` was read, or after ``timeout_s``."""
        with self._cond:
            self._cond.wait_for(lambda: self._rings != seen, timeout_s)


_doorbells: dict[Path, _Doorbell] = {}
_doorbells_lock = threading.Lock()


def _doorbell(path: Path) -> _Doorbell:
    with _doorbells_lock:
        return _doorbells.setdefault(path, _Doorbell())


def _process_gone(host: str, pid: int) -> bool:
    """True when the lease holder was a process of this host that no longer runs."""
    if host != socket.gethostname() or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class LocalLogTransport:
    """Transport over a durable append-only log in the SQLite file ``path``.

    ``poll_interval_s`` bounds how late a subscriber notices records appended by
    another process (same-process publishers wake it at once); ``max_attempts`` is
    how many times a handler may fail on one record before it is dead-lettered;
    ``lease_ttl_s`` how long a group's lease outlives a hung holder; ``batch_size`` how many
    records a subscriber handles between two offset commits.
    """

    def __init__(self, path: Path, *, poll_interval_s: float = 0.05, max_attempts: int = 5,
                 lease_ttl_s: float = 15.0, batch_size: int = 200):
        self.path = Path(path).resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.poll_interval_s = poll_interval_s
        self.max_attempts = max_attempts
        self.lease_ttl_s = lease_ttl_s
        self.batch_size = batch_size
        self.doorbell = _doorbell(self.path)
        self._publishers: list[LocalLogPublisher] = []
        conn = _connect(self.path, synchronous="FULL")
        try:
            conn.executescript(_SCHEMA)
        finally:
            conn.close()

    def publisher(self) -> LocalLogPublisher:
        """A publisher appending to this log; closed with the transport."""
        publisher = LocalLogPublisher(self)
        self._publishers.append(publisher)
        return publisher

    def subscriber(self, group: str, topics: Sequence[str], handler: Handler) -> LocalLogSubscriber:
        """A subscriber delivering ``topics``' records to ``handler`` as consumer group ``group``."""
        return LocalLogSubscriber(self, group, topics, handler)

    def close(self) -> None:
        """Close the publishers made by this transport."""
        for publisher in self._publishers:
            publisher.close()
        self._publishers.clear()


class LocalLogPublisher:
    """Appends events to the local log; each call is one transaction, synced to disk before returning."""

    def __init__(self, transport: LocalLogTransport):
        self._doorbell = transport.doorbell
        self._conn = _connect(transport.path, synchronous="FULL")
        self._lock = threading.Lock()

    def publish(self, events: Sequence[Event]) -> None:
        """Append ``events`` in order, all or none."""
        if not events:
            return
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                _append(self._conn, [(e.topic, e.key, e.headers(), e.data) for e in events])
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        self._doorbell.ring()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _LeaseLost(Exception):
    """Another subscriber of the group holds the lease now; uncommitted work is dropped."""


class _GroupLease:
    """The row that makes one subscriber the active consumer of a group."""

    def __init__(self, conn: sqlite3.Connection, group: str, ttl_s: float):
        self._conn = conn
        self._group = group
        self._ttl_s = ttl_s
        self._owner = uuid.uuid4().hex
        self._host = socket.gethostname()
        self._renewed_at = 0.0
        self.held = False

    def try_acquire(self) -> bool:
        """Take the lease if it is free, expired or its holder's process is gone."""
        row = self._conn.execute("SELECT owner, host, pid, expires_at FROM consumer_leases "
                                 "WHERE group_name = ?", (self._group,)).fetchone()
        if row is not None and not self._takeable(row):
            return False
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            row = self._conn.execute("SELECT owner, host, pid, expires_at FROM consumer_leases "
                                     "WHERE group_name = ?", (self._group,)).fetchone()
            if row is not None and not self._takeable(row):
                self._conn.execute("ROLLBACK")
                return False
            if row is not None and row[0] != self._owner:
                log.warning("group %s: taking over the lease of %s (pid %s on %s)",
                            self._group, row[0], row[2], row[1])
            self._write(time.time())
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self.held = True
        return True

    def _takeable(self, row: tuple[str, str, int, float]) -> bool:
        owner, host, pid, expires_at = row
        return owner == self._owner or expires_at < time.time() or _process_gone(host, pid)

    def _write(self, now: float) -> None:
        self._conn.execute(
            "INSERT INTO consumer_leases (group_name, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (group_name) DO UPDATE SET owner = excluded.owner, host = excluded.host, "
            "pid = excluded.pid, expires_at = excluded.expires_at",
            (self._group, self._owner, self._host, os.getpid(), now + self._ttl_s))
        self._renewed_at = now

    def confirm(self) -> None:
        """Within a write transaction: check the lease is still ours and extend it, else raise _LeaseLost."""
        row = self._conn.execute("SELECT owner FROM consumer_leases WHERE group_name = ?",
                                 (self._group,)).fetchone()
        if row is None or row[0] != self._owner:
            self.held = False
            raise _LeaseLost(self._group)
        self._write(time.time())

    def renew_if_due(self) -> None:
        """Extend the lease once a third of its time has passed (raises _LeaseLost if taken)."""
        if time.time() - self._renewed_at < self._ttl_s / 3:
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self.confirm()
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def release(self) -> None:
        """Give the lease up so a standby subscriber takes over at once."""
        if self.held:
            self._conn.execute("DELETE FROM consumer_leases WHERE group_name = ? AND owner = ?",
                               (self._group, self._owner))
            self.held = False


class LocalLogSubscriber:
    """Consumes topics of the local log as one consumer group (see :class:`Subscriber`)."""

    def __init__(self, transport: LocalLogTransport, group: str, topics: Sequence[str], handler: Handler):
        self._transport = transport
        self._group = group
        self._topics = list(dict.fromkeys(topics))
        self._handler = handler

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set, committing after each batch of handled records."""
        t = self._transport
        conn = _connect(t.path, synchronous="NORMAL")
        lease = _GroupLease(conn, self._group, t.lease_ttl_s)
        offsets: dict[str, int] = {}
        try:
            while not stop.is_set():
                if not lease.held:
                    if not lease.try_acquire():
                        stop.wait(max(t.poll_interval_s, 0.2))
                        continue
                    offsets = self._committed_offsets(conn)
                    log.info("group %s consumes %s from offsets %s", self._group, self._topics, offsets)
                rings = t.doorbell.rings
                records = self._fetch(conn, offsets)
                try:
                    if records:
                        self._consume(conn, lease, records, offsets, stop)
                    else:
                        lease.renew_if_due()
                except _LeaseLost:
                    log.warning("group %s: lease lost to another subscriber; standing by", self._group)
                    continue
                if not records:
                    t.doorbell.wait(rings, t.poll_interval_s)
        finally:
            try:
                lease.release()
            finally:
                conn.close()

    def _committed_offsets(self, conn: sqlite3.Connection) -> dict[str, int]:
        marks = ",".join("?" * len(self._topics))
        rows = conn.execute(f"SELECT topic, committed_offset FROM consumer_offsets "
                            f"WHERE group_name = ? AND topic IN ({marks})", (self._group, *self._topics))
        found = dict(rows.fetchall())
        return {topic: found.get(topic, 0) for topic in self._topics}

    def _fetch(self, conn: sqlite3.Connection, offsets: dict[str, int]) -> list[tuple]:
        records: list[tuple] = []
        for topic in self._topics:
            records.extend(conn.execute(_FETCH, (topic, offsets[topic], self._transport.batch_size)))
        records.sort(key=lambda r: r[0])
        return records

    def _consume(self, conn: sqlite3.Connection, lease: _GroupLease, records: list[tuple],
                 offsets: dict[str, int], stop: threading.Event) -> None:
        """Deliver ``records`` in log order, then commit the handled prefix and its dead letters at once."""
        t = self._transport
        handled: dict[str, int] = {}
        dead: list[Row] = []
        try:
            for log_offset, topic, key, header_text, value in records:
                if stop.is_set():
                    break
                headers = _decode_headers(header_text)
                outcome = deliver(self._handler, topic, key, value, headers, group=self._group,
                                  max_attempts=t.max_attempts, stop=stop)
                if not outcome.done:
                    break
                if outcome.error is not None:
                    dead.append((dead_letter_topic(topic), key,
                                 dead_letter_headers(headers, error=outcome.error, group=self._group), value))
                handled[topic] = log_offset
                lease.renew_if_due()
        finally:
            self._commit(conn, lease, handled, dead)
        offsets.update(handled)
        if dead:
            t.doorbell.ring()

    def _commit(self, conn: sqlite3.Connection, lease: _GroupLease, handled: dict[str, int],
                dead: list[Row]) -> None:
        if not handled:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            lease.confirm()
            _append(conn, dead)
            conn.executemany(
                "INSERT INTO consumer_offsets (group_name, topic, committed_offset) VALUES (?, ?, ?) "
                "ON CONFLICT (group_name, topic) DO UPDATE SET committed_offset = excluded.committed_offset",
                [(self._group, topic, offset) for topic, offset in handled.items()])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
