"""Fixtures of the audit tests: a real PostgreSQL server per session, a fresh store per test.

PostgreSQL must be installed (scripts/services.sh does it): if it is not, the PostgreSQL tests FAIL
with the reason, they are never skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgserver import PostgresServer, PostgresUnavailable
from ventanilla.settings import Settings

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        pytest.fail(f"the audit tests need a PostgreSQL server and none could be started: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def audit_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings of an empty audit store on each backend (own data dir, key file and anchor file)."""
    url = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database(f"audit_{next(_databases)}")
    return Settings(data_dir=tmp_path / "var", audit_url=url, audit_anchor_every=5)
