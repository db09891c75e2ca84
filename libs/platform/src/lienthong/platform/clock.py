"""Vietnam time: every timestamp LienThong writes is ISO 8601 with the +07:00 offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def now() -> datetime:
    """The current time in Vietnam (+07:00)."""
    return datetime.now(VN_TZ)


def to_vn(moment: datetime) -> datetime:
    """Convert an aware datetime to +07:00; naive datetimes are refused."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: a time zone is required")
    return moment.astimezone(VN_TZ)


def iso(moment: datetime | None = None) -> str:
    """ISO 8601 text with +07:00, millisecond precision (now if no moment is given)."""
    return to_vn(moment or now()).isoformat(timespec="milliseconds")


def parse_iso(text: str) -> datetime:
    """Parse ISO 8601 text with an offset and return it in +07:00."""
    return to_vn(datetime.fromisoformat(text))


def from_storage(moment: datetime) -> datetime:
    """A time read back from the database, in +07:00.

    PostgreSQL returns aware datetimes; SQLite returns the naive wall clock that was
    written, which LienThong always writes in +07:00.
    """
    return to_vn(moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ))
