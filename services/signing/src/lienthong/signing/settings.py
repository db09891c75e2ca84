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
    """Largest PDF accepted for validation and signing."""

    fetch_timeout_s: float = Field(default=5.0, gt=0, le=60)
    """Per-request timeout of CRL/OCSP fetching (an unreachable responder costs at most this)."""

    fetch_cache_s: float = Field(default=300.0, ge=0)
    """How long fetched CRLs and OCSP responses are reused."""

    trust_policy_file: Path | None = None
    """TOML file of per-agency signature policies (trust lists, signature required, accepted levels);
    re-read when it changes. None: every trust list, no signature required, every level accepted."""

    keys_file: Path | None = None
    """TOML file listing the signing keys (PKCS#11 / PKCS#12) and the agencies bound to each; None: no keys."""

    tsa_url: str = ""
    """RFC 3161 time-stamping authority used for B-T, B-LTA and renewals (e.g. http://tsa.ca.gov.vn)."""

    tsa_timeout_s: float = Field(default=10.0, gt=0, le=120)

    appearance_font: Path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    """TrueType font for text appearances (must cover Vietnamese; Times New Roman needs a licence)."""

    require_person_first: bool = True
    """An organisation key signs only after a person signature that passes (NĐ 30/2020 Art. 32(2)(d))."""

    renew_within_days: int = Field(default=90, ge=1)
    """Evidence renewal is due when the last document timestamp's TSA certificate ends within this many days."""

    key_expiry_warning_days: int = Field(default=30, ge=1)
    """The key inventory warns (metric lienthong_signing_key_expiring) this many days before a certificate ends."""

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
