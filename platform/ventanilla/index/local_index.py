"""In-memory search over a local-mode Qdrant collection, for the embedded setup.

Qdrant's local mode (no server) scores every point in Python: on the bundled corpus four domains ×
(dense + sparse) searches took ~250 ms, ten times the query embedding. Qdrant stays the store of
record; this module loads a collection's vectors once (numpy for dense cosine, a SciPy sparse matrix
for the sparse dot product with Qdrant's IDF modifier, `ln(1 + (N - n + 0.5) / (n + 0.5))`) and answers
the same queries in about a millisecond. With `VENTANILLA_QDRANT_URL` set the Qdrant server searches
(HNSW and an inverted sparse index) and this module is not used.

The view is rebuilt after `invalidate` (ingest calls it when it changes a collection).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from haystack import Document
from qdrant_client import QdrantClient
from scipy import sparse

from ventanilla.index.store import collection_name, get_store
from ventanilla.settings import Settings

DENSE = "text-dense"
SPARSE = "text-sparse"


@dataclass
class _View:
    ids: list[str]
    payloads: list[dict[str, Any]]
    access: npt.NDArray[np.str_]
    dense: npt.NDArray[np.float32]
    sparse: sparse.csc_matrix
    columns: dict[int, int]
    idf: npt.NDArray[np.float64]


_VIEWS: dict[tuple[str, str], _View] = {}
_LOCK = threading.Lock()


def _key(settings: Settings, domain: str) -> tuple[str, str]:
    return (str(settings.qdrant_path.resolve()), domain)


def invalidate(settings: Settings, domain: str) -> None:
    with _LOCK:
        _VIEWS.pop(_key(settings, domain), None)


def _client(settings: Settings, domain: str) -> QdrantClient:
    store = get_store(settings, domain)
    store._initialize_client()  # the integration exposes no public client accessor
    assert store._client is not None
    return store._client


def _build(settings: Settings, domain: str) -> _View:
    client = _client(settings, domain)
    ids: list[str] = []
    payloads: list[dict[str, Any]] = []
    dense_rows: list[list[float]] = []
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    columns: dict[int, int] = {}
    offset = None
    while True:
        points, offset = client.scroll(
            collection_name=collection_name(settings, domain),
            limit=1024,
            offset=offset,
            with_payload=True,
            with_vectors=True,
        )
        for point in points:
            vectors: Any = point.vector
            row = len(ids)
            ids.append(str(point.id))
            payloads.append(dict(point.payload or {}))
            dense_rows.append(list(vectors[DENSE]))
            sparse_vector = vectors.get(SPARSE)
            if sparse_vector is not None:
                for index, value in zip(sparse_vector.indices, sparse_vector.values, strict=True):
                    rows.append(row)
                    cols.append(columns.setdefault(int(index), len(columns)))
                    vals.append(float(value))
        if offset is None:
            break
    n = len(ids)
    matrix = sparse.csc_matrix((vals, (rows, cols)), shape=(n, len(columns)), dtype=np.float64)
    document_frequency = np.diff(matrix.indptr).astype(np.float64)
    idf = np.log(1.0 + (n - document_frequency + 0.5) / (document_frequency + 0.5))
    dense = np.asarray(dense_rows, dtype=np.float32).reshape(n, -1)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    dense = dense / np.maximum(norms, 1e-12)
    access = np.asarray([str((p.get("meta") or {}).get("access", "public")) for p in payloads])
    return _View(ids, payloads, access, dense, matrix, columns, idf)


def _view(settings: Settings, domain: str) -> _View:
    key = _key(settings, domain)
    with _LOCK:
        view = _VIEWS.get(key)
    if view is None:
        view = _build(settings, domain)
        with _LOCK:
            _VIEWS[key] = view
    return view


def _documents(
    view: _View, scores: npt.NDArray[np.float64], mask: npt.NDArray[np.bool_], top_k: int
) -> list[Document]:
    scores = np.where(mask, scores, -np.inf)
    k = min(top_k, int(mask.sum()))
    if k <= 0:
        return []
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    out = []
    for i in best:
        if not np.isfinite(scores[i]):
            break
        payload = view.payloads[i]
        out.append(
            Document(
                id=str(payload.get("id", view.ids[i])),
                content=payload.get("content"),
                meta=dict(payload.get("meta") or {}),
                score=float(scores[i]),
            )
        )
    return out


def dense_search(
    settings: Settings, domain: str, vector: Sequence[float], access: Sequence[str], top_k: int
) -> list[Document]:
    view = _view(settings, domain)
    if not view.ids:
        return []
    query = np.asarray(vector, dtype=np.float32)
    query = query / max(float(np.linalg.norm(query)), 1e-12)
    scores = (view.dense @ query).astype(np.float64)
    return _documents(view, scores, np.isin(view.access, list(access)), top_k)


def sparse_search(
    settings: Settings,
    domain: str,
    indices: Sequence[int],
    values: Sequence[float],
    access: Sequence[str],
    top_k: int,
) -> list[Document]:
    view = _view(settings, domain)
    pairs = [(view.columns[i], v) for i, v in zip(indices, values, strict=True) if i in view.columns]
    if not view.ids or not pairs:
        return []
    cols = [c for c, _ in pairs]
    weights = np.asarray([v for _, v in pairs], dtype=np.float64) * view.idf[cols]
    sub = view.sparse[:, cols]
    scores = np.asarray(sub @ weights).ravel()
    matched = np.diff(sub.tocsr().indptr) > 0  # Qdrant returns only points sharing a term
    return _documents(view, scores, matched & np.isin(view.access, list(access)), top_k)


def by_parent(settings: Settings, domain: str, parent_id: str, access: Sequence[str]) -> list[Document]:
    """The chunks of one unit (an explicitly cited article), in part order."""
    view = _view(settings, domain)
    out = []
    for i, payload in enumerate(view.payloads):
        meta = payload.get("meta") or {}
        if meta.get("parent_id") == parent_id and view.access[i] in access:
            out.append(
                Document(
                    id=str(payload.get("id", view.ids[i])), content=payload.get("content"), meta=dict(meta)
                )
            )
    return sorted(out, key=lambda d: int(d.meta.get("part", 0)))
