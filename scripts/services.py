"""Start the test run's shared servers on loopback and keep them up until told to stop.

    uv run python scripts/services.py                  # prints the exports, Ctrl-C stops
    uv run python scripts/services.py --env-file F     # writes the exports to F once ready

Starts a Tansu broker (Kafka protocol) and a moto S3 server on free 127.0.0.1 ports,
through the helpers of ``lienthong.testing`` (this file only wires them), then writes the
variables the test fixtures read:

    LIENTHONG_TEST_KAFKA_BOOTSTRAP, LIENTHONG_TEST_S3_ENDPOINT,
    LIENTHONG_TEST_S3_ACCESS_KEY, LIENTHONG_TEST_S3_SECRET_KEY

It stops both servers on SIGTERM, SIGINT or SIGHUP, when one of them dies, and when the
process that started it goes away (so a killed ``scripts/test.sh`` leaves nothing behind).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

from lienthong.testing.kafka import start_tansu, stop_tansu
from lienthong.testing.net import free_port
from lienthong.testing.s3 import start_moto, stop_process

S3_KEY = "testing"
"""moto accepts any keys; the fixtures sign with these."""


def _die_with_parent() -> None:
    """Ask Linux to send us SIGTERM when our parent exits (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-file", type=Path, help="write 'export NAME=value' lines here once ready")
    parser.add_argument("--no-kafka", action="store_true", help="do not start Tansu")
    parser.add_argument("--no-s3", action="store_true", help="do not start moto")
    args = parser.parse_args(argv)

    parent = os.getppid()
    _die_with_parent()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda *_: stop.set())

    procs: list[tuple[str, subprocess.Popen, object]] = []
    env: dict[str, str] = {}
    code = 0
    try:
        if not args.no_kafka:
            port = free_port()
            procs.append(("tansu", start_tansu(port), stop_tansu))
            env["LIENTHONG_TEST_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{port}"
        if not args.no_s3:
            port = free_port()
            procs.append(("moto", start_moto(port), stop_process))
            env["LIENTHONG_TEST_S3_ENDPOINT"] = f"127.0.0.1:{port}"
            env["LIENTHONG_TEST_S3_ACCESS_KEY"] = S3_KEY
            env["LIENTHONG_TEST_S3_SECRET_KEY"] = S3_KEY

        text = "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())
        if args.env_file:
            tmp = args.env_file.with_name(args.env_file.name + ".tmp")
            tmp.write_text(text)
            tmp.replace(args.env_file)  # atomic: the reader never sees half a file
        else:
            print(text, end="", flush=True)
        print("services.py: ready: " + ", ".join(f"{n} pid {p.pid}" for n, p, _ in procs),
              file=sys.stderr, flush=True)

        while not stop.wait(0.5):
            if os.getppid() != parent:
                print("services.py: parent went away, stopping", file=sys.stderr)
                break
            dead = [(name, proc.returncode) for name, proc, _ in procs if proc.poll() is not None]
            if dead:
                print(f"services.py: died unexpectedly: {dead}", file=sys.stderr)
                code = 1
                break
    except Exception as exc:  # noqa: BLE001 - report any start failure and stop what did start
        print(f"services.py: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 1
    finally:
        for _name, proc, stopper in reversed(procs):
            stopper(proc)  # type: ignore[operator]
    return code


if __name__ == "__main__":
    raise SystemExit(main())
