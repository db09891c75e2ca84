"""The operators' audit log: append-only, each entry chained to the previous one by SHA-256."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def entry_hash(previous_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 (hex) of the previous entry's hash followed by the canonical JSON of this entry."""
    canonical = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()
