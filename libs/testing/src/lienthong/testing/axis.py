"""Start the whole axis as processes, in either run mode, for the e2e suite and the benchmarks.

Embedded: one ``lienthong run`` process (SQLite, local event log, file blobs).
Distributed: six ``lienthong serve <service>`` processes on PostgreSQL (one database
each), a Kafka broker (Tansu in tests) and an S3 endpoint (moto in tests).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from lienthong.testing.net import free_port, wait_for_port
from lienthong.testing.postgres import create_database, drop_database

SERVICES = ("registry", "signing", "documents", "routing", "archive", "reporting")


@dataclass
class Axis:
    """A running axis: where each service's HTTP API is, and the environment its CLI needs."""

    mode: str
    http: dict[str, str]
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    def url(self, service: str, path: str) -> str:
        return self.http[service] + path

    def cli(self, *args: str) -> dict:
        """Run ``lienthong <args>`` against this axis' registry/signing databases; returns its JSON output."""
        out = subprocess.run([sys.executable, "-m", "lienthong.axis", *args], env=self.env, check=True,
                             capture_output=True, text=True, timeout=120)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def token(self, client: dict) -> str:
        """An access token for a client made with ``registry add-client``."""
        resp = httpx.post(self.url("registry", "/oauth2/token"), data={
            "grant_type": "client_credentials", "client_id": client["client_id"],
            "client_secret": client["client_secret"]}, timeout=10)
        resp.raise_for_status()
        return resp.json()["access_token"]


def _base_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIENTHONG_") or k.startswith("LIENTHONG_TEST")}
    env.update({"PYTHONUNBUFFERED": "1", "TZ": "Asia/Ho_Chi_Minh", "LIENTHONG_LOG_LEVEL": "WARNING"})
    env.update(extra)
    return env


def _wait_healthy(base: str, processes: list[subprocess.Popen], timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for p in processes:
            if p.poll() is not None:
                raise RuntimeError(f"process {p.args} exited with {p.returncode} during start-up")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{base}/healthz not healthy after {timeout_s}s")


def _stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _spawn(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log = log_path.open("ab")
    return subprocess.Popen([sys.executable, "-m", "lienthong.axis", *args], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


@contextmanager
def embedded_axis(workdir: Path, trust_dir: Path, *, env: dict[str, str] | None = None) -> Iterator[Axis]:
    """The whole axis as one ``lienthong run`` process with its files under ``workdir``.

    ``env`` adds settings (e.g. ``LIENTHONG_REGISTRY_TOKEN_TTL_S``) to the process' environment.
    """
    http_port, grpc_port = free_port(), free_port()
    env = _base_env({
        "LIENTHONG_DATA_DIR": str(workdir / "data"), "LIENTHONG_HTTP_PORT": str(http_port),
        "LIENTHONG_GRPC_PORT": str(grpc_port), "LIENTHONG_SIGNING_TRUST_ROOTS": str(trust_dir), **(env or {}),
    })
    proc = _spawn(["run", "--sample-data"], env, workdir / "axis.log")
    base = f"http://127.0.0.1:{http_port}"
    axis = Axis("embedded", {s: base for s in SERVICES}, env, [proc])
    try:
        _wait_healthy(base, [proc])
        yield axis
    finally:
        _stop(axis.processes)


@contextmanager
def distributed_axis(workdir: Path, trust_dir: Path, *, kafka_bootstrap: str, s3: dict[str, str]) -> Iterator[Axis]:
    """Six service processes on PostgreSQL, Kafka and S3, all on 127.0.0.1."""
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    databases = {s: create_database(f"lt_{s}") for s in SERVICES}
    env = _base_env({
        "LIENTHONG_MODE": "distributed", "LIENTHONG_TRANSPORT": "kafka",
        "LIENTHONG_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "LIENTHONG_KAFKA_SESSION_TIMEOUT_MS": "6000",
        "LIENTHONG_KAFKA_FETCH_WAIT_MAX_MS": "100",
        "LIENTHONG_BLOB_BACKEND": "s3", "LIENTHONG_S3_ENDPOINT": s3["endpoint"],
        "LIENTHONG_S3_ACCESS_KEY": s3["access_key"], "LIENTHONG_S3_SECRET_KEY": s3["secret_key"],
        "LIENTHONG_DATA_DIR": str(workdir / "data"), "LIENTHONG_SIGNING_TRUST_ROOTS": str(trust_dir),
        "LIENTHONG_JWKS_URL": f"http://127.0.0.1:{ports['registry'][0]}/.well-known/jwks.json",
        # a Fernet key (32 random bytes, URL-safe base64) encrypting the registry's secrets at rest
        "LIENTHONG_REGISTRY_SECRET_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    })
    for s, (http_port, grpc_port) in ports.items():
        up = s.upper()
        env[f"LIENTHONG_{up}_DATABASE_URL"] = databases[s]
        env[f"LIENTHONG_{up}_HTTP_PORT"] = str(http_port)
        env[f"LIENTHONG_{up}_GRPC_PORT"] = str(grpc_port)
        env[f"LIENTHONG_{up}_S3_BUCKET"] = f"lt-{s}-{grpc_port}"
    env["LIENTHONG_DOCUMENTS_REGISTRY_GRPC_TARGET"] = f"127.0.0.1:{ports['registry'][1]}"
    env["LIENTHONG_DOCUMENTS_SIGNING_GRPC_TARGET"] = f"127.0.0.1:{ports['signing'][1]}"
    env["LIENTHONG_DOCUMENTS_ROUTING_GRPC_TARGET"] = f"127.0.0.1:{ports['routing'][1]}"
    env["LIENTHONG_ROUTING_REGISTRY_GRPC_TARGET"] = f"127.0.0.1:{ports['registry'][1]}"
    env["LIENTHONG_ROUTING_DOCUMENTS_GRPC_TARGET"] = f"127.0.0.1:{ports['documents'][1]}"
    env["LIENTHONG_ARCHIVE_DOCUMENTS_GRPC_TARGET"] = f"127.0.0.1:{ports['documents'][1]}"
    axis = Axis("distributed", {s: f"http://127.0.0.1:{p[0]}" for s, p in ports.items()}, env)
    try:
        for s in SERVICES:
            axis.processes.append(_spawn(["serve", s], env, workdir / f"{s}.log"))
        for s in SERVICES:
            _wait_healthy(axis.http[s], axis.processes)
            wait_for_port(ports[s][1])
        axis.cli("registry", "import-agencies", "--sample")
        yield axis
    finally:
        _stop(axis.processes)
        for url in databases.values():
            drop_database(url)


def eventually(check: Callable[[], Any], timeout_s: float = 60.0, interval_s: float = 0.1) -> Any:
    """Poll ``check`` until it returns a truthy value and return it (the axis is asynchronous); fail with
    the last result after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s: last result {result!r}")
        time.sleep(interval_s)
