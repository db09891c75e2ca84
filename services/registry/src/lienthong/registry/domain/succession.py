"""Resolution: which agency receives, at a given time, for a code that may have been merged, split,
dissolved or renumbered since (identifiers.md §1.8)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lienthong.platform.errors import Conflict, NotFound
from lienthong.registry.domain.agency import CHANGE_OF_STATUS, Agency

MAX_CHAIN = 64


@dataclass(frozen=True)
class SuccessionStep:
    """One hop of a succession chain: ``from_code`` closed by ``change`` at ``effective_at``."""

    from_code: str
    to_code: str
    change: str
    effective_at: datetime | None


@dataclass(frozen=True)
class Resolution:
    """The agency that receives for the requested code, and how it was reached."""

    agency: Agency
    chain: list[str]
    steps: list[SuccessionStep]


def resolve(code: str, at: datetime, version_at: Callable[[str, datetime], Agency | None]) -> Resolution:
    """Follow successors from ``code`` at time ``at`` until an active agency.

    ``version_at(code, at)`` returns the version of an agency valid at ``at`` (None if it did not exist).
    Raises NotFound when the code is unknown at that time or ends with no successor, Conflict on a loop.
    """
    chain = [code]
    steps: list[SuccessionStep] = []
    agency = version_at(code, at)
    if agency is None:
        raise NotFound(f"agency {code} is not in the registry at {at.isoformat()}")
    while not agency.active:
        if not agency.successor_code:
            raise NotFound(f"agency {agency.code} is {agency.status} and has no successor",
                           chain=chain)
        if agency.successor_code in chain or len(chain) > MAX_CHAIN:
            raise Conflict(f"succession of {code} loops: {' -> '.join([*chain, agency.successor_code])}")
        steps.append(SuccessionStep(agency.code, agency.successor_code, CHANGE_OF_STATUS.get(agency.status, agency.status),
                                    agency.valid_from))
        chain.append(agency.successor_code)
        successor = version_at(agency.successor_code, at)
        if successor is None:
            raise NotFound(f"successor {agency.successor_code} of {agency.code} is not in the registry")
        agency = successor
    return Resolution(agency=agency, chain=chain, steps=steps)
