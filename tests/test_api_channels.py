"""Channels (issue 8): API keys, access levels from the key only, domains, roles, widget origins."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import api_headers
from ventanilla.auth.keys import KeyStore, KeyStoreError, hash_token
from ventanilla.settings import get_settings

INTERNAL_QUESTION = (
    "¿Cuándo debe revisar el personal de la unidad de registro la bandeja de entrada de la sede?"
)
MIXED_QUESTION = "¿Cuánto tiempo tiene la Administración para resolver y notificar mi solicitud?"
ORIGIN = "https://sede.example.es"


def _ask(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    payload = {"question": INTERNAL_QUESTION, "domain": "prueba", "top_k": 20, **body}
    return client.post("/v1/ask", json=payload, headers=headers)


def _levels(sources: list[dict[str, Any]]) -> set[str]:
    return {str(s["access"]) for s in sources}


def test_every_route_but_health_needs_a_key(client: TestClient) -> None:
    bare = TestClient(client.app)  # same app, no default key header
    assert bare.get("/healthz").status_code == 200
    routes = [("get", "/v1/domains"), ("get", "/v1/transparency"), ("get", "/metrics"), ("post", "/v1/ask"),
              ("post", "/v1/chat/completions"), ("post", "/v1/feedback")]  # fmt: skip
    for method, path in routes:
        response = getattr(bare, method)(path, params={"lang": "ca"})
        assert response.status_code == 401, (path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "clau d'API" in response.json()["detail"]  # localized (?lang=ca)
    wrong = bare.get("/v1/domains", headers={"X-API-Key": "vk_not-a-key", "Accept-Language": "en"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["detail"]


def test_key_store_keeps_only_hashes(client: TestClient) -> None:
    store = KeyStore(get_settings())
    token, key = store.create("hash-check", "internal", roles=("ask", "audit"))
    assert token.startswith("vk_") and key.prefix == token[:10]
    database = get_settings().data_dir / "auth" / "keys.sqlite"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select hash from api_keys where id = ?", (key.id,)).fetchall()
    assert rows == [(hash_token(token),)]
    assert token.encode() not in database.read_bytes()
    with pytest.raises(KeyStoreError):
        store.create("widget", "internal", origins=(ORIGIN,))  # origins: citizen keys only
    with pytest.raises(KeyStoreError):
        store.create("bad", "citizen", roles=("root",))


def test_citizen_and_clinician_keys_never_retrieve_internal_documents(client: TestClient) -> None:
    internal = _ask(client, api_headers("internal"))
    assert internal.status_code == 200, internal.text
    assert "internal" in _levels(internal.json()["sources"])  # the document is there to be found
    for channel in ("citizen", "clinician"):
        headers = api_headers(channel)
        for domain in ("prueba", "all"):
            body = _ask(client, headers, domain=domain).json()
            assert "internal" not in _levels(body["sources"]), (channel, domain)
            mixed = _ask(client, headers, domain=domain, question=MIXED_QUESTION).json()
            assert mixed["sources"] and _levels(mixed["sources"]) == {"public"}, (channel, domain)
        assert _ask(client, headers, access=["internal"]).status_code == 422  # no such request field
        assert _ask(client, headers, filters={"access": "internal"}).status_code == 422
        chat = client.post(
            "/v1/chat/completions",
            headers=headers,
            json={"model": "prueba", "messages": [{"role": "user", "content": INTERNAL_QUESTION}],
                  "top_k": 20, "access": ["internal"], "filters": {"access": "internal"}},
        )  # fmt: skip
        assert chat.status_code == 200, chat.text
        assert "internal" not in _levels(chat.json()["ventanilla"]["sources"])
        stream = _ask(client, headers, stream=True)
        assert stream.status_code == 200 and '"access": "internal"' not in stream.text


def test_revoked_keys_fail(client: TestClient) -> None:
    store = KeyStore(get_settings())
    token, key = store.create("to-revoke", "citizen", per_minute=0, per_day=0)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/domains", headers=headers).status_code == 200
    from ventanilla.cli import app

    result = CliRunner().invoke(app, ["keys", "revoke", key.id])
    assert result.exit_code == 0, result.output
    assert client.get("/v1/domains", headers=headers).status_code == 401


def test_domain_and_role_scopes(client: TestClient) -> None:
    other = api_headers("internal", domains=("otro",))
    assert client.get("/v1/domains", headers=other).json() == []
    refused = _ask(client, other, lang="gl")
    assert refused.status_code == 403 and "ámbito «prueba»" in refused.json()["detail"]
    assert _ask(client, other, domain="all").status_code == 403
    assert client.get("/metrics").status_code == 403  # the fixture key is ask-only
    scraped = client.get("/metrics", headers=api_headers("internal", roles=("audit",)))
    assert scraped.status_code == 200 and "ventanilla_requests_total" in scraped.text
    assert 'route="/v1/ask"' in scraped.text and "ventanilla_auth_refused_total" in scraped.text


def test_widget_keys_work_only_from_their_origins(client: TestClient) -> None:
    widget = api_headers("citizen", origins=(ORIGIN,))
    assert client.get("/v1/domains", headers=widget).status_code == 403  # no Origin: not a browser
    elsewhere = client.get("/v1/domains", headers={**widget, "Origin": "https://evil.example"})
    assert elsewhere.status_code == 403 and "https://evil.example" in elsewhere.json()["detail"]
    assert "access-control-allow-origin" not in elsewhere.headers
    ok = client.get("/v1/domains", headers={**widget, "Origin": ORIGIN})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ORIGIN
    preflight = client.options(
        "/v1/ask",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == ORIGIN


def test_keys_cli_creates_and_lists(client: TestClient) -> None:
    from ventanilla.cli import app

    runner = CliRunner()
    created = runner.invoke(
        app,
        ["keys", "create", "sede", "--channel", "citizen", "--origin", ORIGIN, "--per-minute", "5", "--json"],
    )
    assert created.exit_code == 0, created.output
    info = json.loads(created.stdout)
    assert info["token"].startswith("vk_") and info["key"]["origins"] == [ORIGIN]
    listed = runner.invoke(app, ["keys", "list", "--json"])
    assert listed.exit_code == 0 and info["token"] not in listed.stdout
    assert any(k["id"] == info["key"]["id"] and k["per_minute"] == 5 for k in json.loads(listed.stdout))
    refused = runner.invoke(app, ["keys", "create", "x", "--channel", "clinician", "--origin", ORIGIN])
    assert refused.exit_code == 2


def test_openapi_documents_auth_errors(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ask = schema["paths"]["/v1/ask"]["post"]["responses"]
    assert {"401", "403", "429", "422", "503"} <= set(ask)
    assert "Retry-After" in ask["429"]["headers"]


def _metric(client: TestClient, headers: dict[str, str], name: str) -> float:
    for line in client.get("/metrics", headers=headers).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def test_streamed_answers_are_counted(client: TestClient) -> None:
    auditor = api_headers("internal", roles=("audit",))
    before = _metric(client, auditor, "ventanilla_abstentions_total")
    off_topic = "¿Cuántos puntos del carné de conducir se pierden por usar el móvil al volante?"
    streamed = client.post("/v1/ask", json={"question": off_topic, "domain": "prueba", "stream": True})
    assert streamed.status_code == 200 and "event: final" in streamed.text
    assert _metric(client, auditor, "ventanilla_abstentions_total") == before + 1
    assert 'ventanilla_stage_seconds_count{stage="total"}' in client.get("/metrics", headers=auditor).text
