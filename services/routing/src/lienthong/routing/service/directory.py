"""A caching view of the registry: what written recipients stand for, and push endpoints.

Routing asks the registry the same questions for every document (who receives for this
code, who is in "group:communes", where does this agency's system take pushes). The answers
are cached until any registry event arrives (``invalidate``). Recipients not yet cached are
resolved with the registry's ``ResolveRecipients`` in chunks fetched concurrently, so that a
fan-out to thousands of recipients stays within seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from lienthong.routing.service.ports import Directory, Recipient

T = TypeVar("T")
RESOLVE_CHUNK = 500
"""Recipients resolved per registry call."""


class CachedDirectory:
    """Wraps a :class:`Directory`; answers are cached until :meth:`invalidate`."""

    def __init__(self, directory: Directory, *, concurrency: int = 8):
        self._directory = directory
        self._lock = threading.Lock()
        self._generation = 0
        self._recipients: dict[str, Recipient] = {}
        self._endpoints: dict[str, list[str]] = {}
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="routing-directory")

    def invalidate(self) -> None:
        """Forget every cached answer (the registry changed)."""
        with self._lock:
            self._generation += 1
            self._recipients.clear()
            self._endpoints.clear()

    def resolve_recipients(self, recipients: Sequence[str]) -> list[Recipient]:
        """What each written recipient stands for, in order (cached per recipient as written, trimmed).

        Raises the registry's error when it cannot answer (the caller retries later).
        """
        keys = [r.strip() for r in recipients]
        with self._lock:
            known = {k: self._recipients[k] for k in keys if k in self._recipients}
            generation = self._generation
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        chunks = [missing[i:i + RESOLVE_CHUNK] for i in range(0, len(missing), RESOLVE_CHUNK)]
        for chunk, answers in zip(chunks, self._map(self._directory.resolve_recipients, chunks), strict=True):
            if isinstance(answers, Exception):
                raise answers
            known.update(zip(chunk, answers, strict=True))
        with self._lock:
            if generation == self._generation:  # not invalidated while fetching
                self._recipients.update((k, known[k]) for k in missing)
        return [known[k] for k in keys]

    def _cached(self, cache: dict, key: object, fetch: Callable[[], T]) -> T:
        with self._lock:
            if key in cache:
                return cache[key]
            generation = self._generation
        value = fetch()
        with self._lock:
            if generation == self._generation:  # not invalidated while fetching
                cache[key] = value
        return value

    def push_endpoints(self, agency_code: str) -> list[str]:
        return self._cached(self._endpoints, agency_code, lambda: self._directory.push_endpoints(agency_code))

    def push_endpoints_many(self, codes: Sequence[str]) -> list[list[str]]:
        """Push endpoints of many agencies, fetched concurrently; raises the first error."""
        results = self._map(self.push_endpoints, codes)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results  # type: ignore[return-value]

    def _map(self, fn: Callable[[T], object], items: Sequence[T]) -> list:
        def safe(item: T) -> object:
            try:
                return fn(item)
            except Exception as exc:  # noqa: BLE001 - returned to the caller, which decides
                return exc
        if len(items) <= 1:
            return [safe(i) for i in items]
        return list(self._pool.map(safe, items))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
