"""Alembic environment of the routing (see lienthong.platform.db.run_alembic_env)."""

from lienthong.platform.db import run_alembic_env
from lienthong.routing.adapters.tables import metadata

run_alembic_env(metadata)
