"""Operator commands of the registry: ``lienthong registry ...`` and ``lienthong systems ...``.

Each command prints one JSON document on its last stdout line (scripts and tests parse it).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from lienthong.platform import clock
from lienthong.platform.errors import DomainError
from lienthong.registry.adapters.formats import agencies_csv, read_rows
from lienthong.registry.bootstrap import build_core
from lienthong.registry.service.directory import parse_at
from lienthong.registry.service.use_cases import Registry
from lienthong.registry.settings import RegistrySettings

SAMPLE_FILE = "sample-province-h99.json"

app = typer.Typer(help="The agency directory, plans, numbering and client identities.", no_args_is_help=True)
systems_app = typer.Typer(help="Connected systems acting for agencies and their credentials.", no_args_is_help=True)


def sample_directory() -> dict[str, Any]:
    """The SAMPLE province shipped with the registry (fictional, for demos, tests and benchmarks)."""
    text = resources.files("lienthong.registry.sample").joinpath(SAMPLE_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def sample_agencies() -> list[dict]:
    """The sample province's agencies."""
    return sample_directory()["agencies"]


def load_sample(registry: Registry) -> int:
    """Add the sample province's agencies that are missing (versions start at the sample's valid_from)."""
    sample = sample_directory()
    return registry.directory.import_rows(sample["agencies"], actor="sample-data", only_new=True,
                                          at=clock.parse_iso(sample["valid_from"])).added


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _echo(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, default=str))


@contextmanager
def _registry() -> Iterator[Registry]:
    registry, database = build_core(RegistrySettings())
    try:
        yield registry
    except DomainError as exc:
        _echo(exc.problem())
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()


def _format(path: Path, given: str | None) -> str:
    return given or ("csv" if path.suffix.lower() == ".csv" else "json")


@app.command("import-agencies")
def import_agencies(file: Annotated[Path | None, typer.Argument(help="JSON {agencies: [...]} or CSV file")] = None,
                    sample: Annotated[bool, typer.Option(help="import the shipped SAMPLE province")] = False,
                    update: Annotated[bool, typer.Option(help="also update agencies whose data changed")] = False,
                    dry_run: Annotated[bool, typer.Option(help="only show the diff")] = False,
                    fmt: Annotated[str | None, typer.Option("--format", help="json or csv")] = None) -> None:
    """Add the agencies of a file (or the sample province) that are not in the directory yet."""
    if (file is None) == (not sample):
        raise typer.BadParameter("give a FILE or --sample")
    with _registry() as registry:
        if sample:
            data = sample_directory()
            rows, at = data["agencies"], clock.parse_iso(data["valid_from"])
        else:
            rows, meta = read_rows(file.read_bytes(), _format(file, fmt), "agencies")
            at = parse_at(meta.get("valid_from")) if meta.get("valid_from") else None
        result = registry.directory.import_rows(rows, actor=_actor(), dry_run=dry_run, at=at, only_new=not update)
    out: dict[str, Any] = {"added": result.added, "updated": result.updated, "unchanged": result.unchanged,
                           "total_in_file": len(rows), "dry_run": dry_run}
    if dry_run:
        out["diff"] = result.diff
    _echo(out)


@app.command("export")
def export(output: Annotated[Path | None, typer.Option(help="file to write (default: stdout)")] = None,
           fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
           at: Annotated[str | None, typer.Option(help="as of this ISO 8601 time")] = None) -> None:
    """Export the whole directory (every status) as of now or a given time."""
    with _registry() as registry:
        rows = registry.directory.export(parse_at(at) if at else None)
    text = agencies_csv(rows) if fmt == "csv" else json.dumps({"agencies": rows}, ensure_ascii=False, indent=1)
    if output:
        output.write_text(text, encoding="utf-8")
        _echo({"exported": len(rows), "file": str(output)})
    else:
        typer.echo(text)


@app.command("plan")
def plan(file: Annotated[Path, typer.Argument(help="plan rows, CSV or JSON {rows: [...]}")],
         effective_at: Annotated[str | None, typer.Option(help="ISO 8601; default: the file's or now")] = None,
         dry_run: Annotated[bool, typer.Option(help="validate and show the diff only")] = False,
         fmt: Annotated[str | None, typer.Option("--format", help="json or csv")] = None) -> None:
    """Submit a reorganisation plan: applied at once if effective now or earlier, else stored until due."""
    with _registry() as registry:
        rows, meta = read_rows(file.read_bytes(), _format(file, fmt), "rows")
        when = parse_at(effective_at or meta.get("effective_at"), "effective_at")
        result = registry.directory.submit_plan(rows, effective_at=when, actor=_actor(),
                                                description=str(meta.get("description", "")), dry_run=dry_run)
    _echo({"plan_id": result.plan_id, "status": result.status, "effective_at": clock.iso(result.effective_at),
           "errors": [e.as_dict() for e in result.outcome.errors], "changes": len(result.outcome.diff),
           "events": result.events, **({"diff": result.outcome.diff} if dry_run else {})})


def _agency_json(registry: Registry, code: str, at: str | None) -> dict:
    a = registry.directory.get(code, parse_at(at) if at else None)
    return {**a.describe(), "valid_from": clock.iso(a.valid_from) if a.valid_from else "",
            "valid_to": clock.iso(a.valid_to) if a.valid_to else ""}


