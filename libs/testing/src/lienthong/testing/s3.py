"""S3 fixtures: the endpoint at ``LIENTHONG_TEST_S3_ENDPOINT`` if set, else a moto server on loopback.

Keys for an external endpoint come from ``LIENTHONG_TEST_S3_ACCESS_KEY`` and
``LIENTHONG_TEST_S3_SECRET_KEY`` (default ``testing``); moto accepts any keys.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from minio import Minio

from lienthong.testing.net import free_port, wait_for_port


@dataclass(frozen=True)
class S3Endpoint:
    """Where an S3 server listens and the keys to sign requests with."""

    endpoint: str
    """``host:port``, no scheme."""
    access_key: str
    secret_key: str
    region: str = "us-east-1"

    def client(self) -> Minio:
        """A MinIO SDK client for this endpoint (plain HTTP)."""
        return Minio(self.endpoint, access_key=self.access_key, secret_key=self.secret_key,
                     secure=False, region=self.region)


def _moto_command() -> list[str]:
    """The venv's ``moto_server`` script, or ``python -m moto.server`` when it is not installed as a script."""
    script = Path(sys.executable).with_name("moto_server")
    if script.exists():
        return [str(script)]
    found = shutil.which("moto_server")
    return [found] if found else [sys.executable, "-m", "moto.server"]


def start_moto(port: int, timeout_s: float = 30.0) -> subprocess.Popen[bytes]:
    """Start a moto S3 server on ``127.0.0.1:port`` and return once it accepts connections.

    The caller owns the process and stops it (``terminate()`` then ``wait()``). Its request
    log goes to /dev/null so that a busy test run never blocks on a full pipe.
    """
    proc = subprocess.Popen([*_moto_command(), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout_s=timeout_s)
    except TimeoutError:
        stop_process(proc)
        raise
    return proc


def stop_process(proc: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    """Terminate ``proc`` and reap it, killing it if it does not exit within ``timeout_s``."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    """An S3 endpoint for the whole test session: external if configured, else a moto server we start."""
    external = os.environ.get("LIENTHONG_TEST_S3_ENDPOINT")
    if external:
        yield S3Endpoint(
            endpoint=external,
            access_key=os.environ.get("LIENTHONG_TEST_S3_ACCESS_KEY", "testing"),
            secret_key=os.environ.get("LIENTHONG_TEST_S3_SECRET_KEY", "testing"),
        )
        return
    port = free_port()
    proc = start_moto(port)
    try:
        yield S3Endpoint(endpoint=f"127.0.0.1:{port}", access_key="testing", secret_key="testing")
    finally:
        stop_process(proc)
