"""Routing settings: ``LIENTHONG_ROUTING_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class RoutingSettings(ServiceSettings):
    service_name = "routing"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_ROUTING_", extra="ignore")

    registry_grpc_target: str | None = None
    """host:port of the registry's gRPC server (default: this process' own gRPC port)."""