@app.command("get")
def get(code: str, at: Annotated[str | None, typer.Option(help="as of this ISO 8601 time")] = None) -> None:
    """One agency (as of a time)."""
    with _registry() as registry:
        _echo(_agency_json(registry, code, at))


@app.command("resolve")
def resolve(code: str, at: Annotated[str | None, typer.Option(help="ISO 8601 time")] = None) -> None:
    """Which agency receives for CODE, with the succession chain."""
    with _registry() as registry:
        res = registry.directory.resolve(code, parse_at(at) if at else None)
    _echo({"agency": res.agency.code, "name": res.agency.name, "chain": res.chain,
           "steps": [{"from": s.from_code, "to": s.to_code, "change": s.change,
                      "effective_at": clock.iso(s.effective_at) if s.effective_at else ""} for s in res.steps]})


@app.command("add-client")
def add_client(name: Annotated[str, typer.Option(help="the system's name, e.g. 'QLVB Sở Tài chính'")],
               agency: Annotated[list[str] | None, typer.Option(help="agency code it acts for (repeatable)")] = None,
               operator: Annotated[bool, typer.Option(help="an operator of the axis, not an agency system")] = False,
               ) -> None:
    """Register an OAuth2 client; prints its id and secret (shown only once) as JSON."""
    with _registry() as registry:
        creds = registry.identities.add_client(name=name, agency_codes=list(agency or []), operator=operator,
                                               actor=_actor())
    _echo({"client_id": creds.client_id, "client_secret": creds.client_secret})


@app.command("rotate-signing-key")
def rotate_signing_key() -> None:
    """Sign tokens with a new key; the previous key stays in the JWKS for the rollover window."""
    with _registry() as registry:
        _echo({"kid": registry.identities.rotate_signing_key(actor=_actor())})


@app.command("numbering-report")
def numbering_report(agency: Annotated[str | None, typer.Option(help="agency code")] = None,
                     year: Annotated[int | None, typer.Option(help="year (+07:00)")] = None) -> None:
    """Prove per agency, sequence and year that every number from 1 to the maximum is accounted for."""
    with _registry() as registry:
        reports = registry.numbering.report(agency_code=agency or "", year=year or 0)
    _echo({"sequences": [{**r.__dict__, "gapless": r.gapless, "closed": r.closed} for r in reports],
           "gapless": all(r.gapless for r in reports)})


@app.command("verify-audit")
def verify_audit() -> None:
    """Recompute the audit log's hash chain."""
    with _registry() as registry:
        intact, count, broken = registry.audit.verify()
    _echo({"intact": intact, "entries": count, "first_broken_seq": broken})


def _system_json(system: Any) -> dict:
    return {k: v for k, v in system.__dict__.items() if not k.endswith("_pem")}


@systems_app.command("add")
def systems_add(agency: Annotated[str, typer.Option(help="the agency that owns the system")],
                name: Annotated[str, typer.Option(help="e.g. 'VNPT-iOffice Sở Tài chính'")],
                act_for: Annotated[list[str] | None, typer.Option(help="other agency codes it acts for")] = None,
                vendor: Annotated[str, typer.Option()] = "",
                push_endpoint: Annotated[str, typer.Option(help="https URL for push delivery")] = "",
                system_id: Annotated[str, typer.Option(help="e.g. 00.99.W01 (default: generated)")] = "",
                public_key: Annotated[Path | None, typer.Option(help="PEM file of its signing public key")] = None,
                ) -> None:
    """Register a connected system; prints its systemid, mailbox secret and OAuth2 credentials once."""
    with _registry() as registry:
        creds = registry.identities.register_system(
            owner_agency=agency, name=name, agency_codes=list(act_for or []), vendor=vendor,
            push_endpoint=push_endpoint, system_id=system_id,
            public_key_pem=public_key.read_text() if public_key else "", actor=_actor())
    _echo({"system_id": creds.system_id, "secret": creds.secret, "client_id": creds.client_id,
           "client_secret": creds.client_secret})


@systems_app.command("list")
def systems_list(agency: Annotated[str | None, typer.Option(help="owner agency")] = None) -> None:
    """The registered systems (never their secrets)."""
    with _registry() as registry:
        _echo({"systems": [_system_json(s) for s in registry.identities.systems_of(agency)]})


def _system_command(action: Callable[[Registry, str], Any]) -> Callable[[str], None]:
    def command(system_id: str) -> None:
        with _registry() as registry:
            _echo(action(registry, system_id))
    return command


systems_app.command("rotate-secret", help="New mailbox secret; the old one stays valid for the overlap window.")(
    _system_command(lambda r, s: {"system_id": s, "secret": r.identities.rotate_system_secret(s, actor=_actor())}))
systems_app.command("rotate-client-secret", help="New OAuth2 client secret (the old one stops at once).")(
    _system_command(lambda r, s: {"client_id": s,
                                  "client_secret": r.identities.rotate_client_secret(s, actor=_actor())}))
systems_app.command("disable", help="Disable a system: its tokens and signatures are refused.")(
    _system_command(lambda r, s: _system_json(r.identities.set_system_status(s, "disabled", actor=_actor()))))
systems_app.command("enable", help="Enable a disabled system again.")(
    _system_command(lambda r, s: _system_json(r.identities.set_system_status(s, "active", actor=_actor()))))
