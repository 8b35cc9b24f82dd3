"""The audit trail through the API and the CLI: every answer is recorded before it is sent, with its
audit id; when the store is unavailable the answer is not sent (503) — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import api_headers
from ventanilla.audit.auditor import Auditor
from ventanilla.settings import Settings

QUESTION = "¿Cuál es el plazo para interponer el recurso de alzada?"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _env(mini_env: dict[str, Any], audit_url: str, anchors: Path) -> dict[str, str]:
    settings: Settings = mini_env["settings"]
    return {
        "VENTANILLA_DATA_DIR": str(settings.data_dir),
        "VENTANILLA_DOMAINS_DIR": str(settings.domains_dir),
        "VENTANILLA_AUDIT_URL": audit_url,
        "VENTANILLA_AUDIT_ANCHOR_PATH": str(anchors),
    }


def _clear_caches() -> None:
    from ventanilla import runtime, settings

    settings.get_settings.cache_clear()
    runtime.default_embedder.cache_clear()


@pytest.fixture
def app_env(
    mini_env: dict[str, Any], request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """Environment of an app whose audit store is working ('sqlite', 'postgresql') or broken ('…-down')."""
    backend: str = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    elif backend == "sqlite-down":
        (tmp_path / "not-a-folder").write_text("a file where the store's folder should be")
        url = f"sqlite:///{tmp_path / 'not-a-folder' / 'audit.sqlite'}"
    else:
        server = request.getfixturevalue("postgres_server")
        name = f"api_{tmp_path.name.replace('-', '_').lower()}"[:60]
        url = server.create_database(name) if backend == "postgresql" else server.url("no_such_database")
    env = _env(mini_env, url, tmp_path / "anchors.jsonl")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _clear_caches()
    yield env
    _clear_caches()


@pytest.fixture
def client(app_env: dict[str, str]) -> Iterator[TestClient]:
    from ventanilla.api.app import create_app

    with TestClient(create_app(), headers=api_headers("citizen")) as test_client:
        yield test_client


def _auditor(env: dict[str, str], mini_env: dict[str, Any]) -> Auditor:
    settings: Settings = mini_env["settings"]
    return Auditor(
        Settings(
            data_dir=settings.data_dir, audit_url=env["VENTANILLA_AUDIT_URL"],
            audit_anchor_path=Path(env["VENTANILLA_AUDIT_ANCHOR_PATH"]),
        )
    )  # fmt: skip


@pytest.mark.parametrize("app_env", ["sqlite", "postgresql"], indirect=True)
def test_every_answer_is_audited_before_it_is_sent(
    client: TestClient, app_env: dict[str, str], mini_env: dict[str, Any]
) -> None:
    answered = client.post("/v1/ask", json={"question": QUESTION, "domain": "prueba"})
    abstained = client.post(
        "/v1/ask", json={"question": "¿Qué tiempo hará mañana en Soria?", "domain": "prueba"}
    )
    assert answered.status_code == 200 and abstained.status_code == 200
    body = answered.json()
    assert UUID.match(body["audit_id"]) and body["model"]["id"] == "extractive"
    assert abstained.json()["mode"] == "abstained" and UUID.match(abstained.json()["audit_id"])
    auditor = _auditor(app_env, mini_env)
    report = auditor.verify()
    assert report.ok and report.records == 2
    row = auditor.store.get(body["audit_id"])
    assert row is not None
    record = row.record()
    assert record["question"] == QUESTION and record["answer"] == body["answer"]
    assert record["channel"] == "citizen"  # the calling key's channel (issue 8)
    assert record["domains"] == ["prueba"] and record["mode"] == body["mode"]
    assert [s["id"] for s in record["sources"]] == [s["id"] for s in body["sources"]]
    assert record["citations"] == body["citations"]
    assert re.fullmatch(r"[0-9a-f]{32}", record["caller"])  # keyed hash, not the key id
    assert record["prompt"]["id"] == "prueba/prompts/es.md" or record["prompt"]["id"] is None
    assert {"total_ms"} <= set(record["latency_ms"]) and record["platform_version"]
    second = auditor.store.get(abstained.json()["audit_id"])
    assert second is not None and second.prev_hash == row.hash  # the abstention chained after the answer

    rated = client.post(
        "/v1/feedback", json={"audit_id": body["audit_id"], "rating": 4, "comment": "Útil", "lang": "gl"}
    )
    assert rated.status_code == 200, rated.text
    assert rated.json()["message"] == "Grazas pola súa valoración."
    feedback = auditor.store.get(rated.json()["feedback_id"])
    assert feedback is not None and feedback.kind == "feedback"
    assert feedback.record()["audit_id"] == body["audit_id"] and feedback.record()["rating"] == 4
    assert auditor.verify().ok
    auditor.close()


@pytest.mark.parametrize("app_env", ["sqlite"], indirect=True)
def test_feedback_rejects_bad_requests(client: TestClient) -> None:
    unknown = client.post(
        "/v1/feedback", json={"audit_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12, "rating": 3, "lang": "en"}
    )
    assert unknown.status_code == 404 and "no answer with the audit id" in unknown.json()["detail"]
    assert client.post("/v1/feedback", json={"audit_id": "x" * 36, "rating": 9}).status_code == 422
    assert client.post("/v1/feedback", json={"rating": 3}).status_code == 422


@pytest.mark.parametrize("app_env", ["sqlite"], indirect=True)
def test_transparency_lists_model_sources_and_limits(client: TestClient) -> None:
    info = client.get("/v1/transparency", params={"lang": "ca"}).json()
    assert "intel·ligència artificial" in info["ai_disclosure"] and "fonts" in info["limits"]
    assert info["audit"]["retention_days"] == 183
    (domain,) = info["domains"]
    assert domain["name"] == "prueba" and domain["model"]["id"] == "extractive"
    assert [s["id"] for s in domain["sources"]] == ["ley-39-2015", "ley-19-2013"]  # internal notes not listed
    assert domain["internal_sources"] == 1


@pytest.mark.parametrize("app_env", ["sqlite-down", "postgresql-down"], indirect=True)
def test_no_answer_when_the_audit_store_is_unavailable(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": QUESTION, "domain": "prueba", "lang": "ca"})
    assert response.status_code == 503
    assert response.json() == {
        "detail": "No es pot enregistrar la consulta al registre d'auditoria, per això no s'envia la "
        "resposta. Torneu-ho a provar més tard."
    }


@pytest.mark.parametrize("app_env", ["sqlite-down"], indirect=True)
def test_cli_ask_fails_closed(app_env: dict[str, str]) -> None:
    from ventanilla.cli import app

    result = CliRunner().invoke(app, ["ask", "prueba", QUESTION, "--lang", "en"])
    assert result.exit_code == 2
    assert "cannot be written to the audit log" in result.output
    assert "[1]" not in result.output  # no answer printed


@pytest.mark.parametrize("app_env", ["sqlite"], indirect=True)
def test_cli_ask_verify_and_export(app_env: dict[str, str], tmp_path: Path) -> None:
    from ventanilla.cli import app

    runner = CliRunner()
    asked = runner.invoke(app, ["ask", "prueba", QUESTION, "--json"])
    assert asked.exit_code == 0, asked.output
    audit_id = json.loads(asked.stdout)["audit_id"]
    verified = runner.invoke(app, ["audit", "verify", "--json"])
    assert verified.exit_code == 0, verified.output
    report = json.loads(verified.stdout)
    assert report["ok"] is True and report["records"] == 1 and report["first_bad"] is None
    target = tmp_path / "export.jsonl"
    exported = runner.invoke(
        app,
        [
            "audit",
            "export",
            "--from",
            "2020-01-01",
            "--to",
            "2999-12-31",
            "--domain",
            "prueba",
            "-o",
            str(target),
        ],
    )
    assert exported.exit_code == 0, exported.output
    (line,) = target.read_text().splitlines()
    assert json.loads(line)["id"] == audit_id and json.loads(line)["channel"] == "cli"
    assert runner.invoke(app, ["audit", "anchor"]).exit_code == 0
    assert runner.invoke(app, ["audit", "export", "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["audit", "purge", "--days", "30"]).exit_code == 2  # shorter than six months
    purged = runner.invoke(app, ["audit", "purge", "--dry-run", "--json"])
    assert purged.exit_code == 0 and json.loads(purged.stdout)["purged"] == 0
