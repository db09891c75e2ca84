"""Numbers issued by the registry: the province's document identifier ``<agency code>-YYYY.N`` (seed 004
Art. 11) and, with the same shape, the outgoing registration and incoming arrival numbers.

A number is *reserved*, then *confirmed* or *voided* with a reason; it is never reissued. "Gapless" means
every N from 1 to the current maximum of an (agency, sequence, year) is confirmed or voided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.registry.domain.agency import code_problem

DOCUMENT_IDENTIFIER = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{4})\.([1-9]\d*)$")
NUMBER = re.compile(r"^(?P<code>.+)-(?P<year>\d{4})\.(?P<number>[1-9]\d{0,17})$")

DOCUMENT_IDENTIFIER_SEQUENCE = "document_identifier"
OUTGOING_REGISTRATION = "outgoing_registration"
INCOMING_ARRIVAL = "incoming_arrival"
SEQUENCES = (DOCUMENT_IDENTIFIER_SEQUENCE, OUTGOING_REGISTRATION, INCOMING_ARRIVAL)

RESERVED, CONFIRMED, VOIDED = "reserved", "confirmed", "voided"
EXPIRED_REASON = "expired"


def format_identifier(agency_code: str, year: int, number: int) -> str:
    """``000.00.12.H99-2026.1``: N counts from 1, per agency and year of issue in Vietnam time."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{agency_code}-{year:04d}.{number}"


@dataclass(frozen=True)
class NumberKey:
    """Which number: agency, sequence, year and N."""

    agency_code: str
    sequence: str
    year: int
    number: int

    @property
    def identifier(self) -> str:
        return format_identifier(self.agency_code, self.year, self.number)


def parse_identifier(identifier: str, sequence: str) -> NumberKey:
    """Split ``<code>-YYYY.N`` into its key; InvalidInput if it is not such an identifier."""
    if sequence not in SEQUENCES:
        raise InvalidInput(f"unknown sequence {sequence!r}", errors=[FieldError("sequence", "unknown")])
    m = NUMBER.match((identifier or "").strip())
    if not m or code_problem(m["code"]):
        raise InvalidInput(f"not an identifier: {identifier!r}",
                           errors=[FieldError("identifier", "expected <agency code>-YYYY.N, e.g. "
                                                            "000.00.12.H99-2026.1")])
    return NumberKey(m["code"], sequence, int(m["year"]), int(m["number"]))


@dataclass(frozen=True)
class IssuedNumber:
    """A reserved number."""

    key: NumberKey
    reserved_until: object  # datetime; kept loose so the domain stays free of clock types

    @property
    def identifier(self) -> str:
        return self.key.identifier


@dataclass(frozen=True)
class SequenceReport:
    """The proof that a sequence of one agency and year has no gap."""

    agency_code: str
    sequence: str
    year: int
    max_number: int
    confirmed: int
    voided: int
    reserved: list[int]
    missing: list[int]

    @property
    def gapless(self) -> bool:
        """Every N from 1 to the maximum has a row (confirmed, voided or still reserved)."""
        return not self.missing

    @property
    def closed(self) -> bool:
        """Every N from 1 to the maximum is confirmed or voided: nothing is still open."""
        return not self.missing and not self.reserved
