"""Agency policies read from a TOML file, re-read when it changes (no restart needed).

Format (every key optional; ``trust_lists`` absent = all lists of the trust store)::

    [default]
    trust_lists = ["vgca", "neac"]
    signature_required = false
    accepted_levels = ["B-B", "B-T", "B-LT", "B-LTA"]

    [agencies."000.00.11.H99"]
    trust_lists = ["vgca"]
    signature_required = true
    accepted_levels = ["B-T", "B-LT", "B-LTA"]

An agency section starts from the default section's values. A file that cannot be
read or is invalid is an error at start-up; later the previous policies stay in use
and the error is logged.
"""

from __future__ import annotations

import logging
import threading
import tomllib
from pathlib import Path
from typing import Any

from lienthong.signing.domain.policy import PADES_LEVELS, AgencyPolicy, PolicyBook

log = logging.getLogger(__name__)
_KEYS = {"trust_lists", "signature_required", "accepted_levels"}


class PolicyError(ValueError):
    """The policy file is not valid."""


def _policy(name: str, data: Any, base: AgencyPolicy) -> AgencyPolicy:
    if not isinstance(data, dict):
        raise PolicyError(f"[{name}] must be a table")
    unknown = set(data) - _KEYS
    if unknown:
        raise PolicyError(f"[{name}] has unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    trust_lists = base.trust_lists
    if "trust_lists" in data:
        value = data["trust_lists"]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise PolicyError(f"[{name}] trust_lists must be a list of names")
        trust_lists = tuple(value)
    required = data.get("signature_required", base.signature_required)
    if not isinstance(required, bool):
        raise PolicyError(f"[{name}] signature_required must be true or false")
    levels = data.get("accepted_levels", sorted(base.accepted_levels))
    if not isinstance(levels, list) or not set(levels) <= set(PADES_LEVELS) or not levels:
        raise PolicyError(f"[{name}] accepted_levels must be a non-empty list of {', '.join(PADES_LEVELS)}")
    return AgencyPolicy(name=name, trust_lists=trust_lists, signature_required=required,
                        accepted_levels=frozenset(levels))


def parse_policies(text: str) -> PolicyBook:
    """A :class:`PolicyBook` from TOML text; ``PolicyError`` if invalid."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"not valid TOML: {exc}") from exc
    unknown = set(data) - {"default", "agencies"}
    if unknown:
        raise PolicyError(f"unknown sections {sorted(unknown)}; allowed: default, agencies")
    default = _policy("default", data.get("default", {}), AgencyPolicy())
    agencies = data.get("agencies", {})
    if not isinstance(agencies, dict):
        raise PolicyError("[agencies] must be a table of agency codes")
    return PolicyBook(default=default,
                      agencies={code: _policy(code, body, default) for code, body in agencies.items()})


class PolicyStore:
    """The current :class:`PolicyBook` of ``path`` (the built-in default when ``path`` is None)."""

    def __init__(self, path: Path | None):
        self._path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._book = PolicyBook()
        if path is not None:
            self._stamp = self._stat()
            self._book = parse_policies(path.read_text(encoding="utf-8"))
            log.info("signature policies loaded from %s: %d agency override(s)", path, len(self._book.agencies))

    def _stat(self) -> tuple[int, int]:
        assert self._path is not None
        st = self._path.stat()
        return st.st_size, st.st_mtime_ns

    def current(self) -> PolicyBook:
        """The policies as of now (re-read first if the file changed)."""
        if self._path is None:
            return self._book
        with self._lock:
            try:
                stamp = self._stat()
                if stamp != self._stamp:
                    self._stamp = stamp
                    self._book = parse_policies(self._path.read_text(encoding="utf-8"))
                    log.info("signature policies reloaded from %s", self._path)
            except (OSError, PolicyError) as exc:
                log.error("signature policy reload failed, keeping the previous policies: %s", exc)
            return self._book
