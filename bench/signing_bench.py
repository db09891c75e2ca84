"""Signing benchmarks: validation through the service vs pyHanko directly, keys, B-LTA extension, processes.

    uv run python bench/signing_bench.py [--seconds 5]

Prints one line per figure:

* validations/s of a ~1 MB PDF with one and with two signatures: a direct pyHanko call
  (``validate_pdf_signature`` per signature, same trust material) and the signing service
  over gRPC (``ValidatePdf`` and the streamed ``Validate``, a separate ``lienthong serve
  signing`` process that also stores each report and its event) — and the ratio;
* signatures/s with a SoftHSM2 key vs a PKCS#12 software key (PAdES B-B, no TSA, so the
  key is what differs) and B-T through the signing engine (loopback TSA);
* B-LTA extension time (DSS with OCSP/CRL fetched from the loopback server + document timestamp);
* validations/s with 1 and 2 worker processes (direct validator) and the scaling factor.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import grpc

from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.signing.adapters.dev_pki import DevPki, generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.signing.adapters.dev_services import serve_dev_pki
from lienthong.signing.adapters.dev_softhsm import provision_token, softhsm_available
from lienthong.signing.adapters.keys import KeyRing
from lienthong.signing.adapters.pades import PadesValidator
from lienthong.signing.adapters.pades_signer import PadesSigner
from lienthong.signing.adapters.trust_store import TrustStore
from lienthong.signing.domain.keys import Appearance
from lienthong.testing.net import free_port, wait_for_port

CHUNK = 256 * 1024


def rate(fn: Callable[[], object], seconds: float) -> tuple[float, float]:
    """Calls per second over ``seconds`` (after one warm-up call) and the median latency in ms."""
    fn()
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 3:
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return len(times) / sum(times), statistics.median(times) * 1000


def interleaved(calls: dict[str, Callable[[], object]], seconds: float) -> dict[str, list[float]]:
    """Round-robin timings (seconds) of each call: load from other processes hits every call alike."""
    for fn in calls.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in calls}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times[next(iter(calls))]) < 5:
        for name, fn in calls.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return times


def one_mb_pdf() -> bytes:
    """A one-page PDF carrying ~1 MB of incompressible data (an embedded image-like stream)."""
    blob = os.urandom(1024 * 1024)
    return minimal_pdf("Bao cao 1 MB", catalog_extra=b"/Blob 6 0 R ",
                       extra_objects=(b"<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream",))


def direct_validator(pki: DevPki) -> Callable[[bytes], object]:
    """pyHanko alone: read the PDF, validate each signature against the same trust material."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    trust = TrustStore([pki.trust_dir]).current()

    def run(pdf: bytes) -> object:
        reader = PdfFileReader(io.BytesIO(pdf))
        vc = ValidationContext(trust_roots=list(trust.anchors), other_certs=list(trust.intermediates),
                               crls=list(trust.crls), revocation_mode="soft-fail")
        return [validate_pdf_signature(s, vc).bottom_line for s in reader.embedded_signatures]

    return run


def _worker_validate(args: tuple[str, bytes, int]) -> int:
    trust_dir, pdf, count = args
    validator = PadesValidator(TrustStore([Path(trust_dir)]).current)
    for _ in range(count):
        validator.validate(pdf)
    return count


def processes_rate(pki: DevPki, pdf: bytes, workers: int, per_worker: int) -> float:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        pool.map(_worker_validate, [(str(pki.trust_dir), pdf, 1)] * workers)  # warm-up: imports
        started = time.perf_counter()
        done = sum(pool.map(_worker_validate, [(str(pki.trust_dir), pdf, per_worker)] * workers))
        return done / (time.perf_counter() - started)


