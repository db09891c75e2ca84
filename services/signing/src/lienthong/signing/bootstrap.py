"""Wiring of the signing service: the only place where its adapters are chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from lienthong.api.signing.v1 import signing_pb2_grpc
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import OutboxRelay, Transport
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import ServiceApp, serve_service
from lienthong.signing.adapters.inventory_metrics import InventorySource, publish_inventory
from lienthong.signing.adapters.keys import KeyRing
from lienthong.signing.adapters.pades import PadesValidator
from lienthong.signing.adapters.pades_signer import PadesSigner
from lienthong.signing.adapters.policy_store import PolicyStore
from lienthong.signing.adapters.repository import SqlAuditLog, SqlReportRepository
from lienthong.signing.adapters.trust_store import TrustStore
from lienthong.signing.entrypoints import grpc as grpc_entry
from lienthong.signing.entrypoints import rest
from lienthong.signing.service.signing_ops import SignatureOperations
from lienthong.signing.service.use_cases import Signing
from lienthong.signing.settings import SigningSettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"
SERVICE_NAME = "lienthong.api.signing.v1.SigningService"


@dataclass
class SigningCore:
    """Everything the entry points need, built from settings."""

    signing: Signing
    operations: SignatureOperations
    database: Database
    trust_store: TrustStore
    key_ring: KeyRing


def build_parts(settings: SigningSettings) -> SigningCore:
    """The validation and signing use cases on the migrated database, trust store, policies and keys."""
    if settings.trust_roots == [settings.default_trust_dir]:
        settings.default_trust_dir.mkdir(parents=True, exist_ok=True)
    trust_store = TrustStore(settings.trust_roots)
    policies = PolicyStore(settings.trust_policy_file)
    validator = PadesValidator(trust_store.current, revocation_mode=settings.revocation_mode,
                               allow_fetching=settings.allow_fetching, fetch_timeout_s=settings.fetch_timeout_s,
                               fetch_cache_s=settings.fetch_cache_s)
    key_ring = KeyRing(settings.keys_file)
    engine = PadesSigner(key_ring, tsa_url=settings.tsa_url, trust=trust_store.current,
                         fetch_timeout_s=settings.fetch_timeout_s, tsa_timeout_s=settings.tsa_timeout_s,
                         font_path=settings.appearance_font)
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    signing = Signing(database, validator, repository=SqlReportRepository, max_pdf_bytes=settings.max_pdf_bytes,
                      policies=policies.current)
    operations = SignatureOperations(database, engine, validator, audit_log=SqlAuditLog,
                                     max_pdf_bytes=settings.max_pdf_bytes,
                                     require_person_first=settings.require_person_first,
                                     renew_within=timedelta(days=settings.renew_within_days))
    publish_inventory(InventorySource(key_inventory=key_ring.infos, trust=trust_store.current,
                                      warning_window=timedelta(days=settings.key_expiry_warning_days)))
    return SigningCore(signing, operations, database, trust_store, key_ring)


def build_core(settings: SigningSettings) -> tuple[Signing, Database]:
    """The signing use cases on the migrated database and the configured trust store."""
    core = build_parts(settings)
    return core.signing, core.database


def build(settings: SigningSettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The signing service, ready to serve."""
    settings = settings or SigningSettings()
    core = build_parts(settings)
    signing, database = core.signing, core.database
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="signing-outbox")
    database.on_commit_with_events(relay.wake)
    return ServiceApp(
        name="signing",
        router=rest.router(signing, max_pdf_bytes=settings.max_pdf_bytes, operations=core.operations),
        servicers=[Servicer(signing_pb2_grpc.add_SigningServiceServicer_to_server,
                            grpc_entry.SigningServicer(signing, core.operations), SERVICE_NAME)],
        workers=[relay],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose, core.key_ring.close],
    )


def main() -> None:
    serve_service(build, SigningSettings())
