"""Alembic environment of the signing service (see lienthong.platform.db.run_alembic_env)."""

from lienthong.platform.db import run_alembic_env
from lienthong.signing.adapters.tables import metadata

run_alembic_env(metadata)
