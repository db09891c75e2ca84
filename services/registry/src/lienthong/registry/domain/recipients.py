"""Recipient groups: how a sender addresses many agencies at once.

Syntax of a group recipient (anywhere an agency code is accepted in ``recipient_codes``)::

    group:<name>                      a named group, see NAMED_GROUPS
    group:<filter>[,<filter>...]      filters on the registry's agency fields, all must match:
                                      level=<level>, kind=<kind>, parent=<agency code>

Examples: ``group:communes`` (every commune-level agency), ``group:departments``,
``group:level=district,kind=people-committee``, ``group:parent=000.00.00.H99`` (the direct
children of the provincial People's Committee). The registry owns this grammar and resolves a group
(``ResolveRecipients``) among the agencies active at send time; the sender itself is never one of its
recipients. Documents validates groups with it and routing fans out to the members, where an agency
named both directly and through a group receives once.
"""

from __future__ import annotations

from dataclasses import dataclass

from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.registry.domain.agency import code_problem

PREFIX = "group:"
NAMED_GROUPS: dict[str, dict[str, str]] = {
    "communes": {"level": "commune"},
    "districts": {"level": "district"},
    "departments": {"kind": "department"},
    "province": {"level": "province"},
    "people-committees": {"kind": "people-committee"},
}
"""Named groups and the registry filters they stand for (level/kind values are the registry's data)."""
FILTER_KEYS = ("level", "kind", "parent")


@dataclass(frozen=True)
class GroupSpec:
    """A parsed group: its text as written and the registry filters it stands for."""

    text: str
    level: str = ""
    kind: str = ""
    parent: str = ""


def is_group(recipient: str) -> bool:
    """True when ``recipient`` names a group rather than one agency."""
    return recipient.strip().lower().startswith(PREFIX)


def parse_group(recipient: str, path: str = "recipient_codes") -> GroupSpec:
    """Parse ``group:...``; unknown names, keys, empty values or a parent that is not an agency code
    are refused with the field path."""
    text = recipient.strip()
    body = text[len(PREFIX):].strip()
    if body.lower() in NAMED_GROUPS:
        return GroupSpec(text=text, **NAMED_GROUPS[body.lower()])
    filters: dict[str, str] = {}
    for part in body.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in FILTER_KEYS or not value or key in filters:
            raise InvalidInput(f"unknown recipient group {text!r}", errors=[FieldError(
                path, "expected group:<name> (" + ", ".join(NAMED_GROUPS) + ") or group:key=value[,...] with keys "
                + ", ".join(FILTER_KEYS))])
        problem = code_problem(value) if key == "parent" else None
        if problem:
            raise InvalidInput(f"unknown recipient group {text!r}", errors=[FieldError(path, f"parent={value}: {problem}")])
        filters[key] = value
    return GroupSpec(text=text, **filters)