def serve_signing(workdir: Path, pki: DevPki) -> tuple[subprocess.Popen, str]:
    grpc_port, http_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIENTHONG_")}
    env.update({"LIENTHONG_DATA_DIR": str(workdir / "data"), "LIENTHONG_SIGNING_TRUST_ROOTS": str(pki.trust_dir),
                "LIENTHONG_GRPC_PORT": str(grpc_port), "LIENTHONG_HTTP_PORT": str(http_port),
                "LIENTHONG_LOG_LEVEL": "WARNING", "LIENTHONG_SIGNING_MAX_PDF_BYTES": str(10 * 1024 * 1024)})
    proc = subprocess.Popen([sys.executable, "-m", "lienthong.axis", "serve", "signing"], env=env,
                            stdout=subprocess.DEVNULL, stderr=(workdir / "signing.log").open("wb"))
    wait_for_port(grpc_port, timeout_s=60)
    return proc, f"127.0.0.1:{grpc_port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per figure")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="signing-bench-"))
    pki = generate_dev_pki(work / "pki", base_url=f"http://127.0.0.1:{free_port()}")
    server = serve_dev_pki(pki)
    print(f"machine: {os.cpu_count()} CPUs; pyHanko direct vs service; {args.seconds:.0f} s per figure")

    base = one_mb_pdf()
    one = sign_pdf(base, pki, "person")
    two = sign_pdf(one, pki, "organisation")
    print(f"PDF sizes: one signature {len(one) / 1e6:.2f} MB, two signatures {len(two) / 1e6:.2f} MB")

    direct = direct_validator(pki)
    proc, target = serve_signing(work, pki)
    try:
        with grpc.insecure_channel(target, options=[("grpc.max_send_message_length", 64 * 1024 * 1024)]) as ch:
            stub = signing_pb2_grpc.SigningServiceStub(ch)

            def streamed(pdf: bytes) -> object:
                return stub.Validate(iter([signing_pb2.ValidateRequest(data=pdf[i:i + CHUNK])
                                           for i in range(0, len(pdf), CHUNK)]), timeout=60)

            for label, pdf in (("1 signature", one), ("2 signatures", two)):
                times = interleaved({
                    "direct": lambda pdf=pdf: direct(pdf),
                    "unary": lambda pdf=pdf: stub.ValidatePdf(signing_pb2.ValidatePdfRequest(pdf=pdf), timeout=60),
                    "stream": lambda pdf=pdf: streamed(pdf)}, 3 * args.seconds)
                ms = {name: statistics.median(t) * 1000 for name, t in times.items()}
                ratio = {name: statistics.median(a / b for a, b in zip(times[name], times["direct"], strict=True))
                         for name in ("unary", "stream")}
                print(f"validate 1 MB, {label} ({len(times['direct'])} interleaved rounds, medians): "
                      f"direct pyHanko {ms['direct']:.1f} ms ({1000 / ms['direct']:.1f}/s); "
                      f"gRPC ValidatePdf {ms['unary']:.1f} ms ({1000 / ms['unary']:.1f}/s, ratio "
                      f"{ratio['unary']:.2f}x); gRPC Validate stream {ms['stream']:.1f} ms "
                      f"({1000 / ms['stream']:.1f}/s, ratio {ratio['stream']:.2f}x)")
    finally:
        proc.terminate()
        proc.wait(15)

    keys = work / "keys.toml"
    text = f"""
[[keys]]
id = "soft"
agency_codes = ["X"]
backend = "pkcs12"
path = "{pki.p12_path('organisation')}"
passphrase = "lienthong-dev"
chain = ["{pki.issuing.cert_path}"]
"""
    if softhsm_available():
        token = provision_token(pki, work / "hsm")
        text += f"""
[[keys]]
id = "hsm"
agency_codes = ["X"]
backend = "pkcs11"
module = "{token.module}"
token_label = "{token.token_label}"
pin = "{token.pin}"
key_id = "{token.key_id_hex}"
chain = ["{pki.issuing.cert_path}"]
"""
    keys.write_text(text, encoding="utf-8")
    ring = KeyRing(keys)
    engine = PadesSigner(ring, tsa_url=pki.tsa_url, trust=TrustStore([pki.trust_dir]).current)
    small = sign_pdf(minimal_pdf("Quyet dinh"), pki, "person")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    def sign_bb(key_id: str) -> bytes:
        meta = signers.PdfSignatureMetadata(field_name="Sig_ToChuc", md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        with ring.using(key_id) as key:
            return signers.PdfSigner(meta, signer=key.signer).sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(small))).getvalue()

    for key_id in [k.key_id for k in ring.infos()]:
        bb_rate, bb_ms = rate(lambda key_id=key_id: sign_bb(key_id), args.seconds)
        bt_rate, bt_ms = rate(lambda key_id=key_id: engine.sign(small, key_id, field_name="Sig_ToChuc", level="B-T",
                                                                appearance=Appearance(kind="none")), args.seconds)
        print(f"sign with {key_id} ({ring.get(key_id).info.backend}): B-B {bb_rate:.1f}/s ({bb_ms:.1f} ms); "
              f"B-T via loopback TSA {bt_rate:.1f}/s ({bt_ms:.1f} ms)")
    bt = engine.sign(small, "soft", field_name="Sig_ToChuc", level="B-T", appearance=Appearance(kind="none"))
    lta_per_s, lta_ms = rate(lambda: engine.extend(bt, "B-LTA"), args.seconds)
    print(f"extend B-T -> B-LTA (2 signatures, OCSP/CRL fetched + document timestamp): {lta_ms:.1f} ms median "
          f"({lta_per_s:.1f}/s)")
    ring.close()

    per_worker = 60
    one_proc = processes_rate(pki, two, 1, per_worker)
    two_proc = processes_rate(pki, two, 2, per_worker)
    print(f"validate 1 MB / 2 signatures, worker processes: 1 -> {one_proc:.1f}/s, 2 -> {two_proc:.1f}/s "
          f"(scaling {two_proc / one_proc:.2f}x)")
    server.close()


if __name__ == "__main__":
    main()
