"""API keys stored hashed (SHA-256 of a random `vk_…` token) in a SQL table: SQLite under the data dir
by default, any SQLAlchemy URL in production (`VENTANILLA_AUTH_URL`).

A key carries a channel (which fixes its document access levels), the domains it may use, its roles,
the browser origins it is bound to (widget keys, citizen channel only), its rate limits and a revoked
flag. The token itself is shown once, at creation, and never stored.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Boolean, Column, Engine, Integer, MetaData, String, Table, Text, create_engine, select
from sqlalchemy import update as sql_update
from sqlalchemy.engine import make_url

from ventanilla.settings import Settings

Channel = Literal["citizen", "clinician", "internal"]
CHANNELS: tuple[str, ...] = ("citizen", "clinician", "internal")
ROLES: tuple[str, ...] = ("ask", "ingest", "audit", "admin")
# The only place where a channel becomes document access levels: requests never choose them.
CHANNEL_ACCESS: dict[str, tuple[str, ...]] = {
    "citizen": ("public",),
    "clinician": ("public",),
    "internal": ("public", "internal"),
}
TOKEN_PREFIX = "vk_"

metadata = MetaData()
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("hash", String(64), nullable=False, unique=True, index=True),
    Column("prefix", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("domains", Text, nullable=False),  # JSON list; ["*"] = every domain
    Column("roles", Text, nullable=False),  # JSON list
    Column("origins", Text, nullable=False),  # JSON list of "scheme://host[:port]"
    Column("per_minute", Integer, nullable=True),  # None: the channel default; 0: unlimited
    Column("per_day", Integer, nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created", String(40), nullable=False),
)


class KeyStoreError(ValueError):
    """An invalid key definition (unknown channel or role, origins on a non-citizen key...)."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    prefix: str
    name: str
    channel: str
    domains: tuple[str, ...]
    roles: tuple[str, ...]
    origins: tuple[str, ...]
    per_minute: int | None
    per_day: int | None
    revoked: bool
    created: str

    @property
    def access(self) -> tuple[str, ...]:
        return CHANNEL_ACCESS[self.channel]

    def allows_domain(self, name: str) -> bool:
        return "*" in self.domains or name in self.domains

    def public(self) -> dict[str, Any]:
        """What listing a key may show (never its hash)."""
        return {
            "id": self.id, "prefix": self.prefix, "name": self.name, "channel": self.channel,
            "domains": list(self.domains), "roles": list(self.roles), "origins": list(self.origins),
            "per_minute": self.per_minute, "per_day": self.per_day, "revoked": self.revoked,
            "created": self.created,
        }  # fmt: skip


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalize_origin(origin: str) -> str:
    origin = origin.strip().rstrip("/")
    if not origin.startswith(("http://", "https://")) or "/" in origin.split("://", 1)[1]:
        raise KeyStoreError(f"an origin is scheme://host[:port], not {origin!r}")
    return origin.lower()


def default_url(settings: Settings) -> str:
    return f"sqlite:///{(settings.data_dir / 'auth' / 'keys.sqlite').resolve()}"


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _engine(url: str) -> Engine:
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url)
            metadata.create_all(engine)
            _engines[url] = engine
        return engine


def _row(row: Any) -> ApiKey:
    return ApiKey(
        id=row.id, prefix=row.prefix, name=row.name, channel=row.channel,
        domains=tuple(json.loads(row.domains)), roles=tuple(json.loads(row.roles)),
        origins=tuple(json.loads(row.origins)), per_minute=row.per_minute, per_day=row.per_day,
        revoked=bool(row.revoked), created=row.created,
    )  # fmt: skip


class KeyStore:
    def __init__(self, settings: Settings) -> None:
        self.engine = _engine(settings.auth_url or default_url(settings))

    def create(
        self,
        name: str,
        channel: str,
        *,
        domains: tuple[str, ...] = ("*",),
        roles: tuple[str, ...] = ("ask",),
        origins: tuple[str, ...] = (),
        per_minute: int | None = None,
        per_day: int | None = None,
    ) -> tuple[str, ApiKey]:
        """A new key: returns the token (shown once) and the stored record."""
        if channel not in CHANNELS:
            raise KeyStoreError(f"unknown channel {channel!r} (use {', '.join(CHANNELS)})")
        unknown = sorted(set(roles) - set(ROLES))
        if unknown or not roles:
            raise KeyStoreError(f"unknown roles {', '.join(unknown) or '(none)'} (use {', '.join(ROLES)})")
        if origins and channel != "citizen":
            raise KeyStoreError("only citizen keys (widget keys) are bound to browser origins")
        for limit in (per_minute, per_day):
            if limit is not None and limit < 0:
                raise KeyStoreError("rate limits are 0 (unlimited) or more")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        key_id = "key_" + secrets.token_hex(6)
        values = {
            "id": key_id, "hash": hash_token(token), "prefix": token[:10], "name": name, "channel": channel,
            "domains": json.dumps(sorted(set(domains)) or ["*"]), "roles": json.dumps(sorted(set(roles))),
            "origins": json.dumps(sorted({normalize_origin(o) for o in origins})), "per_minute": per_minute,
            "per_day": per_day, "revoked": False, "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }  # fmt: skip
        with self.engine.begin() as connection:
            connection.execute(api_keys.insert().values(**values))
        found = self.get(key_id)
        assert found is not None
        return token, found

    def authenticate(self, token: str) -> ApiKey | None:
        """The key a token belongs to, revoked or not (None: no such key)."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.hash == hash_token(token))).first()
        return _row(row) if row is not None else None

    def get(self, key_id: str) -> ApiKey | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        return _row(row) if row is not None else None

    def list(self) -> list[ApiKey]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(api_keys).order_by(api_keys.c.created, api_keys.c.id)).all()
        return [_row(r) for r in rows]

    def revoke(self, key_id: str) -> bool:
        with self.engine.begin() as connection:
            done = connection.execute(
                sql_update(api_keys).where(api_keys.c.id == key_id).values(revoked=True)
            )
        return bool(done.rowcount)

    def origins(self) -> set[str]:
        """Every origin some active key is bound to (the CORS allow-list)."""
        return {o for k in self.list() if not k.revoked for o in k.origins}
