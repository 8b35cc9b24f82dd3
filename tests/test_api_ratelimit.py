"""Citizen rate limits (issue 8): per key and per client address, per minute and per day, 429 +
Retry-After, limits configurable per key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import api_headers
from ventanilla.auth.ratelimit import Limits, SlidingWindowLimiter


def test_sliding_window_minute_and_day() -> None:
    limiter = SlidingWindowLimiter()
    per_minute = Limits(per_minute=2, per_day=0)
    assert limiter.hit("k", per_minute, now=0.0) is None
    assert limiter.hit("k", per_minute, now=10.0) is None
    assert limiter.hit("k", per_minute, now=20.5) == 40  # the oldest hit leaves the window at t=60
    assert limiter.hit("other", per_minute, now=20.5) is None  # buckets are independent
    assert limiter.hit("k", per_minute, now=60.0) is None
    per_day = Limits(per_minute=0, per_day=3)
    for second in (0.0, 100.0, 200.0):
        assert limiter.hit("d", per_day, now=second) is None
    assert limiter.hit("d", per_day, now=300.0) == 86100
    assert limiter.hit("d", per_day, now=86400.0) is None
    unlimited = Limits(0, 0)
    assert all(limiter.hit("u", unlimited, now=float(i)) is None for i in range(1000))


@pytest.fixture(scope="module")
def limited_app(client: TestClient, monkeypatch_module: pytest.MonkeyPatch) -> Iterator[Any]:
    """The mini-domain app with a tight per-address limit (3 a minute) for citizen keys."""
    from ventanilla import settings
    from ventanilla.api.app import create_app

    monkeypatch_module.setenv("VENTANILLA_CITIZEN_ADDRESS_PER_MINUTE", "3")
    settings.get_settings.cache_clear()
    yield create_app()
    monkeypatch_module.delenv("VENTANILLA_CITIZEN_ADDRESS_PER_MINUTE")
    settings.get_settings.cache_clear()


def test_per_key_limit_returns_429_with_retry_after(client: TestClient) -> None:
    headers = {**api_headers("citizen", per_minute=2, per_day=100), "Accept-Language": "eu"}
    assert [client.get("/v1/domains", headers=headers).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/v1/domains", headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "segundo barru" in refused.json()["detail"]  # localized (Basque)
    assert client.get("/v1/domains", headers=api_headers("citizen")).status_code == 200  # other keys fine
    internal = api_headers("internal")  # staff keys: no limit unless the key sets one
    assert [client.get("/v1/domains", headers=internal).status_code for _ in range(5)] == [200] * 5
    staff = api_headers("internal", per_minute=1)
    assert [client.get("/v1/domains", headers=staff).status_code for _ in range(2)] == [200, 429]
    scraped = client.get("/metrics", headers=api_headers("internal", roles=("audit",))).text
    assert 'ventanilla_rate_limited_total{channel="citizen",scope="key"}' in scraped


def test_per_day_limit(client: TestClient) -> None:
    headers = api_headers("citizen", per_minute=100, per_day=2)
    assert [client.get("/v1/domains", headers=headers).status_code for _ in range(3)] == [200, 200, 429]
    retry = int(client.get("/v1/domains", headers=headers).headers["retry-after"])
    assert 86000 < retry <= 86400


def test_per_address_limit(limited_app: Any) -> None:
    key = api_headers("citizen", per_minute=100, per_day=1000)  # the key itself allows plenty
    with TestClient(limited_app, headers=key, client=("203.0.113.7", 5000)) as first:
        codes = [first.get("/v1/domains").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert int(first.get("/v1/domains").headers["retry-after"]) >= 1
    with TestClient(limited_app, headers=key, client=("203.0.113.8", 5000)) as second:
        assert second.get("/v1/domains").status_code == 200  # another address has its own window
    trusted = api_headers("citizen")  # limits 0/0: a trusted server-side key, no address limit
    with TestClient(limited_app, headers=trusted, client=("203.0.113.7", 5000)) as server:
        assert [server.get("/v1/domains").status_code for _ in range(5)] == [200] * 5


def test_a_refused_request_counts_in_no_window() -> None:
    limiter = SlidingWindowLimiter()
    key, address = ("k", Limits(3, 0)), ("k|a", Limits(1, 0))
    assert limiter.hit_all([key, address], now=0.0) == (None, None)
    assert limiter.hit_all([key, address], now=1.0) == (1, 59)  # the address window is full
    assert limiter.hit_all([key, ("k|b", Limits(1, 0))], now=2.0) == (None, None)  # key: 2 of 3 used
    assert limiter.hit_all([key, ("k|c", Limits(1, 0))], now=3.0) == (None, None)
    assert limiter.hit_all([key, ("k|d", Limits(1, 0))], now=4.0)[0] == 0  # now the key is full
