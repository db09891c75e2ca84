"""Registry benchmarks on PostgreSQL (figures printed; never asserted).

    uv run python bench/registry_bench.py [--per-client 100] [--processes 2] [--resolve-calls 5000]

1. Identifier issuance: 32 concurrent clients (``--processes`` processes x threads, like registry replicas
   sharing one database) reserving numbers for one agency, then for 100 agencies: issued/s, then the
   gapless report (every N from 1 to the maximum present; none missing).
2. ``Resolve`` over gRPC on loopback with the ~2,000-agency sample and a 500-code merge applied:
   p50/p99 latency of one client, and calls/s with 8 concurrent clients.
3. Applying a 2,000-row reorganisation plan (renames, merges, moves, code changes): time and events.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.platform import clock
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer, build_server
from lienthong.platform.messaging.tables import outbox_events
from lienthong.registry.adapters.crypto import SecretBox
from lienthong.registry.bootstrap import MIGRATIONS
from lienthong.registry.entrypoints.cli import load_sample, sample_agencies
from lienthong.registry.entrypoints.grpc import RegistryServicer
from lienthong.registry.service.use_cases import Registry
from lienthong.testing.net import free_port
from lienthong.testing.postgres import create_database, drop_database

CLIENTS = 32
KEY = Fernet.generate_key().decode()


def registry_on(url: str, pool: int = 40) -> tuple[Registry, Database]:
    database = Database(url, pool_size=pool, max_overflow=0)
    return Registry(database, SecretBox([KEY]), issuer="bench", audience="bench", token_ttl_s=60,
                    reservation_ttl_s=3600), database


def prepared_database() -> str:
    url = create_database("lt_regbench")
    registry, database = registry_on(url, pool=2)
    run_migrations(database.engine, MIGRATIONS)
    load_sample(registry)
    database.dispose()
    return url


def _issue_worker(url: str, codes: list[str], threads: int, per_client: int, start: multiprocessing.Barrier,
                  done: multiprocessing.Queue) -> None:
    registry, database = registry_on(url, pool=threads + 2)

    def client(i: int) -> int:
        mine = codes[i::threads] or codes  # each client cycles through its share of the agencies
        for n in range(per_client):
            registry.numbering.issue(mine[n % len(mine)], purpose="bench")
        return per_client

    start.wait()
    with ThreadPoolExecutor(threads) as pool:
        issued = sum(pool.map(client, range(threads)))
    done.put(issued)
    database.dispose()


def bench_issuance(url: str, label: str, codes: list[str], processes: int, per_client: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    threads = CLIENTS // processes
    start, done = ctx.Barrier(processes + 1), ctx.Queue()
    workers = []
    for p in range(processes):
        mine = codes[p::processes] if len(codes) > 1 else codes
        workers.append(ctx.Process(target=_issue_worker, args=(url, mine, threads, per_client, start, done)))
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    issued = sum(done.get() for _ in workers)
    elapsed = time.perf_counter() - began
    for w in workers:
        w.join()
    registry, database = registry_on(url, pool=2)
    reports = [r for r in registry.numbering.report() if r.agency_code in set(codes)]
    database.dispose()
    missing = sum(len(r.missing) for r in reports)
    top = sum(r.max_number for r in reports)
    print(f"issuance, {label}: {issued} numbers by {CLIENTS} clients in {elapsed:.2f}s = {issued / elapsed:,.0f}/s; "
          f"gapless report: {len(reports)} sequences, max N total {top}, missing {missing}, "
          f"reserved {sum(len(r.reserved) for r in reports)} -> {'NO GAP' if missing == 0 and top == issued else 'GAP'}")


def merge_500(registry: Registry) -> list[str]:
    """Merge 500 commune units into 50 successors (ten into one) at once; returns the merged codes."""
    units = [a["code"] for a in sample_agencies() if a["level"] == "unit" and a["parent_code"]
             and a["parent_code"].startswith(("000.00.", "H99."))
             and a["parent_code"] not in {r["code"] for r in sample_agencies() if r["level"] != "commune"}]
    units = units[:550]
    successors, merged = units[:50], units[50:550]
    rows = [{"action": "merge", "old_code": code, "new_code": successors[i % 50]} for i, code in enumerate(merged)]
    result = registry.directory.submit_plan(rows, effective_at=clock.now(), actor="bench")
    assert result.status == "applied", result.outcome.errors
    return merged


def bench_resolve(url: str, calls: int) -> None:
    registry, database = registry_on(url, pool=20)
    merged = merge_500(registry)
    active = [a["code"] for a in sample_agencies() if a["code"] not in set(merged)]
    address = f"127.0.0.1:{free_port()}"
    server = build_server(address, [Servicer(registry_pb2_grpc.add_RegistryServiceServicer_to_server,
                                             RegistryServicer(registry), "lienthong.api.registry.v1.RegistryService")],
                          max_workers=16)
    server.start()
    rng = random.Random(7)
    codes = [rng.choice(merged) if i % 2 else rng.choice(active) for i in range(calls)]
    with grpc.insecure_channel(address) as channel:
        stub = registry_pb2_grpc.RegistryServiceStub(channel)
        for code in codes[:200]:  # warm-up
            stub.Resolve(registry_pb2.ResolveRequest(code=code))
        latencies = []
        for code in codes:
            t = time.perf_counter()
            stub.Resolve(registry_pb2.ResolveRequest(code=code))
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99)]
        lock, done = threading.Lock(), [0]

        def client(part: list[str]) -> None:
            for code in part:
                stub.Resolve(registry_pb2.ResolveRequest(code=code))
            with lock:
                done[0] += len(part)

        began = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(client, [codes[i::8] for i in range(8)]))
        rate = done[0] / (time.perf_counter() - began)
    server.stop(0)
    database.dispose()
    print(f"resolve over gRPC, {len(sample_agencies())} agencies + 500-code merge (half the calls follow a merge): "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms (one client, {calls} calls); {rate:,.0f} calls/s with 8 clients")


def plan_rows() -> list[dict]:
    """2,000 disjoint operations on the sample: 600 units merged five by five into 120 new successors,
    300 moves, 200 code changes, 800 renames and 100 new agencies."""
    sample = sample_agencies()
    units = [a for a in sample if a["level"] == "unit"]
    departments = [a["code"] for a in sample if a["level"] == "province" and a["code"] != "000.00.00.H99"]
    rows: list[dict] = []
    for i, a in enumerate(units[:600]):
        rows.append({"action": "merge", "old_code": a["code"], "new_code": f"H99.9{i // 5:03d}",
                     "name": f"Đơn vị hợp nhất số {i // 5}", "level": "unit",
                     "parent_code": departments[(i // 5) % len(departments)]})
    for i, a in enumerate(units[600:900]):
        target = departments[i % len(departments)]
        if target == a["parent_code"]:
            target = departments[(i + 1) % len(departments)]
        rows.append({"action": "move", "old_code": a["code"], "parent_code": target})
    for i, a in enumerate(units[900:1100]):
        rows.append({"action": "change_code", "old_code": a["code"], "new_code": f"H99.8{i:03d}"})
    renamed = units[1100:1770] + [a for a in sample if a["level"] in ("commune", "province")][:130]
    for a in renamed:
        rows.append({"action": "rename", "old_code": a["code"], "name": a["name"] + " (tổ chức lại)"})
    for i in range(2000 - len(rows)):
        rows.append({"action": "create", "new_code": f"H99.7{i:03d}", "name": f"Trung tâm mới số {i}",
                     "level": "unit", "kind": "public-service-unit", "parent_code": departments[i % len(departments)]})
    return rows


def bench_plan(url: str) -> None:
    registry, database = registry_on(url, pool=4)
    rows = plan_rows()
    with database.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(outbox_events)).scalar_one()
    began = time.perf_counter()
    dry = registry.directory.submit_plan(rows, effective_at=clock.now(), actor="bench", dry_run=True)
    validated = time.perf_counter() - began
    assert not dry.outcome.errors, dry.outcome.errors[:5]
    began = time.perf_counter()
    result = registry.directory.submit_plan(rows, effective_at=clock.now(), actor="bench")
    elapsed = time.perf_counter() - began
    with database.engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(outbox_events)).scalar_one() - before
    database.dispose()
    print(f"plan of {len(rows)} rows: dry run (whole-plan validation + diff) {validated:.2f}s; applied atomically in "
          f"{elapsed:.2f}s, {len(result.outcome.changed)} agency versions written, {events} events emitted "
          f"({result.events} for the operations + 1 plan summary)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-client", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2, help="one per core works best")
    parser.add_argument("--resolve-calls", type=int, default=5000)
    args = parser.parse_args()
    urls = []
    try:
        url = prepared_database()
        urls.append(url)
        bench_issuance(url, "one agency", ["000.00.11.H99"], args.processes, args.per_client)
        hundred = [a["code"] for a in sample_agencies() if a["level"] == "unit"][:100]
        bench_issuance(url, "100 agencies", hundred, args.processes, args.per_client)
        urls.append(url := prepared_database())
        bench_resolve(url, args.resolve_calls)
        urls.append(url := prepared_database())
        bench_plan(url)
    finally:
        for u in urls:
            drop_database(u)


if __name__ == "__main__":
    main()
