"""Documents service benchmarks: edXML throughput, memory for a 200 MB attachment, parse cost vs bare lxml.

    uv run python bench/documents_bench.py [--packages 300] [--concurrency 4] [--big-mb 200]
                                           [--parse-mb 10] [--distributed] [--only throughput|memory|parse]

1. **throughput**: packages/s for a ~100 KB edXML package holding one signed PDF, posted to
   ``POST /api/v1/documents/edxml`` of a running axis (embedded: one ``lienthong run`` process;
   ``--distributed``: six processes on PostgreSQL, Tansu and moto). Each package is parsed, validated
   (registry look-ups), its PDF's signature validated by signing, stored, and announced in the outbox.
2. **memory**: RSS growth of the embedded axis process (peak ``VmHWM`` after minus peak before) while it
   accepts one package with a ``--big-mb`` attachment (a text file, so that the measure is the documents
   path: ValidatePdf takes the PDF whole in one gRPC message until its streaming form exists).
3. **parse**: time to parse a ``--parse-mb`` edXML package with :func:`lienthong.edxml.parse` (decoding
   and hashing the attachment into a discarding sink) against ``lxml.etree.fromstring`` of the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
from lxml import etree

from lienthong.edxml import (
    Attachment,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organ,
    PromulgationInfo,
    SignerInfo,
    parse,
    write,
)
from lienthong.signing.adapters.dev_pki import generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.testing.axis import Axis, distributed_axis, embedded_axis
from lienthong.testing.load import drain
from lienthong.testing.machine import describe_machine

SENDER, RECIPIENT = "000.00.07.H99", "000.00.31.H99"
MACHINE = describe_machine()


def package(number: int, attachment_name: str, content_type: str) -> DocumentPackage:
    header = MessageHeader(
        **{"from": Organ(organ_id=SENDER, organ_name="Sở Khoa học và Công nghệ tỉnh Mẫu")},
        to=[Organ(organ_id=RECIPIENT, organ_name="Ủy ban nhân dân xã Tân Phú")],
        code=Code(code_number=str(number), code_notation="CV-SKHCN"),
        promulgation_info=PromulgationInfo(place="Tỉnh Mẫu", promulgation_date=date(2026, 11, 25)),
        document_type=DocumentType(type=1, type_name="Công văn"),
        subject=f"Công văn số {number} về việc đo hiệu năng trục liên thông", signer_info=SignerInfo(
            competence="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", full_name="Lê Văn Mẫu"))
    return DocumentPackage(header=header, attachments=[
        Attachment(content_id="1", attachment_name=attachment_name, content_type=content_type)])


def padded_pdf(size: int) -> bytes:
    """A valid PDF of about ``size`` bytes (an unused stream object pads it)."""
    filler = (b"LienThong benchmark filler " * (size // 27 + 1))[:size]
    return minimal_pdf("Công văn đo hiệu năng", extra_objects=(
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",))


@contextmanager
def running_axis(workdir: Path, trust: Path, distributed: bool, env: dict[str, str]) -> Iterator[Axis]:
    workdir.mkdir(parents=True, exist_ok=True)
    if not distributed:
        with embedded_axis(workdir, trust, env=env) as axis:
            yield axis
        return
    from lienthong.testing.kafka import start_tansu, stop_tansu
    from lienthong.testing.net import free_port
    from lienthong.testing.s3 import start_moto, stop_process

    kafka_port, s3_port = free_port(), free_port()
    tansu, moto = start_tansu(kafka_port), start_moto(s3_port)
    try:
        with distributed_axis(workdir, trust, kafka_bootstrap=f"127.0.0.1:{kafka_port}", s3={
                "endpoint": f"127.0.0.1:{s3_port}", "access_key": "testing", "secret_key": "testing"}) as axis:
            yield axis
    finally:
        stop_tansu(tansu)
        stop_process(moto)


def token(axis: Axis, code: str) -> dict[str, str]:
    client = axis.cli("registry", "add-client", "--name", f"bench {code}", "--agency", code)
    return {"Authorization": f"Bearer {axis.token(client)}", "Content-Type": "application/xml"}


def bench_throughput(args: argparse.Namespace, workdir: Path, pki: Path) -> None:
    pdf = sign_pdf(padded_pdf(66 * 1024), pki, who="person")
    bodies = []
    for number in range(1, args.packages + 1):
        out = io.BytesIO()
        write(package(number, f"{number}-CV.pdf", "application/pdf"), out, lambda a: [pdf])
        bodies.append(out.getvalue())
    mode = "distributed" if args.distributed else "embedded"
    with running_axis(workdir / "throughput", pki / "trust", args.distributed, {}) as axis:
        headers = token(axis, SENDER)
        url = axis.url("documents", "/api/v1/documents/edxml")
        warm = httpx.post(url, headers=headers, content=bodies[0], timeout=60)
        assert warm.status_code == 201, warm.text
        assert warm.json()["signature"]["indication"] == "TOTAL_PASSED", warm.text

        def post(client: httpx.Client, body: bytes) -> str | None:
            resp = client.post(url, headers=headers, content=body)
            return None if resp.status_code == 201 else resp.text

        result = drain(bodies[1:], concurrency=args.concurrency, open_client=lambda: httpx.Client(timeout=120),
                       send=post)
    print(f"[throughput] {mode}, {MACHINE}: {result.count} packages of {len(bodies[1]) / 1024:.0f} KB "
          f"(one signed PDF), {args.concurrency} clients: {result.per_second:.1f} packages/s, latency p50 "
          f"{result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, failures {len(result.failures)}")
    if result.failures:
        print("  first failure:", result.failures[0])


def vm(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def bench_memory(args: argparse.Namespace, workdir: Path, pki: Path) -> None:
    size = args.big_mb * 1024 * 1024
    line = "Dòng dữ liệu bảng kê kinh phí năm 2026;1234567;Sở Khoa học và Công nghệ\n".encode()
    source = workdir / "big.edxml"
    with source.open("wb") as out:
        def chunks(_: Attachment) -> Iterator[bytes]:
            block = line * (1024 * 1024 // len(line))
            written = 0
            while written < size:
                piece = block[: size - written]
                written += len(piece)
                yield piece
        write(package(1, "bang-ke.txt", "text/plain"), out, chunks)
    limit = str(size + 16 * 1024 * 1024)
    env = {"LIENTHONG_DOCUMENTS_MAX_ATTACHMENT_BYTES": limit, "LIENTHONG_DOCUMENTS_MAX_PACKAGE_BYTES": limit}
    with running_axis(workdir / "memory", pki / "trust", False, env) as axis:
        headers = token(axis, SENDER)
        pid = axis.processes[0].pid
        # one small package first, so that every code path is loaded before the measure
        small = io.BytesIO()
        write(package(2, "nho.txt", "text/plain"), small, lambda a: [line])
        first = httpx.post(axis.url("documents", "/api/v1/documents/edxml"), headers=headers,
                           content=small.getvalue(), timeout=60)
        assert first.status_code == 201, first.text
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
        before_rss = vm(pid, "VmRSS")
        sampled = [before_rss]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                sampled.append(vm(pid, "VmRSS"))

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        try:
            with source.open("rb") as body:
                resp = httpx.post(axis.url("documents", "/api/v1/documents/edxml"), headers=headers,
                                  content=iter(lambda: body.read(1024 * 1024), b""), timeout=600)
        finally:
            done.set()
            sampler.join()
        elapsed = time.perf_counter() - started
        assert resp.status_code == 201, resp.text
        peak = max(vm(pid, "VmHWM"), *sampled)
        digest = resp.json()["attachments"][0]["sha256"]
    print(f"[memory] embedded, {MACHINE}: one {args.big_mb} MB attachment ({source.stat().st_size / 2**20:.0f} MB "
          f"edXML) accepted in {elapsed:.1f} s; axis RSS before {before_rss / 2**20:.0f} MB, peak growth "
          f"{(peak - before_rss) / 2**20:.0f} MB (target < 150 MB); sha256 {digest[:16]}...")


class _Discard:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)

    def commit(self) -> str:
        return "discarded"

    def abort(self) -> None:
        self.size = 0


def bench_parse(args: argparse.Namespace) -> None:
    attachment = os.urandom(int(args.parse_mb * 1024 * 1024 * 3 / 4) - 4096)
    out = io.BytesIO()
    write(package(1, "du-lieu.pdf", "application/pdf"), out, lambda a: [attachment])
    out.seek(0)
    data = out.read()
    ours, bare, equivalent = [], [], []
    secure = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for _ in range(args.rounds):
        started = time.perf_counter()
        result = parse(data, sink=_Discard)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        tree = etree.fromstring(data, secure)
        bare.append(time.perf_counter() - started)
        text = tree.findtext(".//{*}ContentTransferEncoded")
        hashlib.sha256(base64.b64decode(text)).hexdigest()
        equivalent.append(time.perf_counter() - started)
    assert result.package.attachments[0].sha256 == hashlib.sha256(attachment).hexdigest()  # type: ignore[union-attr]
    o, b, e = statistics.median(ours), statistics.median(bare), statistics.median(equivalent)
    print(f"[parse] {MACHINE}: {len(data) / 2**20:.1f} MB edXML, median of {args.rounds}: lienthong.edxml.parse "
          f"{o * 1000:.0f} ms (streaming base64 decode + SHA-256 included); bare lxml fromstring {b * 1000:.0f} ms "
          f"(ratio {o / b:.2f}x); lxml fromstring + base64 decode + SHA-256 in memory {e * 1000:.0f} ms "
          f"(ratio {o / e:.2f}x)")

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--parse-mb", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--distributed", action="store_true")
    parser.add_argument("--only", choices=["throughput", "memory", "parse"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="documents-bench-") as tmp:
        workdir = Path(tmp)
        if args.only in (None, "parse"):
            bench_parse(args)
        if args.only in (None, "throughput", "memory"):
            pki = workdir / "pki"
            generate_dev_pki(pki)
            if args.only in (None, "throughput"):
                bench_throughput(args, workdir, pki)
            if args.only in (None, "memory"):
                bench_memory(args, workdir, pki)
    print(json.dumps({"machine": MACHINE}))


if __name__ == "__main__":
    main()
