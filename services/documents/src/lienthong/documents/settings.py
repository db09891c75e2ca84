"""Documents settings: ``LIENTHONG_DOCUMENTS_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    service_name = "documents"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_DOCUMENTS_", extra="ignore")

    registry_grpc_target: str | None = None
    """host:port of the registry's gRPC server (default: this process' own gRPC port)."""
    signing_grpc_target: str | None = None
    """host:port of the signing service's gRPC server (default: this process' own gRPC port)."""
    max_attachment_bytes: int = 100 * 1024 * 1024
    max_metadata_bytes: int = 1024 * 1024
