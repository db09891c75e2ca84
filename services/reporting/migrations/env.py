"""Alembic environment of reporting (see lienthong.platform.db.run_alembic_env)."""

from lienthong.platform.db import run_alembic_env
from lienthong.reporting.adapters.tables import metadata

run_alembic_env(metadata)
