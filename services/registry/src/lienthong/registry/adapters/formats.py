"""Directory and plan files: JSON (``{"agencies": [...]}`` / ``{"rows": [...]}`` or a bare list) and CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from lienthong.platform.errors import FieldError, InvalidInput

AGENCY_COLUMNS = ("code", "name", "short_name", "parent_code", "level", "kind", "status", "successor_code",
                  "email", "phone", "address", "website", "served_by", "valid_from")
CONTACT_FIELDS = ("email", "phone", "address", "website")


def read_rows(data: bytes, fmt: str, key: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows of a JSON or CSV file, and the JSON's other top-level fields (metadata, e.g. ``effective_at``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the file is not UTF-8", errors=[FieldError("file", str(exc))]) from exc
    if fmt == "csv":
        rows = [dict(r) for r in csv.DictReader(io.StringIO(text))]
        for row in rows:
            contact = {k: row.pop(k) for k in CONTACT_FIELDS if k in row}
            if contact:
                row["contact"] = contact
            if None in row:
                raise InvalidInput("a CSV row has more cells than the header", errors=[FieldError("file", "ragged")])
        return rows, {}
    if fmt != "json":
        raise InvalidInput(f"unknown format {fmt!r}", errors=[FieldError("format", "json or csv")])
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("the file is not valid JSON", errors=[FieldError("file", str(exc))]) from exc
    if isinstance(body, list):
        return body, {}
    if isinstance(body, dict) and isinstance(body.get(key), list):
        meta = {k: v for k, v in body.items() if k != key}
        if not all(isinstance(r, dict) for r in body[key]):
            raise InvalidInput(f"every element of {key!r} must be an object", errors=[FieldError(key, "objects")])
        return body[key], meta
    raise InvalidInput(f"expected a JSON list or an object with a {key!r} list", errors=[FieldError(key, "required")])


def agencies_csv(rows: list[dict[str, Any]]) -> str:
    """The export in CSV, contact fields flattened."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=AGENCY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        flat = {k: v for k, v in row.items() if k != "contact"}
        flat.update(row.get("contact") or {})
        writer.writerow({k: flat.get(k) or "" for k in AGENCY_COLUMNS})
    return out.getvalue()
