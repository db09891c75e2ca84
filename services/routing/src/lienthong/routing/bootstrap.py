"""Wiring of the routing service: the only place where its adapters are chosen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter

from lienthong.api.documents.v1 import events_pb2 as documents_events
from lienthong.api.routing.v1 import routing_pb2_grpc
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import Event, OutboxRelay, Transport, dispatch, idempotent, topic_of
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import NamedWorker, ServiceApp, serve_service
from lienthong.routing.adapters.documents import GrpcDocumentStore
from lienthong.routing.adapters.mailbox_repository import SqlMailboxRepository
from lienthong.routing.adapters.push_http import AxisKey, HttpPushSender
from lienthong.routing.adapters.remote import GrpcAgencyList, GrpcDirectory, GrpcSystemVerifier
from lienthong.routing.adapters.repository import SqlDeliveryRepository
from lienthong.routing.entrypoints import grpc as grpc_entry
from lienthong.routing.entrypoints import rest, vxp
from lienthong.routing.service.directory import CachedDirectory
from lienthong.routing.service.mailbox import AgencyList, DocumentStore, Mailbox, MailboxPolicy
from lienthong.routing.service.ports import Directory, PushSender
from lienthong.routing.service.push import PushDispatcher, PushPolicy
from lienthong.routing.service.use_cases import Routing
from lienthong.routing.settings import RoutingSettings
from lienthong.vxp.auth import AuthPolicy, SignatureVerifier

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"
GROUP = "routing"
REGISTRY_TOPIC = topic_of("registry")


def build(settings: RoutingSettings | None = None, *, transport: Transport | None = None,
          directory: Directory | None = None, push_sender: PushSender | None = None,
          documents: DocumentStore | None = None, system_verifier: SignatureVerifier | None = None,
          agency_list: AgencyList | None = None) -> ServiceApp:
    """The routing service, ready to serve.

    ``directory`` (the registry), ``push_sender``, ``documents`` (the documents service),
    ``system_verifier`` and ``agency_list`` (the registry's systems and directory) replace the gRPC
    clients and the HTTP push sender (tests build the service with fakes through this same function).
    """
    settings = settings or RoutingSettings()
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="routing-outbox")
    database.on_commit_with_events(relay.wake)
    directory = directory or GrpcDirectory(settings.registry_grpc_target or settings.grpc_self_target,
                                           settings.grpc_deadline_s)
    cached = CachedDirectory(directory, concurrency=settings.directory_concurrency)
    routing = Routing(database, cached, repository=SqlDeliveryRepository, lease_s=settings.pull_lease_s,
                      status_14_as_15=settings.status_14_as_15)
    key = AxisKey.load_or_create(settings.push_key_path or Path(settings.data_dir) / "routing" / "push-key.pem",
                                 create=settings.push_key_generate)
    sender = push_sender or HttpPushSender(key, timeout_s=settings.push_timeout_s,
                                           max_connections=settings.push_workers * 2)
    base_url = settings.public_base_url or f"http://{settings.http_host}:{settings.http_port}"
    pusher = PushDispatcher(database, SqlDeliveryRepository, sender, PushPolicy(
        max_attempts=settings.push_max_attempts, backoff_base_s=settings.push_backoff_base_s,
        backoff_max_s=settings.push_backoff_max_s, timeout_s=settings.push_timeout_s,
        per_endpoint_concurrency=settings.push_per_endpoint_concurrency, workers=settings.push_workers,
        breaker_threshold=settings.push_breaker_threshold, breaker_cooldown_s=settings.push_breaker_cooldown_s,
        give_up_s=settings.push_give_up_s, public_base_url=base_url))
    database.on_commit_with_events(pusher.wake)
    registry_target = settings.registry_grpc_target or settings.grpc_self_target
    max_package_bytes = int(settings.vxp_max_package_mb * 1024 * 1024)
    mailbox = Mailbox(
        database, routing,
        documents or GrpcDocumentStore(settings.documents_grpc_target or settings.grpc_self_target,
                                       settings.grpc_deadline_s),
        agency_list or GrpcAgencyList(registry_target, settings.grpc_deadline_s),
        repository=SqlMailboxRepository, deliveries=SqlDeliveryRepository,
        policy=MailboxPolicy(fail_max_attempts=settings.vxp_fail_max_attempts,
                             processing_lease=timedelta(seconds=settings.vxp_processing_lease_s),
                             max_package_bytes=max_package_bytes))
    auth_policy = AuthPolicy(
        timestamp_window=(timedelta(seconds=settings.vxp_timestamp_window_s)
                          if settings.vxp_timestamp_window_s > 0 else None),
        accept_unprefixed_headers=settings.vxp_accept_unprefixed_headers, max_package_bytes=max_package_bytes)
    http = APIRouter()
    http.include_router(rest.router(routing, key.jwk(), edxml_max_bytes=settings.edxml_status_max_bytes))
    verifier = system_verifier or GrpcSystemVerifier(registry_target, settings.grpc_deadline_s)
    for prefix in dict.fromkeys([settings.vxp_prefix, *settings.vxp_alias_prefixes]):
        http.include_router(vxp.router(mailbox, verifier, policy=auth_policy, prefix=prefix,
                                       http_error_status=settings.vxp_http_error_status))
    handlers = dispatch({
        documents_events.DocumentSubmitted.DESCRIPTOR.full_name: routing.on_document_submitted,
    })

    def handle(event: Event, uow) -> None:
        if event.topic == REGISTRY_TOPIC:
            routing.on_registry_event(event, uow)
        else:
            handlers(event, uow)

    consumer = transport.subscriber(GROUP, [topic_of("documents"), REGISTRY_TOPIC],
                                    idempotent(database, GROUP, handle))
    closers = [transport.close, pusher.close, cached.close, database.dispose]
    if push_sender is None:
        closers.insert(0, sender.close)
    return ServiceApp(
        name="routing",
        router=http,
        servicers=[Servicer(routing_pb2_grpc.add_RoutingServiceServicer_to_server,
                            grpc_entry.RoutingServicer(routing), "lienthong.api.routing.v1.RoutingService")],
        workers=[relay, NamedWorker("consume", consumer.run), pusher],
        health=database.ping,
        engines=[database.engine],
        on_close=closers,
    )


def main() -> None:
    serve_service(build, RoutingSettings())
