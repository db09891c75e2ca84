"""Settings base shared by every service (pydantic-settings).

A service's settings read ``LIENTHONG_<SERVICE>_<FIELD>`` first and fall back to
``LIENTHONG_<FIELD>``, so what all services share (mode, broker, S3) is set once.
Distributed mode refuses the embedded-only adapters: SQLite, the local event log
and the file blob store.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict


class Mode(StrEnum):
    """How the axis runs: one process for everything, or one process (or more) per service."""

    EMBEDDED = "embedded"
    DISTRIBUTED = "distributed"


class ServiceSettings(BaseSettings):
    """Fields every service has. Subclasses set ``service_name`` and ``model_config``'s env prefix."""

    service_name: ClassVar[str] = "service"
    model_config = SettingsConfigDict(extra="ignore")

    mode: Mode = Mode.EMBEDDED
    data_dir: Path = Path("var")
    """Root of the embedded mode's files: SQLite databases, event log, blobs."""

    database_url: str | None = None
    """SQLAlchemy URL; embedded default is ``sqlite:///<data_dir>/<service>.sqlite3``."""

    transport: Literal["local", "kafka"] = "local"
    local_log_path: Path | None = None
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_session_timeout_ms: int = 45000
    kafka_fetch_wait_max_ms: int = 500
    consumer_max_attempts: int = 5
    """A consumed event whose handler fails this many times goes to the dead-letter topic."""

    blob_backend: Literal["file", "s3"] = "file"
    blob_dir: Path | None = None
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = "minioadmin"
    s3_secret_key: str = "minioadmin"
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_bucket: str | None = None

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50051
    grpc_deadline_s: float = 10.0

    jwks_url: str | None = None
    """Where access tokens' keys are published; defaults to the registry's JWKS on this axis."""
    jwt_issuer: str = "lienthong"
    jwt_audience: str = "lienthong"
    jwt_leeway_s: int = 30
    """Clock skew allowed when checking access tokens' exp/iat/nbf."""

    log_level: str = "INFO"
    otlp_endpoint: str | None = None
    """OTLP/gRPC collector for traces; traces stay in-process when unset."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        shared = EnvSettingsSource(settings_cls, env_prefix="LIENTHONG_", case_sensitive=False)
        return init_settings, env_settings, shared, dotenv_settings, file_secret_settings

    @model_validator(mode="after")
    def _defaults_and_mode_rules(self) -> ServiceSettings:
        name = self.service_name
        if self.database_url is None:
            self.database_url = f"sqlite:///{self.data_dir / (name + '.sqlite3')}"
        if self.local_log_path is None:
            self.local_log_path = self.data_dir / "events.sqlite3"
        if self.blob_dir is None:
            self.blob_dir = self.data_dir / "blobs" / name
        if self.s3_bucket is None:
            self.s3_bucket = f"lienthong-{name}"
        if self.mode is Mode.DISTRIBUTED:
            refused = []
            if self.database_url.startswith("sqlite"):
                refused.append("database_url is SQLite")
            if self.transport == "local":
                refused.append("transport is the local event log")
            if self.blob_backend == "file":
                refused.append("blob_backend is the local file store")
            if refused:
                raise ValueError(f"distributed mode refuses embedded adapters ({name}): " + "; ".join(refused))
        return self

    @property
    def grpc_self_target(self) -> str:
        """host:port of this process' own gRPC server."""
        return f"{self.grpc_host}:{self.grpc_port}"
