"""Closed-loop load for the benchmarks: a few clients drain a queue of requests as fast as the axis answers."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

Item = TypeVar("Item")
Client = TypeVar("Client")


@dataclass(frozen=True)
class LoadResult:
    """Per-request latencies (seconds), failure texts and the wall time of one run."""

    latencies: list[float]
    failures: list[str]
    wall_s: float

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.count / self.wall_s

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95_ms(self) -> float:
        return sorted(self.latencies)[max(int(self.count * 0.95) - 1, 0)] * 1000


def drain(items: Sequence[Item], *, concurrency: int, open_client: Callable[[], AbstractContextManager[Client]],
          send: Callable[[Client, Item], str | None]) -> LoadResult:
    """Send every item once from ``concurrency`` threads, each with its own client from ``open_client``.

    ``send`` returns None on success or a failure text; an exception it raises counts as a failure too.
    """
    queue = list(items)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        with open_client() as client:
            while True:
                with lock:
                    if not queue:
                        return
                    item = queue.pop()
                started = time.perf_counter()
                try:
                    failure = send(client, item)
                except Exception as exc:  # noqa: BLE001 - counted and reported by the benchmark
                    failure = str(exc)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if failure is not None:
                        failures.append(failure[:200])

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(latencies, failures, time.perf_counter() - started)


