"""`train dataset`: grounded-answer chat examples from the mini domain through the real retriever."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ventanilla.privacy.anonymize import anonymize_text
from ventanilla.retrieval.hybrid import HybridSearcher, Source
from ventanilla.retrieval.lexical import SparseEncoder
from ventanilla.training.dataset import CANARY, assign_splits, build_dataset, write_dataset

SOURCE = re.compile(r'<source n="(\d+)"[^>]*>\n(.*?)\n</source>', re.DOTALL)


@pytest.fixture(scope="module")
def built(mini_env: dict[str, Any]) -> tuple[dict[str, list[dict[str, Any]]], Any]:
    domain = mini_env["domains"]["prueba"]
    searcher = HybridSearcher(mini_env["settings"], {"prueba": domain}, mini_env["embedder"])

    def search(question: str) -> list[Source]:
        return searcher.search(question, ["prueba"], access=("public", "internal")).sources

    def anonymize(text: str) -> str:
        return anonymize_text(text, ("PERSON", "ES_NIF", "EMAIL_ADDRESS")).text

    return build_dataset(domain, search, SparseEncoder(), anonymize, limit=24)


def test_splits_share_no_norm_and_cover_every_kind(built: Any) -> None:
    splits, report = built
    norms = {name: {row["norm"] for row in rows} for name, rows in splits.items()}
    assert norms["train"] and norms["test"]
    assert not norms["train"] & norms["test"]
    assert not norms["train"] & norms["validation"]
    assert not norms["validation"] & norms["test"]
    kinds = {row["kind"] for rows in splits.values() for row in rows}
    assert kinds == {"grounded", "abstain", "refusal"}
    assert sum(report.counts["train"].values()) == len(splits["train"])


def test_reference_citations_point_to_given_sources_and_copy_their_text(built: Any) -> None:
    splits, _ = built
    for row in (r for rows in splits.values() for r in rows):
        system, user, assistant = row["messages"]
        assert [system["role"], user["role"], assistant["role"]] == ["system", "user", "assistant"]
        sources = {int(n): body for n, body in SOURCE.findall(user["content"])}
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", assistant["content"])}
        if row["kind"] == "abstain":
            assert not cited
            assert row["unit"] not in user["content"]
            continue
        assert cited == set(row["cited"]) and cited <= set(sources)
        body = " ".join(sources[row["cited"][0]].split())
        quoted = assistant["content"].split(": ", 1)[1]
        for sentence in re.split(r" \[\d+\]\.\s*", quoted):
            if sentence.strip():
                assert " ".join(sentence.split()) in body
        if row["kind"] == "refusal":
            assert CANARY in user["content"] and CANARY not in assistant["content"]


def test_norms_are_assigned_whole_and_deterministically() -> None:
    counts = {"A": 50, "B": 10, "C": 10, "D": 30}
    first = assign_splits(counts)
    assert first == assign_splits(dict(reversed(counts.items())))
    assert set(first.values()) == {"train", "validation", "test"}


def test_write_dataset_records_hashes(built: Any, mini_env: dict[str, Any], tmp_path: Any) -> None:
    import hashlib
    import json

    splits, report = built
    manifest = json.loads(write_dataset(tmp_path, mini_env["domains"]["prueba"], splits, report).read_text())
    for name, entry in manifest["splits"].items():
        data = (tmp_path / f"{name}.jsonl").read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["examples"] == len(splits[name])
    llm, retrieval = mini_env["domains"]["prueba"].config.llm, mini_env["domains"]["prueba"].config.retrieval
    assert manifest["prompt"] == {"sources": retrieval.top_k, "max_source_chars": llm.max_source_chars}


def test_questions_name_the_norm_with_its_article() -> None:
    from ventanilla.training.dataset import of_norm

    assert of_norm("Ley 17/2017") == " de la Ley 17/2017"
    assert of_norm("Decreto Legislativo 1/2011") == " del Decreto Legislativo 1/2011"
    assert of_norm("Real Decreto 439/2007") == " del Real Decreto 439/2007"
    assert of_norm("") == ""
