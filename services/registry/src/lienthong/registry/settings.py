"""Registry settings: ``LIENTHONG_REGISTRY_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    service_name = "registry"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_REGISTRY_", extra="ignore")

    token_ttl_s: int = 900
    """Lifetime of the access tokens the token endpoint issues."""
