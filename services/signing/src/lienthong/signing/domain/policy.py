"""Per-agency signature policy: which trust lists count, whether a signature is required, which levels pass.

A policy does not change a signature's indication (that is the EN 319 102-1 verdict
of the signature itself); it adds *policy violations* to the report, which the
receiving side uses to decide (signatures.md §2): a document from an agency that
requires signatures but carries none, or a signature below the accepted PAdES
level, violates the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PADES_LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
"""PAdES baseline levels (EN 319 142-1), lowest first."""


@dataclass(frozen=True)
class AgencyPolicy:
    """What one agency's documents must satisfy. ``trust_lists=None`` trusts every configured list."""

    name: str = "default"
    trust_lists: tuple[str, ...] | None = None
    signature_required: bool = False
    accepted_levels: frozenset[str] = field(default_factory=lambda: frozenset(PADES_LEVELS))

    def violations(self, levels: list[str]) -> list[str]:
        """Policy violations of a PDF whose signatures have PAdES ``levels`` (``""`` for non-PAdES)."""
        problems = []
        if self.signature_required and not levels:
            problems.append(f"policy {self.name}: a signature is required")
        for index, level in enumerate(levels, start=1):
            if level not in self.accepted_levels:
                accepted = ", ".join(lv for lv in PADES_LEVELS if lv in self.accepted_levels)
                problems.append(f"policy {self.name}: signature {index} is {level or 'not PAdES'}; "
                                f"accepted: {accepted}")
        return problems


@dataclass(frozen=True)
class PolicyBook:
    """The default policy and the per-agency overrides."""

    default: AgencyPolicy = field(default_factory=AgencyPolicy)
    agencies: Mapping[str, AgencyPolicy] = field(default_factory=dict)

    def for_agency(self, agency_code: str) -> AgencyPolicy:
        """The policy of ``agency_code`` (the default when it has none, or for an empty code)."""
        return self.agencies.get(agency_code.strip(), self.default)
