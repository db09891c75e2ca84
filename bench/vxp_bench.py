"""The national axis' mailbox protocol on the embedded axis, driven by the SDK-exact client.

    uv run python bench/vxp_bench.py [--packages 300] [--concurrency 4]

1. **sendEdoc/s**: ``--packages`` edXML packages of ~100 KB (one signed PDF) sent by one agency
   system with ``VxpClient.send_edoc`` from ``--concurrency`` threads (each: HMAC check against the
   registry, hash-file, documents' full validation with the PDF's signature, storage, outbox).
2. **cycles/s**: once every package is pending in the recipient system's mailbox, one poller runs
   ``getReceivedEdocList`` + ``getEdoc`` + ``updateStatus done`` per package until the mailbox is
   empty (the list answers up to 1,000 items each time, as a real SDK poller sees it).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from lienthong.edxml import (
    Attachment,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organ,
    PromulgationInfo,
    SignerInfo,
    write,
)
from lienthong.signing.adapters.dev_pki import generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.testing.axis import embedded_axis
from lienthong.testing.load import drain
from lienthong.testing.machine import describe_machine
from lienthong.vxp.client import VxpClient
from lienthong.vxp.protocol import AckStatus

SENDER, RECIPIENT = "000.00.07.H99", "000.00.31.H99"
MACHINE = describe_machine()


def package(number: int, pdf: bytes) -> bytes:
    header = MessageHeader(
        **{"from": Organ(organ_id=SENDER, organ_name="Sở Khoa học và Công nghệ tỉnh Mẫu")},
        to=[Organ(organ_id=RECIPIENT, organ_name="Ủy ban nhân dân xã Tân Phú")],
        code=Code(code_number=str(number), code_notation="CV-SKHCN"),
        promulgation_info=PromulgationInfo(place="Tỉnh Mẫu", promulgation_date=date(2026, 11, 25)),
        document_type=DocumentType(type=1, type_name="Công văn"),
        subject=f"Công văn số {number} về việc đo hiệu năng hộp thư VXP", signer_info=SignerInfo(
            competence="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", full_name="Lê Văn Mẫu"))
    out = io.BytesIO()
    write(DocumentPackage(header=header, attachments=[
        Attachment(content_id="1", attachment_name=f"{number}-CV.pdf", content_type="application/pdf")]),
        out, lambda a: [pdf])
    return out.getvalue()


def padded_pdf(size: int) -> bytes:
    """A valid PDF of about ``size`` bytes (an unused stream object pads it)."""
    filler = (b"LienThong benchmark filler " * (size // 27 + 1))[:size]
    return minimal_pdf("Công văn đo hiệu năng", extra_objects=(
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate_dev_pki(work / "pki")
        pdf = sign_pdf(padded_pdf(66 * 1024), work / "pki", who="person")
        bodies = [package(n, pdf) for n in range(1, args.packages + 1)]
        (work / "axis").mkdir()
        with embedded_axis(work / "axis", work / "pki" / "trust") as axis:
            endpoint = axis.url("routing", "/vxp")
            a = axis.cli("systems", "add", "--agency", SENDER, "--name", "bench sender")
            b = axis.cli("systems", "add", "--agency", RECIPIENT, "--name", "bench recipient")
            def send(client: VxpClient, body: bytes) -> None:
                client.send_edoc(body, from_code=SENDER, to=[RECIPIENT])

            result = drain(bodies, concurrency=args.concurrency, send=send,
                           open_client=lambda: VxpClient(endpoint, a["system_id"], a["secret"], timeout=120))
            count, failures = result.count, result.failures
            print(f"[sendEdoc] embedded, {MACHINE}: {count} packages of {len(bodies[0]) / 1024:.0f} KB "
                  f"(one signed PDF), {args.concurrency} clients: {result.per_second:.1f} sendEdoc/s, latency p50 "
                  f"{result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, failures {len(failures)}")
            if failures:
                print("  first failure:", failures[0])

            with VxpClient(endpoint, b["system_id"], b["secret"], timeout=120) as poller:
                expected = count - len(failures)
                deadline = time.monotonic() + 300
                while poller.count_receive_edoc() < expected and time.monotonic() < deadline:
                    time.sleep(0.5)
                pending = poller.count_receive_edoc()
                cycles = 0
                spent: dict[str, list[float]] = {"list": [], "get": [], "ack": []}

                def timed(name: str, call, *call_args):
                    begun = time.perf_counter()
                    result = call(*call_args)
                    spent[name].append(time.perf_counter() - begun)
                    return result

                started = time.perf_counter()
                while True:
                    items = timed("list", poller.get_received_edoc_list)
                    if not items:
                        break
                    timed("get", poller.get_edoc, items[0].doc_id)
                    timed("ack", poller.update_status, items[0].doc_id, AckStatus.DONE)
                    cycles += 1
                wall = time.perf_counter() - started
            medians = ", ".join(f"{name} {statistics.median(values) * 1000:.1f} ms"
                                for name, values in spent.items() if values)
            print(f"[cycles] embedded, {MACHINE}: {pending} pending packages, one poller: {cycles} "
                  f"getReceivedEdocList + getEdoc + updateStatus cycles in {wall:.1f} s = {cycles / wall:.1f} "
                  f"cycles/s (median per call: {medians})")


if __name__ == "__main__":
    main()
