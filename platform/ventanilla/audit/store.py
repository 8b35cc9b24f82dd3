"""The audit store: SQLAlchemy over SQLite (WAL, embedded default) or PostgreSQL (production).

Appending takes the chain lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `SELECT ... FOR UPDATE` on the
chain-head row), reads the head, writes the record and moves the head in one transaction: several
processes writing at once keep one chain, and a writer killed mid-write leaves no half record (the
database rolls the transaction back). The schema is created and upgraded by Alembic migrations that
ship inside the package.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, select, update
from sqlalchemy.engine import make_url

from ventanilla.audit.record import GENESIS_HASH, Entry, canonical_json, finish, utc_now
from ventanilla.audit.schema import chain_head, records
from ventanilla.settings import Settings


def default_url(settings: Settings) -> str:
    return f"sqlite:///{(settings.data_dir / 'audit' / 'audit.sqlite').resolve()}"


def store_url(settings: Settings) -> str:
    return settings.audit_url or default_url(settings)


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Row:
    seq: int
    id: str
    ts: str
    kind: str
    channel: str
    domains: str
    body: str
    prev_hash: str
    hash: str
    seal: str

    def record(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.body)
        value["hash"] = self.hash
        value["seal"] = self.seal
        return value


def _domains_column(domains: Sequence[str]) -> str:
    return "," + ",".join(domains) + ","


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a written record survives a power cut
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the database write lock up front (no lock upgrade deadlock between writers);
        # readers get a consistent WAL snapshot without blocking anyone.
        reading = conn.get_execution_options().get("audit_read", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


class AuditStore:
    """One audit chain in one SQL database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url)
        else:
            args: dict[str, Any] = {"connect_timeout": 5} if self.dialect == "postgresql" else {}
            self.engine = create_engine(url, pool_pre_ping=True, connect_args=args)
        self._migrated = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditStore:
        return cls(store_url(settings))

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration (idempotent, safe to race)."""
        if self._migrated:
            return
        with self._lock:
            if self._migrated:
                return
            from alembic import command
            from alembic.config import Config

            config = Config()
            location = resources.files("ventanilla.audit") / "migrations"
            config.set_main_option("script_location", str(location))
            with self.engine.connect() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            self._migrated = True

    # --- writing --------------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[tuple[Connection, int, str]]:
        """A write transaction holding the chain lock: (connection, head seq, head hash)."""
        self.migrate()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1).with_for_update()
            ).one()
            yield conn, int(row.seq), str(row.hash)

    def insert(self, conn: Connection, entry: Entry, seq: int, prev_hash: str, key: bytes) -> dict[str, Any]:
        """Write `entry` as record `seq` inside a `locked()` transaction and move the head to it."""
        body = entry.body(seq, utc_now(), prev_hash)
        full = finish(body, key)
        conn.execute(
            records.insert().values(
                seq=seq,
                id=body["id"],
                ts=body["ts"],
                kind=body["kind"],
                channel=body["channel"],
                domains=_domains_column(body["domains"]),
                body=canonical_json(body),
                prev_hash=prev_hash,
                hash=full["hash"],
                seal=full["seal"],
            )
        )
        conn.execute(update(chain_head).where(chain_head.c.id == 1).values(seq=seq, hash=full["hash"]))
        return full

    def append(self, entry: Entry, key: bytes) -> dict[str, Any]:
        """Append one record to the chain; returns it with its hash. Raises on any database error."""
        with self.locked() as (conn, head_seq, head_hash):
            return self.insert(conn, entry, head_seq + 1, head_hash, key)

    def delete_through(self, conn: Connection, seq: int) -> int:
        """Delete records up to `seq` inside a `locked()` transaction (retention only)."""
        return conn.execute(delete(records).where(records.c.seq <= seq)).rowcount

    # --- reading --------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot, blocking no writer."""
        self.migrate()
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn.execution_options(audit_read=True)  # deferred BEGIN: a WAL snapshot
            else:
                conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot per read
            with conn.begin():
                yield conn

    def head(self) -> tuple[int, str]:
        with self.reading() as conn:
            return self.head_in(conn)

    @staticmethod
    def head_in(conn: Connection) -> tuple[int, str]:
        row = conn.execute(select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)).one()
        return int(row.seq), str(row.hash)

    def count(self) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(records)).scalar_one())

    @staticmethod
    def rows(conn: Connection, *where: Any, batch: int = 1000) -> Iterator[Row]:
        """Records in chain order, fetched in batches."""
        last = None
        while True:
            query = select(records).where(*where).order_by(records.c.seq).limit(batch)
            if last is not None:
                query = query.where(records.c.seq > last)
            chunk = [Row(**row._asdict()) for row in conn.execute(query)]
            yield from chunk
            if len(chunk) < batch:
                return
            last = chunk[-1].seq

    def get(self, record_id: str) -> Row | None:
        with self.reading() as conn:
            row = conn.execute(select(records).where(records.c.id == record_id)).first()
            return Row(**row._asdict()) if row is not None else None

    def latest_checkpoint(self, conn: Connection) -> Row | None:
        row = conn.execute(
            select(records).where(records.c.kind == "checkpoint").order_by(records.c.seq.desc()).limit(1)
        ).first()
        return Row(**row._asdict()) if row is not None else None


__all__ = ["GENESIS_HASH", "AuditStore", "Row", "default_url", "redact_url", "store_url"]
