"""The registry's use cases, grouped: the directory, numbering, identities and the audit log."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lienthong.platform.db import Database
from lienthong.registry.adapters.crypto import SecretBox
from lienthong.registry.domain.agency import Agency
from lienthong.registry.domain.identifier import DOCUMENT_IDENTIFIER_SEQUENCE, IssuedNumber
from lienthong.registry.domain.succession import Resolution
from lienthong.registry.service.audit import Audit
from lienthong.registry.service.directory import Directory
from lienthong.registry.service.identities import ClientCredentials, Identities
from lienthong.registry.service.numbering import Numbering


class Registry:
    """Everything the registry does; its entry points call the parts directly."""

    def __init__(self, database: Database, box: SecretBox, *, issuer: str, audience: str, token_ttl_s: int,
                 key_rollover_s: int = 86_400, secret_overlap_s: int = 7 * 86_400, reservation_ttl_s: int = 900):
        self.issuer = issuer
        self.audit = Audit(database)
        self.directory = Directory(database, self.audit)
        self.numbering = Numbering(database, reservation_ttl_s=reservation_ttl_s)
        self.identities = Identities(database, box, issuer=issuer, audience=audience, token_ttl_s=token_ttl_s,
                                     key_rollover_s=key_rollover_s, secret_overlap_s=secret_overlap_s)

    # Shortcuts kept for the CLI and the embedded runner.
    def import_agencies(self, rows: list[dict[str, Any]], *, actor: str = "cli",
                        at: datetime | None = None) -> int:
        """Add the agencies not in the directory yet (existing ones are left as they are); returns how many."""
        return self.directory.import_rows(rows, actor=actor, at=at, only_new=True).added

    def get_agency(self, code: str) -> Agency:
        return self.directory.get(code)

    def resolve(self, code: str) -> Resolution:
        return self.directory.resolve(code)

    def create_agency(self, *, code: str, name: str, parent_code: str | None, level: str, kind: str = "",
                      actor: str = "cli") -> Agency:
        return self.directory.create(actor=actor, code=code, name=name, parent_code=parent_code, level=level,
                                     kind=kind)

    def issue_document_identifier(self, agency_code: str, issued_at: datetime | None = None) -> IssuedNumber:
        return self.numbering.issue(agency_code, sequence=DOCUMENT_IDENTIFIER_SEQUENCE, issued_at=issued_at)

    def add_client(self, *, name: str, agency_codes: list[str], operator: bool = False) -> ClientCredentials:
        return self.identities.add_client(name=name, agency_codes=agency_codes, operator=operator)

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, int, str]:
        return self.identities.issue_token(client_id, client_secret)

    def jwks(self) -> dict[str, Any]:
        return self.identities.jwks()


@dataclass
class PeriodicWorker:
    """Runs ``job`` every ``interval_s`` seconds until stopped (plans due, expired reservations)."""

    name: str
    job: Any
    interval_s: float

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval_s):
            self.job()
