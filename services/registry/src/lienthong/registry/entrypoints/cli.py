"""Operator commands of the registry: ``lienthong registry ...``."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from lienthong.registry.bootstrap import build_core
from lienthong.registry.settings import RegistrySettings

app = typer.Typer(help="The agency directory and client identities.", no_args_is_help=True)


def sample_agencies() -> list[dict]:
    """The sample province's agencies shipped with the registry (fictional, for demos and tests)."""
    text = resources.files("lienthong.registry.sample").joinpath("agencies.json").read_text(encoding="utf-8")
    return json.loads(text)["agencies"]


@app.command("import-agencies")
def import_agencies(file: Annotated[Path | None, typer.Argument(help="JSON file {agencies: [...]}")] = None,
                    sample: Annotated[bool, typer.Option(help="import the shipped sample province")] = False) -> None:
    """Add the agencies of a JSON file (or the sample province) that are not in the directory yet."""
    if (file is None) == (not sample):
        raise typer.BadParameter("give a FILE or --sample")
    rows = sample_agencies() if sample else json.loads(file.read_text(encoding="utf-8"))["agencies"]
    registry, database = build_core(RegistrySettings())
    try:
        added = registry.import_agencies(rows)
    finally:
        database.dispose()
    typer.echo(json.dumps({"added": added, "total_in_file": len(rows)}))


@app.command("add-client")
def add_client(name: Annotated[str, typer.Option(help="the system's name, e.g. 'QLVB Sở Tài chính'")],
               agency: Annotated[list[str] | None, typer.Option(help="agency code it acts for (repeatable)")] = None,
               operator: Annotated[bool, typer.Option(help="an operator of the axis, not an agency system")] = False,
               ) -> None:
    """Register a client; prints its id and secret (shown only once) as JSON."""
    registry, database = build_core(RegistrySettings())
    try:
        creds = registry.add_client(name=name, agency_codes=list(agency or []), operator=operator)
    finally:
        database.dispose()
    typer.echo(json.dumps({"client_id": creds.client_id, "client_secret": creds.client_secret}))
