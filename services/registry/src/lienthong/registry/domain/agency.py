"""Agencies and their identifier codes (QCVN 102:2016, QĐ 20/2020 as amended by QĐ 09/2025)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime

from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.platform.text import nfc

STRICT_CODE = re.compile(r"^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})$")
LENIENT_CODE = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9]+){0,9}$")
MAX_CODE_LENGTH = 35

ACTIVE = "active"
MERGED = "merged"
SPLIT = "split"
DISSOLVED = "dissolved"
RENUMBERED = "renumbered"
STATUSES = (ACTIVE, MERGED, SPLIT, DISSOLVED, RENUMBERED)
CHANGE_OF_STATUS = {MERGED: "merge", SPLIT: "split", DISSOLVED: "dissolve", RENUMBERED: "change_code"}
"""The succession change that closed an agency with the given status."""


def code_problem(code: str) -> str | None:
    """Why ``code`` is not an agency code (QCVN 102 ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` or QĐ 20/2020 form), else None."""
    if code != code.strip():
        return "surrounding spaces are not allowed"
    if not code:
        return "required"
    if len(code) > MAX_CODE_LENGTH:
        return f"longer than {MAX_CODE_LENGTH} characters"
    if not (STRICT_CODE.match(code) or LENIENT_CODE.match(code)):
        return "expected V1V2V3.Z1Z2.Y1Y2.MX1X2 (e.g. 000.00.12.H99): upper-case letters, digits and dots"
    return None


def check_agency_code(code: str, path: str = "code") -> str:
    """Return the code (trimmed) if it follows the QCVN 102 grammar or the QĐ 20/2020 form, else raise."""
    code = (code or "").strip()
    problem = code_problem(code)
    if problem:
        raise InvalidInput(f"not an agency identifier code: {code!r}", errors=[FieldError(path, problem)])
    return code


def parent_code_of(code: str) -> str | None:
    """The parent derived from the code: the leftmost non-zero group set to zeros (None at level 1)."""
    m = STRICT_CODE.match(code)
    if not m:
        return None
    groups = [m["l4"], m["l3"], m["l2"]]
    for i, g in enumerate(groups):
        if int(g):
            groups[i] = "0" * len(g)
            return ".".join([*groups, m["l1"]])
    return None


def fold(text: str) -> str:
    """Text for accent- and case-insensitive search: no diacritics, đ→d, lower case, single spaces.

    ``fold("Quyết định")`` is ``"quyet dinh"``.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


@dataclass(frozen=True)
class Contact:
    """How to reach an agency."""

    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"email": self.email, "phone": self.phone, "address": self.address, "website": self.website}

    @classmethod
    def of(cls, data: dict | None) -> Contact:
        data = data or {}
        return cls(**{k: nfc(str(data.get(k) or "")).strip() for k in ("email", "phone", "address", "website")})


@dataclass(frozen=True)
class Agency:
    """One version of an agency. ``level`` and ``kind`` are data (the 2025 reform removed a level).

    A version is valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive, None while current).
    A closed agency (merged, split, dissolved, renumbered) is a version too, naming its successor.
    """

    code: str
    name: str
    parent_code: str | None
    level: str
    kind: str = ""
    status: str = ACTIVE
    successor_code: str | None = None
    short_name: str = ""
    contact: Contact = field(default_factory=Contact)
    served_by: str = ""
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    def describe(self) -> dict[str, object]:
        """The attributes an operator compares in a diff."""
        return {"code": self.code, "name": self.name, "short_name": self.short_name,
                "parent_code": self.parent_code, "level": self.level, "kind": self.kind, "status": self.status,
                "successor_code": self.successor_code, "contact": self.contact.as_dict(),
                "served_by": self.served_by}

    def same_attributes(self, other: Agency) -> bool:
        """Whether two versions carry the same data (validity aside)."""
        return self.describe() == other.describe()

    def closed(self, status: str, successor_code: str | None) -> Agency:
        return replace(self, status=status, successor_code=successor_code, valid_from=None, valid_to=None)

    @classmethod
    def new(cls, *, code: str, name: str, parent_code: str | None, level: str, kind: str = "",
            short_name: str = "", contact: Contact | None = None, served_by: str = "") -> Agency:
        """Validate and normalise a new agency (NFC names, code grammar); raises with every problem at once."""
        errors = agency_problems(code=code, name=name, parent_code=parent_code, level=level)
        if errors:
            raise InvalidInput("the agency is not valid", errors=errors)
        return cls(code=code.strip(), name=nfc(name).strip(), parent_code=(parent_code or "").strip() or None,
                   level=level.strip(), kind=(kind or "").strip(), short_name=nfc(short_name or "").strip(),
                   contact=contact or Contact(), served_by=(served_by or "").strip())


def agency_problems(*, code: str, name: str, parent_code: str | None, level: str,
                    prefix: str = "") -> list[FieldError]:
    """Every problem of a new agency's fields, addressed under ``prefix``."""
    errors = []
    problem = code_problem((code or "").strip())
    if problem:
        errors.append(FieldError(prefix + "code", f"{code!r}: {problem}"))
    if not nfc(name or "").strip():
        errors.append(FieldError(prefix + "name", "required"))
    parent = (parent_code or "").strip()
    if parent:
        problem = code_problem(parent)
        if problem:
            errors.append(FieldError(prefix + "parent_code", f"{parent!r}: {problem}"))
        elif parent == (code or "").strip():
            errors.append(FieldError(prefix + "parent_code", "an agency cannot be its own parent"))
    if not (level or "").strip():
        errors.append(FieldError(prefix + "level", "required"))
    return errors
