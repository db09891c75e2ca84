"""``lienthong signing ...``: the dev PKI and its servers, and operator commands (keys, validate, extend, renew).

Operator commands build the signing service from its settings (``LIENTHONG_SIGNING_*``),
so they use the same trust store, policies, keys, TSA and audit table as the server.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from lienthong.platform import clock
from lienthong.platform.errors import DomainError
from lienthong.signing.adapters.dev_pki import SIGNERS, generate_dev_pki, load_dev_pki, sign_pdf
from lienthong.signing.adapters.repository import report_to_json

app = typer.Typer(help="Signatures: a development PKI and a PAdES signer for tests and demos.",
                  no_args_is_help=True)


@app.command("dev-pki")
def dev_pki(out: Annotated[Path, typer.Option("--out", help="folder to write the PKI to")],
            base_url: Annotated[str, typer.Option(help="http://host:port of the CRL/OCSP/TSA server "
                                                        "(dev-pki-serve); empty: offline PKI")] = "",
            trust_list: Annotated[str, typer.Option(help="trust list folder under trust/")] = "vgca") -> None:
    """Create a throw-away PKI (root, issuing CA, person, organisation, revoked, expired, not-yet-valid,
    wrong key usage, TSA, CRLs, OCSP), with PKCS#12 files and an organisation seal image.

    FOR TESTS AND DEMOS ONLY: the keys are written unencrypted. Point the signing
    service's trust_roots at OUT/trust to trust it.
    """
    pki = generate_dev_pki(out, base_url=base_url or None, trust_list=trust_list)
    typer.echo(json.dumps({"out_dir": str(pki.out_dir), "trust_dir": str(pki.trust_dir),
                           "signers": sorted(pki.signers), "base_url": pki.base_url, "tsa_url": pki.tsa_url,
                           "readme": str(pki.out_dir / "README.txt")}, ensure_ascii=False))


@app.command("dev-pki-serve")
def dev_pki_serve(pki: Annotated[Path, typer.Option("--pki", help="folder written by dev-pki --base-url")]) -> None:
    """Serve the dev PKI's CRLs, OCSP responder and TSA on its base URL until interrupted."""
    from lienthong.signing.adapters.dev_services import serve_dev_pki

    loaded = load_dev_pki(pki)
    if not loaded.base_url:
        raise typer.BadParameter("this PKI was generated without --base-url: nothing to serve", param_hint="--pki")
    server = serve_dev_pki(loaded)
    typer.echo(json.dumps({"url": server.url, "tsa_url": loaded.tsa_url}))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@app.command("dev-sign")
def dev_sign(pki: Annotated[Path, typer.Option("--pki", help="folder written by dev-pki")],
             cert: Annotated[str, typer.Option("--cert", help=f"who signs: {', '.join(SIGNERS)}")],
             in_pdf: Annotated[Path, typer.Option("--in", help="PDF to sign")],
             out_pdf: Annotated[Path, typer.Option("--out", help="where to write the signed PDF")],
             timestamp: Annotated[bool, typer.Option(help="add a dev-TSA timestamp (PAdES B-T)")] = False) -> None:
    """Sign a PDF with a dev-PKI certificate (PAdES B-B, or B-T with --timestamp), as an incremental update."""
    if cert not in SIGNERS:
        raise typer.BadParameter(f"choose one of {', '.join(SIGNERS)}", param_hint="--cert")
    if not in_pdf.is_file():
        raise typer.BadParameter(f"{in_pdf} does not exist", param_hint="--in")
    out_pdf.write_bytes(sign_pdf(in_pdf.read_bytes(), pki, who=cert, timestamp=timestamp))
    typer.echo(json.dumps({"signed": str(out_pdf), "cert": cert, "bytes": out_pdf.stat().st_size}))


def _core():
    from lienthong.signing.bootstrap import build_parts
    from lienthong.signing.settings import SigningSettings

    return build_parts(SigningSettings())


