"""MEDDOCAN round trip and evaluation: real brat documents through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from ventanilla.privacy.anonymize import anonymize_text
from ventanilla.privacy.brat import BratError, parse_ann, read_brat_dir
from ventanilla.privacy.evaluate import evaluate, ventanilla_predictor
from ventanilla.privacy.vault import Vault, restore

DEV = SHARED_DATA / "meddocan" / "dev"


def test_brat_reader_keeps_offsets() -> None:
    docs = read_brat_dir(DEV, limit=5)
    assert len(docs) == 5
    for doc in docs:
        assert doc.spans
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text


def test_brat_reader_errors(tmp_path: Path) -> None:
    with pytest.raises(BratError):
        read_brat_dir(tmp_path / "missing")
    with pytest.raises(BratError):
        read_brat_dir(tmp_path)
    with pytest.raises(BratError, match="outside the text"):
        parse_ann("T1\tFECHAS 5 99\tx", "short", "x.ann")


def test_meddocan_document_round_trip() -> None:
    doc = read_brat_dir(DEV, limit=1)[0]
    vault = Vault()
    masked = anonymize_text(doc.text, vault=vault)
    names = [s.text for s in doc.spans if s.label.startswith("NOMBRE") and len(s.text) > 3]
    assert names and not any(n in masked.text for n in names)
    assert "<PERSONA_1>" in masked.text or "<PROFESIONAL_1>" in masked.text
    assert restore(masked.text, vault) == doc.text


def test_evaluation_on_a_few_dev_documents() -> None:
    docs = read_brat_dir(DEV, limit=4)
    report = evaluate(docs, ventanilla_predictor()).as_dict()
    assert report["docs"] == 4
    assert report["f1"] > 0.85 and report["span_f1"] >= report["f1"]
    assert report["leak_rate"] < 0.1


def test_privacy_eval_cli_json(tmp_path: Path) -> None:
    from ventanilla.cli import app

    result = CliRunner().invoke(app, ["privacy", "eval", "--brat", str(DEV), "--json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout[result.stdout.index("{") :])
    assert set(payload) == {
        "precision",
        "recall",
        "f1",
        "span_f1",
        "leak_rate",
        "overmask_rate",
        "docs",
        "docs_per_s",
    }
    assert payload["docs"] == 3
    bad = CliRunner().invoke(app, ["privacy", "eval", "--brat", str(tmp_path / "nope")])
    assert bad.exit_code == 2 and "brat folder not found" in bad.output


def test_privacy_anonymize_cli(tmp_path: Path) -> None:
    from ventanilla.cli import app

    note = tmp_path / "nota.txt"
    note.write_text("Paciente con DNI 12345678Z y correo ana@correo.es.", encoding="utf-8")
    result = CliRunner().invoke(app, ["privacy", "anonymize", str(note), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert "12345678Z" not in payload["text"] and "<DNI_1>" in payload["text"]
    assert {s["entity"] for s in payload["spans"]} >= {"ES_NIF", "EMAIL_ADDRESS"}
    plain = CliRunner().invoke(app, ["privacy", "anonymize", "-"], input="Llame al 612 345 678.")
    assert plain.stdout == "Llame al <TELEFONO_1>."
    bad = CliRunner().invoke(app, ["privacy", "anonymize", str(note), "--operator", "nope"])
    assert bad.exit_code == 2
