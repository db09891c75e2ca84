"""Alembic environment of the documents (see lienthong.platform.db.run_alembic_env)."""

from lienthong.documents.adapters.tables import metadata
from lienthong.platform.db import run_alembic_env

run_alembic_env(metadata)
