"""A caching view of the registry: resolutions, group members and push endpoints.

Routing asks the registry the same questions for every document (who receives for this
code, who is in "all communes", where does this agency's system take pushes). The answers
are cached until any registry event arrives (``invalidate``), and many codes are resolved
concurrently so that a fan-out to thousands of recipients stays within seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from lienthong.routing.domain.recipients import GroupSpec
from lienthong.routing.service.ports import Directory, Member, Resolution

T = TypeVar("T")


class CachedDirectory:
    """Wraps a :class:`Directory`; answers are cached until :meth:`invalidate`."""

    def __init__(self, directory: Directory, *, concurrency: int = 8):
        self._directory = directory
        self._lock = threading.Lock()
        self._generation = 0
        self._resolutions: dict[str, Resolution] = {}
        self._groups: dict[GroupSpec, list[Member]] = {}
        self._endpoints: dict[str, list[str]] = {}
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="routing-directory")

    def invalidate(self) -> None:
        """Forget every cached answer (the registry changed)."""
        with self._lock:
            self._generation += 1
            self._resolutions.clear()
            self._groups.clear()
            self._endpoints.clear()

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

    def resolve(self, code: str) -> Resolution:
        return self._cached(self._resolutions, code, lambda: self._directory.resolve(code))

    def group_members(self, group: GroupSpec) -> list[Member]:
        return self._cached(self._groups, group, lambda: self._directory.group_members(group))

    def push_endpoints(self, agency_code: str) -> list[str]:
        return self._cached(self._endpoints, agency_code, lambda: self._directory.push_endpoints(agency_code))

    def resolve_many(self, codes: Sequence[str]) -> list[Resolution | Exception]:
        """Resolve ``codes`` concurrently; each result is a Resolution or the error it raised."""
        return self._map(self.resolve, codes)

    def push_endpoints_many(self, codes: Sequence[str]) -> list[list[str]]:
        """Push endpoints of many agencies, fetched concurrently; raises the first error."""
        results = self._map(self.push_endpoints, codes)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results  # type: ignore[return-value]

    def _map(self, fn: Callable[[str], T], codes: Sequence[str]) -> list[T | Exception]:
        def safe(code: str) -> T | Exception:
            try:
                return fn(code)
            except Exception as exc:  # noqa: BLE001 - returned to the caller, which decides per code
                return exc
        if len(codes) <= 1:
            return [safe(c) for c in codes]
        return list(self._pool.map(safe, codes))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
