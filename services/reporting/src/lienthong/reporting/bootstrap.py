"""Wiring of reporting: the only place where its adapters are chosen."""

from __future__ import annotations

from pathlib import Path

from lienthong.api.reporting.v1 import reporting_pb2_grpc
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import OutboxRelay, Transport
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import NamedWorker, ServiceApp, serve_service
from lienthong.reporting.adapters.metrics import PrometheusCountMetrics
from lienthong.reporting.adapters.repository import SqlCountsRepository
from lienthong.reporting.entrypoints import consumers, rest
from lienthong.reporting.entrypoints import grpc as grpc_entry
from lienthong.reporting.service.use_cases import Reporting
from lienthong.reporting.settings import ReportingSettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def build_core(settings: ReportingSettings) -> tuple[Reporting, Database]:
    """Reporting's use cases on its migrated database."""
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    reporting = Reporting(database, repository=lambda uow: SqlCountsRepository(uow.session),
                          metrics=PrometheusCountMetrics())
    return reporting, database


def build(settings: ReportingSettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The reporting service, ready to serve: REST, gRPC, its outbox relay and its event consumer."""
    settings = settings or ReportingSettings()
    reporting, database = build_core(settings)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="reporting-outbox")
    database.on_commit_with_events(relay.wake)
    subscriber = transport.subscriber(group=consumers.GROUP, topics=consumers.TOPICS,
                                      handler=consumers.event_handler(reporting, database))
    return ServiceApp(
        name="reporting",
        router=rest.router(reporting),
        servicers=[Servicer(reporting_pb2_grpc.add_ReportingServiceServicer_to_server,
                            grpc_entry.ReportingServicer(reporting), grpc_entry.SERVICE_NAME)],
        workers=[relay, NamedWorker("consume", subscriber.run)],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose],
    )


def main() -> None:
    serve_service(build, ReportingSettings())
