"""Development commands of the signing service: ``lienthong signing dev-pki`` and ``dev-sign``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from lienthong.signing.adapters.dev_pki import SIGNERS, generate_dev_pki, sign_pdf

app = typer.Typer(help="Signatures: a development PKI and a PAdES signer for tests and demos.",
                  no_args_is_help=True)


@app.command("dev-pki")
def dev_pki(out: Annotated[Path, typer.Option("--out", help="folder to write the PKI to")]) -> None:
    """Create a throw-away PKI (root, issuing CA, person, organisation, revoked, expired, TSA, CRLs).

    FOR TESTS AND DEMOS ONLY: the keys are written unencrypted. Point the signing
    service's trust_roots at OUT/trust to trust it.
    """
    pki = generate_dev_pki(out)
    typer.echo(json.dumps({"out_dir": str(pki.out_dir), "trust_dir": str(pki.trust_dir),
                           "signers": sorted(pki.signers), "readme": str(pki.out_dir / "README.txt")},
                          ensure_ascii=False))


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
