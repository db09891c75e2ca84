"""Registry settings: ``LIENTHONG_REGISTRY_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import Mode, ServiceSettings


class RegistrySettings(ServiceSettings):
    service_name = "registry"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_REGISTRY_", extra="ignore")

    token_ttl_s: int = 900
    """Lifetime of the access tokens the token endpoint issues."""
    token_key_rollover_s: int = 86_400
    """After a signing-key rotation, how long the previous key stays published in the JWKS."""
    reservation_ttl_s: int = 900
    """How long an issued number stays reserved; unconfirmed after that, it is voided with reason "expired"."""
    reservation_sweep_s: float = 30.0
    """How often the worker voids expired reservations."""
    plan_poll_s: float = 15.0
    """How often the worker looks for reorganisation plans that have become due."""
    secret_rotation_overlap_s: int = 7 * 86_400
    """After a system's secret is rotated, how long the previous secret stays valid."""
    secret_encryption_keys: SecretStr | None = None
    """Comma-separated Fernet keys encrypting secrets at rest (the first encrypts, all decrypt).
    Embedded mode creates ``<data_dir>/registry-secrets.key`` when unset; distributed mode requires it."""

    @model_validator(mode="after")
    def _keys_required_when_distributed(self) -> RegistrySettings:
        if self.mode is Mode.DISTRIBUTED and self.secret_encryption_keys is None:
            raise ValueError("distributed mode requires LIENTHONG_REGISTRY_SECRET_ENCRYPTION_KEYS (Fernet keys)")
        return self
