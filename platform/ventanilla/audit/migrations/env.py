"""Alembic environment of the audit store: runs on the connection `AuditStore.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from ventanilla.audit.schema import metadata

VERSION_TABLE = "audit_alembic_version"


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Several workers may start at once: one migrates, the others wait and find it done.
            connection.execute(text("SELECT pg_advisory_xact_lock(7204871)"))
        context.run_migrations()


run()
