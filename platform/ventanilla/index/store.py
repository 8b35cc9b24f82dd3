"""Qdrant document stores, one collection per domain, dense + sparse (IDF modifier) vectors.

Local mode keeps each domain in its own folder under `VENTANILLA_DATA_DIR/qdrant/` (a local store can
be opened by one process only); `VENTANILLA_QDRANT_URL` switches every domain to a Qdrant server.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from haystack import Document
from haystack.document_stores.types import DuplicatePolicy
from haystack.utils import Secret
from haystack_integrations.components.retrievers.qdrant import (
    QdrantEmbeddingRetriever,
    QdrantSparseEmbeddingRetriever,
)
from haystack_integrations.document_stores.qdrant import QdrantDocumentStore

from ventanilla.settings import Settings

_STORES: dict[tuple[str, str], QdrantDocumentStore] = {}
_LOCK = threading.Lock()

# Payload fields filtered on at query time get a payload index on a Qdrant server.
INDEXED_FIELDS = [
    {"field_name": "meta.access", "field_schema": "keyword"},
    {"field_name": "meta.norm_id", "field_schema": "keyword"},
    {"field_name": "meta.parent_id", "field_schema": "keyword"},
    {"field_name": "meta.source_file", "field_schema": "keyword"},
]

# qdrant-client warns on every local-mode payload index request; the index is meaningless there.
logging.getLogger("qdrant_client").setLevel(logging.ERROR)


def collection_name(settings: Settings, domain: str) -> str:
    return f"{settings.collection_prefix}{domain}"


def get_store(settings: Settings, domain: str) -> QdrantDocumentStore:
    """The (process-wide, cached) document store of a domain."""
    key = (str(settings.qdrant_url or settings.qdrant_path.resolve()), domain)
    with _LOCK:
        store = _STORES.get(key)
        if store is None:
            common: dict[str, Any] = {
                "index": collection_name(settings, domain),
                "embedding_dim": settings.embeddings_dim,
                "use_sparse_embeddings": True,
                "sparse_idf": True,
                "similarity": "cosine",
                "progress_bar": False,
                "write_batch_size": 256,
                "wait_result_from_api": True,
            }
            if settings.qdrant_url:
                api_key = Secret.from_token(settings.qdrant_api_key) if settings.qdrant_api_key else None
                store = QdrantDocumentStore(
                    url=settings.qdrant_url, api_key=api_key, payload_fields_to_index=INDEXED_FIELDS, **common
                )
            else:
                path = settings.qdrant_path / domain
                path.mkdir(parents=True, exist_ok=True)
                store = QdrantDocumentStore(path=str(path), **common)
            _STORES[key] = store
        return store


def close_stores() -> None:
    """Release local-mode locks (tests, CLI exit)."""
    with _LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()


def write(store: QdrantDocumentStore, documents: list[Document]) -> int:
    """Idempotent write: document ids are deterministic, so a retried batch overwrites itself."""
    if not documents:
        return 0
    return store.write_documents(documents, policy=DuplicatePolicy.OVERWRITE)


def retrievers(store: QdrantDocumentStore) -> tuple[QdrantEmbeddingRetriever, QdrantSparseEmbeddingRetriever]:
    return QdrantEmbeddingRetriever(document_store=store), QdrantSparseEmbeddingRetriever(
        document_store=store
    )
