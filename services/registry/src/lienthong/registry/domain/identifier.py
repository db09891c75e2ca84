"""The province's document identifier ``<agency code>-YYYY.N`` (seed 004 Art. 11)."""

from __future__ import annotations

import re

DOCUMENT_IDENTIFIER = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{4})\.([1-9]\d*)$")


def format_identifier(agency_code: str, year: int, number: int) -> str:
    """``000.00.12.H99-2026.1``: N counts from 1, per agency and year of issue in Vietnam time."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{agency_code}-{year:04d}.{number}"
