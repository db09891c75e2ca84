"""Autogenerate a migration for one service against a scratch SQLite database at head.

    uv run python scripts/new_migration.py registry "add agency history"
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from lienthong.platform.db import make_engine, run_migrations

ROOT = Path(__file__).resolve().parent.parent


def main(service: str, message: str) -> None:
    migrations = ROOT / "services" / service / "migrations"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/scratch.sqlite3")
        if any((migrations / "versions").glob("*.py")):
            run_migrations(engine, migrations)
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations))
        cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=message, autogenerate=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
