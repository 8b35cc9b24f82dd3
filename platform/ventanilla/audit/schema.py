"""The audit store's tables (SQLAlchemy Core). Changes go through an Alembic migration."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

# One row per record. `body` is the canonical JSON that was hashed; the other columns repeat some of
# its fields so that exports can filter by time, kind and domain (verification checks they agree).
records = Table(
    "audit_record",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("id", String(36), nullable=False, unique=True),
    Column("ts", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("domains", String(512), nullable=False),
    Column("body", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("seal", String(64), nullable=False),
    Index("ix_audit_record_ts", "ts"),
    Index("ix_audit_record_kind", "kind"),
)

# A single row (id = 1): the newest record's position and hash. Writers lock it (SELECT ... FOR
# UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE locks the whole database) so the chain never forks.
chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)
