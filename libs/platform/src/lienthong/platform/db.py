"""Database: SQLAlchemy 2 engines, the unit of work, and the Alembic runner.

Each service owns one database (a SQLite file in embedded mode, a PostgreSQL
database in distributed mode) and its own Alembic ``migrations/`` folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Self

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the constraint naming convention every service uses."""
    return MetaData(naming_convention=naming_convention)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys, PostgreSQL a pool."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below drive transactions
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # BEGIN IMMEDIATE takes the write lock up front: no deadlock-prone lock upgrades.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, **kwargs)


def run_migrations(engine: Engine, script_location: Path) -> None:
    """Upgrade the database behind ``engine`` to the head of ``script_location``'s Alembic scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def run_alembic_env(target_metadata: MetaData) -> None:
    """Body of every service's ``migrations/env.py``: online migrations on the given connection or URL."""
    from alembic import context

    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("set sqlalchemy.url or pass a connection to run migrations")
        with make_engine(url).begin() as connection:
            _migrate(context, connection, target_metadata)
    else:
        _migrate(context, connection, target_metadata)


def _migrate(context: Any, connection: Any, target_metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


class UnitOfWork:
    """One business transaction: a session, plus the events to publish once it commits.

    Use as ``with uow: ...; uow.commit()``. Leaving the block without ``commit()``
    rolls back. Events added with :meth:`add_event` are written to the outbox in the
    same transaction; after commit, ``after_commit`` callbacks run (the relay's wake-up).
    """

    def __init__(self, session_factory: sessionmaker[Session],
                 after_commit: list[Callable[[], None]] | None = None):
        self._session_factory = session_factory
        self._after_commit = after_commit or []
        self.session: Session

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._events_added = False
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.rollback()
        self.session.close()

    def add_event(self, event: Any) -> None:
        """Write ``event`` (a :class:`lienthong.platform.messaging.Event`) to the outbox of this transaction."""
        from lienthong.platform.messaging.outbox import write_to_outbox

        write_to_outbox(self.session, event)
        self._events_added = True

    def add_events(self, events: Sequence[Any]) -> None:
        """Write many events to the outbox of this transaction in one statement (large fan-outs)."""
        from lienthong.platform.messaging.outbox import write_many_to_outbox

        if events:
            write_many_to_outbox(self.session, events)
            self._events_added = True

    def commit(self) -> None:
        self.session.commit()
        if self._events_added:
            for callback in self._after_commit:
                callback()
            self._events_added = False


class Database:
    """A service's engine and session factory, built once by its bootstrap."""

    def __init__(self, url: str, **engine_kwargs: Any):
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)
        self._after_commit: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def on_commit_with_events(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after every commit that wrote events to the outbox."""
        with self._lock:
            self._after_commit.append(callback)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self._after_commit)

    def ping(self) -> bool:
        """Health check: the database answers a trivial query."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True

    def dispose(self) -> None:
        self.engine.dispose()