def _fail(exc: DomainError) -> None:
    typer.echo(json.dumps({"error": exc.code, "detail": exc.detail}, ensure_ascii=False), err=True)
    raise typer.Exit(1)


@app.command("keys")
def keys() -> None:
    """The signing keys of the configured key file, with their certificates' validity."""
    core = _core()
    try:
        infos = core.operations.list_keys()
        typer.echo(json.dumps([{"key_id": k.key_id, "backend": k.backend, "role": k.role.value,
                                "agency_codes": sorted(k.agency_codes), "subject_name": k.subject_name,
                                "not_after": clock.iso(k.not_after)} for k in infos], ensure_ascii=False))
    finally:
        core.key_ring.close()
        core.database.dispose()


@app.command("validate")
def validate(in_pdf: Annotated[Path, typer.Option("--in", help="PDF to validate")],
             agency_code: Annotated[str, typer.Option(help="apply this agency's policy")] = "") -> None:
    """Validate a PDF's signatures and print the report as JSON (nothing is stored)."""
    core = _core()
    try:
        report = core.signing.check_report(in_pdf.read_bytes(), agency_code=agency_code, file_name=in_pdf.name)
        typer.echo(json.dumps(report_to_json(report), ensure_ascii=False))
    except DomainError as exc:
        _fail(exc)
    finally:
        core.key_ring.close()
        core.database.dispose()


@app.command("extend")
def extend(in_pdf: Annotated[Path, typer.Option("--in", help="signed PDF")],
           out_pdf: Annotated[Path, typer.Option("--out", help="where to write the extended PDF")],
           level: Annotated[str, typer.Option(help="B-LT or B-LTA")] = "B-LTA") -> None:
    """Extend a signed PDF to B-LT or B-LTA (audited as the operator)."""
    core = _core()
    try:
        result = core.operations.extend(in_pdf.read_bytes(), level=level, agency_code="", requested_by="cli")
        out_pdf.write_bytes(result.pdf)
        typer.echo(json.dumps({"out": str(out_pdf), "level": level, "audit_id": result.audit.id}))
    except DomainError as exc:
        _fail(exc)
    finally:
        core.key_ring.close()
        core.database.dispose()


@app.command("renew")
def renew(in_dir: Annotated[Path, typer.Option("--in-dir", help="folder of B-LTA PDFs (*.pdf)")],
          out_dir: Annotated[Path | None, typer.Option("--out-dir", help="where renewed copies go")] = None,
          dry_run: Annotated[bool, typer.Option(help="only list what is due")] = False) -> None:
    """Evidence renewal: add a fresh document timestamp to every PDF whose last timestamp is due.

    With --dry-run, list each file's status without changing anything (the scheduled
    job the archive calls runs the same operation).
    """
    if not dry_run and out_dir is None:
        raise typer.BadParameter("give --out-dir, or --dry-run", param_hint="--out-dir")
    core = _core()
    rows = []
    try:
        for path in sorted(in_dir.glob("*.pdf")):
            pdf = path.read_bytes()
            try:
                status = core.operations.evidence_status(pdf)
                row = {"file": path.name, "due": status.due, "reason": status.reason,
                       "tsa_certificate_not_after": clock.iso(status.tsa_certificate_not_after)
                       if status.tsa_certificate_not_after else None}
                if status.due and not dry_run:
                    assert out_dir is not None
                    result = core.operations.renew(pdf, agency_code="", requested_by="cli", document_ref=path.name)
                    if result is not None:
                        out_dir.mkdir(parents=True, exist_ok=True)
                        (out_dir / path.name).write_bytes(result.pdf)
                        row["renewed"] = str(out_dir / path.name)
            except DomainError as exc:
                row = {"file": path.name, "error": exc.code, "detail": exc.detail}
            rows.append(row)
        typer.echo(json.dumps(rows, ensure_ascii=False))
    finally:
        core.key_ring.close()
        core.database.dispose()
