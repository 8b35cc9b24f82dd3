"""Alembic migrations of the audit store (shipped as package data; run by `AuditStore.migrate`)."""
