"""Signing settings: ``LIENTHONG_SIGNING_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class SigningSettings(ServiceSettings):
    service_name = "signing"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_SIGNING_", extra="ignore")

    trust_roots: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    """Directories and/or PEM/DER files of trust anchors (self-signed), intermediates and CRLs.

    Default ``<data_dir>/trust`` (created empty). In the environment: a JSON list or
    paths separated by ``os.pathsep`` (``:`` on Linux).
    """

    revocation_mode: Literal["soft-fail", "hard-fail"] = "soft-fail"
    """``soft-fail``: revocation data that cannot be found is ignored; ``hard-fail``: a certificate that
    names a CRL/OCSP source must be checked against it (production, signatures.md §8)."""

    allow_fetching: bool = False
    """Fetch CRLs/OCSP over the network; off by default, so validation only uses local data."""

    max_pdf_bytes: int = 50 * 1024 * 1024
    """Largest PDF accepted for validation."""

    @field_validator("trust_roots", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [p for p in text.split(os.pathsep) if p.strip()]
        if isinstance(value, Path):
            return [value]
        return value

    @model_validator(mode="after")
    def _default_trust_dir(self) -> SigningSettings:
        if not self.trust_roots:
            self.trust_roots = [self.data_dir / "trust"]
        return self

    @property
    def default_trust_dir(self) -> Path:
        """Where trust material lives when ``trust_roots`` is not configured."""
        return self.data_dir / "trust"
