"""Alembic environment of the archive (see lienthong.platform.db.run_alembic_env)."""

from lienthong.archive.adapters.tables import metadata
from lienthong.platform.db import run_alembic_env

run_alembic_env(metadata)
