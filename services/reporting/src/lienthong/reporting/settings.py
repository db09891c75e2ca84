"""Reporting settings: ``LIENTHONG_REPORTING_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Reporting needs only the shared fields: its database, the transport, its HTTP and gRPC addresses."""

    service_name = "reporting"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_REPORTING_", extra="ignore")
