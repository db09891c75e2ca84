"""Wiring of the signing service: the only place where its adapters are chosen."""

from __future__ import annotations

from pathlib import Path

from lienthong.api.signing.v1 import signing_pb2_grpc
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import OutboxRelay, Transport
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import ServiceApp, serve_service
from lienthong.signing.adapters.pades import PadesValidator
from lienthong.signing.adapters.repository import SqlReportRepository
from lienthong.signing.adapters.trust_store import TrustStore
from lienthong.signing.entrypoints import grpc as grpc_entry
from lienthong.signing.entrypoints import rest
from lienthong.signing.service.use_cases import Signing
from lienthong.signing.settings import SigningSettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"
SERVICE_NAME = "lienthong.api.signing.v1.SigningService"


def build_core(settings: SigningSettings) -> tuple[Signing, Database]:
    """The signing use cases on the migrated database and the configured trust store."""
    if settings.trust_roots == [settings.default_trust_dir]:
        settings.default_trust_dir.mkdir(parents=True, exist_ok=True)
    trust_store = TrustStore(settings.trust_roots)
    validator = PadesValidator(trust_store.current, revocation_mode=settings.revocation_mode,
                               allow_fetching=settings.allow_fetching)
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    signing = Signing(database, validator, repository=SqlReportRepository, max_pdf_bytes=settings.max_pdf_bytes)
    return signing, database


def build(settings: SigningSettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The signing service, ready to serve."""
    settings = settings or SigningSettings()
    signing, database = build_core(settings)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="signing-outbox")
    database.on_commit_with_events(relay.wake)
    return ServiceApp(
        name="signing",
        router=rest.router(signing, max_pdf_bytes=settings.max_pdf_bytes),
        servicers=[Servicer(signing_pb2_grpc.add_SigningServiceServicer_to_server,
                            grpc_entry.SigningServicer(signing), SERVICE_NAME)],
        workers=[relay],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose],
    )


def main() -> None:
    serve_service(build, SigningSettings())
