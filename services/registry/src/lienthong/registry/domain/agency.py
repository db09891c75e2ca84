"""Agencies and their identifier codes (QCVN 102:2016, QĐ 20/2020 as amended by QĐ 09/2025)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.platform.text import nfc

STRICT_CODE = re.compile(r"^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})$")
LENIENT_CODE = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9]+){0,9}$")
MAX_CODE_LENGTH = 35


def check_agency_code(code: str, path: str = "code") -> str:
    """Return the code (trimmed) if it follows the QCVN 102 grammar or the QĐ 20/2020 form, else raise."""
    code = code.strip()
    if len(code) > MAX_CODE_LENGTH or not (STRICT_CODE.match(code) or LENIENT_CODE.match(code)):
        raise InvalidInput(f"not an agency identifier code: {code!r}",
                           errors=[FieldError(path, "expected V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.12.H99")])
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


@dataclass(frozen=True)
class Agency:
    """An agency of the directory. ``level`` and ``kind`` are data (the 2025 reform removed a level)."""

    code: str
    name: str
    parent_code: str | None
    level: str
    kind: str = ""
    status: str = "active"
    successor_code: str | None = None
    created_at: datetime | None = None

    @classmethod
    def new(cls, *, code: str, name: str, parent_code: str | None, level: str, kind: str = "") -> Agency:
        """Validate and normalise a new agency (NFC names, code grammar)."""
        code = check_agency_code(code)
        name = nfc(name).strip()
        errors = []
        if not name:
            errors.append(FieldError("name", "required"))
        if parent_code:
            parent_code = check_agency_code(parent_code, "parent_code")
            if parent_code == code:
                errors.append(FieldError("parent_code", "an agency cannot be its own parent"))
        if not level.strip():
            errors.append(FieldError("level", "required"))
        if errors:
            raise InvalidInput("the agency is not valid", errors=errors)
        return cls(code=code, name=name, parent_code=parent_code or None, level=level.strip(), kind=kind.strip())
