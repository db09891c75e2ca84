"""The ``lienthong`` command line: run the axis, serve one service, operate registry and signing."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from lienthong.registry.entrypoints.cli import app as registry_app
from lienthong.registry.entrypoints.cli import systems_app
from lienthong.signing.entrypoints.cli import app as signing_app

SERVICE_NAMES = ("registry", "documents", "signing", "routing", "archive", "reporting")

app = typer.Typer(help="LienThong — the province's document interconnection axis.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(systems_app, name="systems")
app.add_typer(signing_app, name="signing")


@app.command()
def run(data_dir: Annotated[Path | None, typer.Option(help="folder of the SQLite files, event log, blobs")] = None,
        host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
        http_port: Annotated[int | None, typer.Option(help="the one HTTP port")] = None,
        grpc_port: Annotated[int | None, typer.Option(help="the one gRPC port")] = None,
        sample_data: Annotated[bool, typer.Option(help="load the sample province's agencies")] = False) -> None:
    """Run the whole axis in one process (embedded mode: no external servers)."""
    from lienthong.axis.embedded import build_embedded, describe

    runner, settings = build_embedded({"data_dir": data_dir, "http_host": host, "grpc_host": host,
                                       "http_port": http_port, "grpc_port": grpc_port}, sample_data=sample_data)
    try:
        runner.serve_forever(on_ready=lambda: typer.echo(describe(settings)))
    except KeyboardInterrupt:
        pass


@app.command()
def serve(service: Annotated[str, typer.Argument(help="one of: " + ", ".join(SERVICE_NAMES))]) -> None:
    """Serve one service alone (distributed mode; configure it with LIENTHONG_<SERVICE>_* variables)."""
    if service not in SERVICE_NAMES:
        raise typer.BadParameter(f"unknown service {service!r}; expected one of {', '.join(SERVICE_NAMES)}")
    importlib.import_module(f"lienthong.{service}.bootstrap").main()


def main() -> None:
    app()
