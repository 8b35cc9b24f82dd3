"""Domain packs: a domain is a folder with a `domain.yaml`, its documents and its prompts.

Adding a domain means adding a folder; nothing in the platform names a domain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

LANGUAGES = ("es", "ca", "eu", "gl", "en")
AccessLevel = Literal["public", "internal"]
SourceFormat = Literal["boe-xml", "legalize-md", "plain-law", "case-text", "document"]
SourceKind = Literal["legislation", "case", "guide"]


class DomainError(ValueError):
    """A domain folder or its `domain.yaml` is missing or invalid."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceConfig(Strict):
    """One source of documents with its provenance and access level.

    `path` is a file or a glob relative to the domain folder. For `case-text` sources, `metadata`
    names a JSONL file (one object per document, keyed by `file`) carrying title, URL and date.
    """

    id: str
    kind: SourceKind = "legislation"
    format: SourceFormat = "document"
    path: str
    metadata: str | None = None
    norm_id: str | None = None  # BOE-A-..., DOGC-..., or a collection id for cases
    title: str | None = None
    short_name: str | None = None  # "Ley 39/2015", used to resolve citations in questions
    url: str | None = None
    licence: str = ""
    provenance: str = ""
    access: AccessLevel = "public"
    language: str | None = None  # None: detected at ingest
    anonymize: bool = False  # case documents are anonymized before chunking (privacy issue)
    keep_public_names: bool = True  # legislation keeps the names of public office holders


class ChunkingConfig(Strict):
    max_chars: int = Field(default=2400, ge=200)
    min_chars: int = Field(default=80, ge=0)


class RetrievalConfig(Strict):
    top_k: int = Field(default=5, ge=1, le=50)
    candidates: int = Field(default=40, ge=5, le=500)
    dense_weight: float = Field(default=1.0, ge=0)
    sparse_weight: float = Field(default=1.0, ge=0)
    rrf_k: int = Field(default=60, ge=1)
    min_evidence: float = Field(default=0.5, ge=0, le=1)


class PiiConfig(Strict):
    """How the domain's case documents are anonymized (docs/privacy.md): entities, operator, residual."""

    entities: tuple[str, ...] = ()
    operator: Literal["placeholder", "redact", "hash"] = "placeholder"
    # Residual masking rules for case documents (ventanilla.privacy.residual; docs/privacy.md).
    residual: tuple[
        Literal["contact", "parentheses", "relatives", "special", "ages", "organisations", "fields"], ...
    ] = ("contact", "parentheses", "fields")


class LlmConfig(Strict):
    """How a domain's answers are generated (docs/generation.md).

    vLLM serves LoRA adapters as model names: requests name `adapter` when set, else `model`.
    """

    model: str = "salamandra-7b-instruct"
    adapter: str | None = None
    temperature: float = Field(default=0.1, ge=0, le=2)
    top_p: float = Field(default=0.95, gt=0, le=1)
    max_tokens: int = Field(default=512, ge=1)
    timeout_s: float = Field(default=30.0, gt=0)  # the whole generation, retries included
    retries: int = Field(default=1, ge=0)
    max_source_chars: int = Field(default=1500, ge=100)  # each numbered source is cut to this length
    on_no_citation: Literal["abstain", "extractive"] = "abstain"  # an answer left with no valid [n]

    @property
    def served_model(self) -> str:
        return self.adapter or self.model


class ContactConfig(Strict):
    """The human-contact route the citizen widget offers when the assistant cannot answer (issue 8)."""

    url: str | None = Field(default=None, pattern=r"^(https?://|mailto:|tel:)")
    phone: str | None = None
    label: dict[str, str] = Field(default_factory=dict)  # per language; default: the widget's text

    def text(self, lang: str) -> str | None:
        return self.label.get(lang) or self.label.get("es")


class DomainConfig(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,40}$")
    titles: dict[str, str]
    description: dict[str, str] = Field(default_factory=dict)
    languages: tuple[str, ...] = LANGUAGES
    prompts: str = "prompts"
    chunking: ChunkingConfig = ChunkingConfig()
    retrieval: RetrievalConfig = RetrievalConfig()
    pii: PiiConfig = PiiConfig()
    llm: LlmConfig = LlmConfig()
    contact: ContactConfig | None = None  # channels (issue 8): the widget's human-contact route
    sources: tuple[SourceConfig, ...]

    @field_validator("titles")
    @classmethod
    def _title_in_spanish(cls, value: dict[str, str]) -> dict[str, str]:
        if "es" not in value:
            raise ValueError("titles must include 'es'")
        return value

    @field_validator("sources")
    @classmethod
    def _unique_sources(cls, value: tuple[SourceConfig, ...]) -> tuple[SourceConfig, ...]:
        ids = [s.id for s in value]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"duplicated source ids: {', '.join(duplicated)}")
        return value

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["es"]


class Domain(BaseModel):
    """A loaded domain: its configuration and the folder it lives in."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: DomainConfig
    root: Path

    @property
    def name(self) -> str:
        return self.config.name

    def source_files(self, source: SourceConfig) -> list[Path]:
        """The files a source names, sorted; a glob that matches nothing yields an empty list."""
        if any(ch in source.path for ch in "*?["):
            return sorted(p for p in self.root.glob(source.path) if p.is_file())
        path = self.root / source.path
        return [path] if path.exists() else []


def load_domain(folder: Path) -> Domain:
    """Load and validate `folder/domain.yaml`."""
    config_path = folder / "domain.yaml"
    if not config_path.is_file():
        raise DomainError(f"{folder}: no domain.yaml")
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        config = DomainConfig.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise DomainError(f"{config_path}: {exc}") from exc
    if config.name != folder.name:
        raise DomainError(f"{config_path}: name '{config.name}' must match folder '{folder.name}'")
    return Domain(config=config, root=folder.resolve())


def discover_domains(domains_dir: Path) -> dict[str, Domain]:
    """Every sub-folder of `domains_dir` that holds a `domain.yaml`, by name."""
    if not domains_dir.is_dir():
        raise DomainError(f"domains folder not found: {domains_dir}")
    found: dict[str, Domain] = {}
    for folder in sorted(p for p in domains_dir.iterdir() if (p / "domain.yaml").is_file()):
        domain = load_domain(folder)
        found[domain.name] = domain
    return found
