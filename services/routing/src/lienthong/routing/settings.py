"""Routing settings: ``LIENTHONG_ROUTING_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class RoutingSettings(ServiceSettings):
    service_name = "routing"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_ROUTING_", extra="ignore")

    registry_grpc_target: str | None = None
    """host:port of the registry's gRPC server (default: this process' own gRPC port)."""
    directory_concurrency: int = 8
    """Registry calls in flight at once while resolving a large fan-out."""

    pull_lease_s: float = 300.0
    """How long a delivery offered to one poller (``POST /inbox/claim``) stays hidden from the others."""

    status_14_as_15: bool = False
    """Read edXML status 14 as 15 (agree): one SDK sample writes 14 (edxml.md §7.1, UNSURE)."""
    edxml_status_max_bytes: int = 1_000_000

    public_base_url: str | None = None
    """Base URL agency systems reach the axis at (links in push envelopes); default this HTTP server."""
    push_key_path: Path | None = None
    """Ed25519 private key (PKCS#8 PEM) that signs pushes; default ``<data_dir>/routing/push-key.pem``."""
    push_key_generate: bool = True
    """Generate the push key when the file is missing (development); set false in production."""
    push_max_attempts: int = 6
    """Push attempts before a delivery is dead-lettered and falls back to pull."""
    push_backoff_base_s: float = 1.0
    push_backoff_max_s: float = 300.0
    push_timeout_s: float = 5.0
    """Per-request timeout of a push (connect at most 3 s)."""
    push_per_endpoint_concurrency: int = 4
    push_workers: int = 16
    push_breaker_threshold: int = 5
    """Consecutive failures that open an endpoint's circuit breaker."""
    push_breaker_cooldown_s: float = 30.0
    push_give_up_s: float = 600.0
    """A push still pending this long after its delivery was created is dead-lettered (falls back to pull)."""

    documents_grpc_target: str | None = None
    """host:port of the documents service's gRPC server (default: this process' own gRPC port)."""
    vxp_prefix: str = "/vxp"
    """Base path of the national axis' mailbox protocol (the SDK appends ``/sendEdoc`` etc.)."""
    vxp_alias_prefixes: tuple[str, ...] = ("/XrdAdapter/adapter",)
    """Other base paths serving the same calls (VDXP's adapter path, for SDK configs copied from it)."""
    vxp_timestamp_window_s: float = 0.0
    """Refuse a signed ``timestamp`` further than this from now; 0 = off (the SDK's timestamp is stale by design)."""
    vxp_accept_unprefixed_headers: bool = True
    vxp_max_package_mb: float = 50.0
    vxp_fail_max_attempts: int = 5
    """``updateStatus fail`` answers after which an item leaves the list for an operator."""
    vxp_processing_lease_s: float = 1800.0
    """How long ``updateStatus processing`` hides an item."""
    vxp_http_error_status: bool = False
    """Answer refusals with their HTTP error status instead of 200 (the envelope is the same)."""
