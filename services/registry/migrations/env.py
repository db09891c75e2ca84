"""Alembic environment of the registry (see lienthong.platform.db.run_alembic_env)."""

from lienthong.platform.db import run_alembic_env
from lienthong.registry.adapters.tables import metadata

run_alembic_env(metadata)
