"""SQL repositories of the registry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.registry.adapters.tables import agencies, clients, document_sequences, token_keys
from lienthong.registry.domain.agency import Agency


def _agency(row: Any) -> Agency:
    return Agency(code=row.code, name=row.name, parent_code=row.parent_code, level=row.level, kind=row.kind,
                  status=row.status, successor_code=row.successor_code, created_at=row.created_at)


class SqlRegistryRepository:
    """Agencies, sequences, clients and token keys in the registry's database."""

    def __init__(self, session: Session):
        self.session = session

    def get_agency(self, code: str) -> Agency | None:
        row = self.session.execute(select(agencies).where(agencies.c.code == code)).first()
        return _agency(row) if row else None

    def list_agencies(self, *, after: str | None, limit: int) -> list[Agency]:
        query = select(agencies).order_by(agencies.c.code).limit(limit)
        if after:
            query = query.where(agencies.c.code > after)
        return [_agency(r) for r in self.session.execute(query)]

    def add_agency(self, agency: Agency) -> None:
        self.session.execute(agencies.insert().values(
            code=agency.code, name=agency.name, parent_code=agency.parent_code, level=agency.level,
            kind=agency.kind, status=agency.status, successor_code=agency.successor_code,
            created_at=agency.created_at or clock.now()))

    def next_document_number(self, agency_code: str, year: int) -> int:
        """Atomically take the next number of (agency, year); rolls back with the caller's transaction."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(document_sequences).values(agency_code=agency_code, year=year, last_number=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[document_sequences.c.agency_code, document_sequences.c.year],
            set_={"last_number": document_sequences.c.last_number + 1},
        ).returning(document_sequences.c.last_number)
        return int(self.session.execute(stmt).scalar_one())

    def add_client(self, *, client_id: str, name: str, secret_hash: str, agency_codes: list[str],
                   scopes: str, role: str) -> None:
        self.session.execute(clients.insert().values(
            client_id=client_id, name=name, secret_hash=secret_hash, agency_codes=agency_codes,
            scopes=scopes, role=role, created_at=clock.now()))

    def get_client(self, client_id: str) -> Any | None:
        return self.session.execute(select(clients).where(clients.c.client_id == client_id)).first()

    def token_keys(self) -> list[Any]:
        return list(self.session.execute(select(token_keys).order_by(token_keys.c.created_at)))

    def add_token_key(self, kid: str, private_pem: str) -> None:
        self.session.execute(token_keys.insert().values(kid=kid, private_pem=private_pem, active=True,
                                                        created_at=clock.now()))
