"""Metric values on tiny hand-made judgments whose answers are known."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ventanilla.eval.metrics import hit_at_1, mrr_at, ndcg_at, recall_at
from ventanilla.eval.retrieval import EvalDataError, load_questions


def test_perfect_ranking_scores_one() -> None:
    gains = {"a": 2, "b": 1}
    assert ndcg_at(["a", "b", "c"], gains) == pytest.approx(1.0)
    assert recall_at(["a", "b"], gains, 5) == 1.0
    assert mrr_at(["a"], gains) == 1.0
    assert hit_at_1(["a"], gains) == 1.0


def test_graded_ndcg_by_hand() -> None:
    gains = {"a": 2, "b": 1}
    # ranking: x, b, a -> dcg = 1/log2(3) + 2/log2(4); idcg = 2/log2(2) + 1/log2(3)
    expected = (1 / math.log2(3) + 2 / 2) / (2 + 1 / math.log2(3))
    assert ndcg_at(["x", "b", "a"], gains) == pytest.approx(expected)


def test_parent_counted_once_at_best_rank() -> None:
    gains = {"a": 2}
    assert ndcg_at(["a", "a", "a"], gains) == pytest.approx(1.0)
    # duplicates do not push other items down either
    assert ndcg_at(["x", "x", "a"], gains) == pytest.approx(ndcg_at(["x", "a"], gains))


def test_cutoffs() -> None:
    gains = {"z": 2}
    ranking = [f"d{i}" for i in range(10)] + ["z"]
    assert ndcg_at(ranking, gains, 10) == 0.0
    assert mrr_at(ranking, gains, 10) == 0.0
    assert recall_at(["d1", "d2", "d3", "d4", "z"], gains, 5) == 1.0
    assert recall_at(["d1", "d2", "d3", "d4", "d5", "z"], gains, 5) == 0.0
    assert mrr_at(["d1", "z"], gains) == 0.5
    assert hit_at_1(["d1", "z"], gains) == 0.0


def test_zero_relevance_is_not_relevant() -> None:
    gains = {"a": 0, "b": 1}
    assert hit_at_1(["a", "b"], gains) == 0.0
    assert recall_at(["a", "b"], gains) == 1.0


def test_load_questions_filters_split_and_reads_gains(tmp_path: Path) -> None:
    q = tmp_path / "q.jsonl"
    j = tmp_path / "j.jsonl"
    q.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {"query_id": "1", "query": "uno", "split": "development"},
                {"query_id": "2", "query": "dos", "split": "test"},
            ]
        )
    )
    j.write_text(json.dumps({"query_id": "1", "parent_id": "N__a1", "relevance": 2}))
    items = load_questions(q, j, ["development"])
    assert [i.query_id for i in items] == ["1"]
    assert items[0].gains == {"N__a1": 2}


def test_malformed_judgments_raise_clear_error(tmp_path: Path) -> None:
    q = tmp_path / "q.jsonl"
    j = tmp_path / "j.jsonl"
    q.write_text(json.dumps({"query_id": "1", "query": "uno"}))
    j.write_text("{not json")
    with pytest.raises(EvalDataError, match="invalid JSON"):
        load_questions(q, j)
    with pytest.raises(EvalDataError, match="not found"):
        load_questions(tmp_path / "missing.jsonl", j)
