"""Incremental ingestion of a domain: one Haystack pipeline run per source file.

A manifest per domain records, for every file, a fingerprint (file bytes + source config + pipeline
version + embedding model) and the ids of the chunks it produced. Re-ingesting skips unchanged files,
replaces changed ones (stale chunks are deleted), and removes the chunks of files that disappeared.
Document ids are deterministic and the manifest is written after each file, so a crash mid-ingest
resumes without duplicates. A file that fails to parse is reported and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from haystack import Pipeline
from haystack.components.writers import DocumentWriter
from haystack.document_stores.types import DuplicatePolicy

from ventanilla.domain import Domain, SourceConfig
from ventanilla.index import local_index
from ventanilla.index.embedder import CachedEmbedder, Embedder
from ventanilla.index.store import get_store
from ventanilla.index.vector_pack import seed_cache
from ventanilla.ingest.components import (
    BM25_B,
    PIPELINE_VERSION,
    DenseDocumentEmbedder,
    LanguageTagger,
    LegalChunker,
    LegalParser,
    PersonalDataGuard,
    SparseDocumentEncoder,
)
from ventanilla.retrieval.lexical import SparseEncoder
from ventanilla.settings import Settings

Status = Literal["ingested", "unchanged", "failed", "removed"]


@dataclass
class FileResult:
    path: str
    source: str
    status: Status
    chunks: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    domain: str
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    parse_seconds: float = 0.0
    vectors_from_pack: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def chunks_written(self) -> int:
        return sum(f.chunks for f in self.files if f.status == "ingested")

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "ingested": self.count("ingested"),
            "unchanged": self.count("unchanged"),
            "removed": self.count("removed"),
            "failed": [{"path": f.path, "error": f.error} for f in self.failed],
            "chunks_written": self.chunks_written,
            "seconds": round(self.seconds, 2),
            "embed_seconds": round(self.embed_seconds, 2),
            "vectors_from_pack": self.vectors_from_pack,
            "chunks_per_s": round(self.chunks_written / self.seconds, 2) if self.seconds else 0.0,
        }


class _TimedEmbedder:
    """Counts the seconds spent embedding, for the ingest report."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.seconds = 0.0

    def embed_queries(self, texts: Any) -> Any:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.embed_passages(texts)
        finally:
            self.seconds += time.perf_counter() - start


def build_ingest_pipeline(domain: Domain, settings: Settings, embedder: Embedder) -> Pipeline:
    chunking = domain.config.chunking
    pipeline = Pipeline()
    pipeline.add_component("parser", LegalParser())
    pipeline.add_component("language", LanguageTagger())
    pipeline.add_component("guard", PersonalDataGuard(domain.config.pii))  # privacy (issue 4)
    pipeline.add_component(
        "chunker", LegalChunker(max_chars=chunking.max_chars, min_chars=chunking.min_chars)
    )
    pipeline.add_component("sparse", SparseDocumentEncoder(SparseEncoder(b=BM25_B)))
    pipeline.add_component("dense", DenseDocumentEmbedder(embedder))
    pipeline.add_component(
        "writer",
        DocumentWriter(document_store=get_store(settings, domain.name), policy=DuplicatePolicy.OVERWRITE),
    )
    pipeline.connect("parser.units", "language.units")
    pipeline.connect("parser.units", "guard.units")
    pipeline.connect("guard.units", "chunker.units")
    pipeline.connect("parser.norms", "guard.norms")  # privacy (issue 4): titles are masked too
    pipeline.connect("guard.norms", "chunker.norms")
    pipeline.connect("language.languages", "chunker.languages")
    pipeline.connect("chunker.documents", "sparse.documents")
    pipeline.connect("sparse.documents", "dense.documents")
    pipeline.connect("dense.documents", "writer.documents")
    return pipeline


def _fingerprint(path: Path, source: SourceConfig, domain: Domain, model_id: str) -> str:
    digest = hashlib.sha256()
    digest.update(path.read_bytes())
    digest.update(source.model_dump_json().encode())
    digest.update(domain.config.chunking.model_dump_json().encode())
    digest.update(f"{PIPELINE_VERSION}|{model_id}".encode())
    if source.anonymize:  # privacy (issue 4): new detection rules re-ingest anonymized sources
        from ventanilla.privacy.ingest import PRIVACY_VERSION

        digest.update(f"privacy:{PRIVACY_VERSION}:{domain.config.pii.model_dump_json()}".encode())
    if source.metadata:
        meta_path = domain.root / source.metadata
        if meta_path.exists():
            digest.update(meta_path.read_bytes())
    return digest.hexdigest()


class Manifest:
    """What each ingested file produced; persisted atomically after every file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, dict[str, Any]] = {}
        if path.exists():
            self.files = json.loads(path.read_text(encoding="utf-8")).get("files", {})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"files": self.files}, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(tmp, self.path)

    def all_doc_ids(self) -> set[str]:
        return {doc_id for entry in self.files.values() for doc_id in entry.get("doc_ids", [])}


ProgressCallback = Callable[[str, int, int], None]


def ingest_domain(
    domain: Domain,
    settings: Settings,
    embedder: Embedder,
    progress: ProgressCallback | None = None,
    force: bool = False,
) -> IngestReport:
    """Bring the domain's collection in line with its folder; returns a per-file report."""
    started = time.perf_counter()
    timed = _TimedEmbedder(embedder)
    pipeline = build_ingest_pipeline(domain, settings, timed)
    store = get_store(settings, domain.name)
    manifest = Manifest(settings.state_dir / f"{domain.name}.manifest.json")
    report = IngestReport(domain=domain.name)
    if isinstance(embedder, CachedEmbedder):
        report.vectors_from_pack = seed_cache(embedder, domain.root)

    planned: list[tuple[SourceConfig, Path]] = [
        (source, path) for source in domain.config.sources for path in domain.source_files(source)
    ]
    for source in domain.config.sources:
        if not domain.source_files(source):
            report.files.append(
                FileResult(source.path, source.id, "failed", error=f"source '{source.id}': no file matches")
            )
    current = {str(path.relative_to(domain.root)) for _, path in planned}

    for rel_path in sorted(set(manifest.files) - current):
        stale = manifest.files.pop(rel_path)
        store.delete_documents(list(stale.get("doc_ids", [])))
        manifest.save()
        report.files.append(FileResult(rel_path, str(stale.get("source", "")), "removed"))

    for index, (source, path) in enumerate(planned, start=1):
        rel_path = str(path.relative_to(domain.root))
        if progress:
            progress(rel_path, index, len(planned))
        try:
            fingerprint = _fingerprint(path, source, domain, embedder.model_id)
        except OSError as exc:
            report.files.append(FileResult(rel_path, source.id, "failed", error=f"unreadable: {exc}"))
            continue
        previous = manifest.files.get(rel_path)
        if previous and previous.get("fingerprint") == fingerprint and not force:
            report.files.append(FileResult(rel_path, source.id, "unchanged", chunks=len(previous["doc_ids"])))
            continue
        try:
            result = pipeline.run(
                {
                    "parser": {"source": source, "path": str(path), "domain_root": str(domain.root)},
                    "language": {"source": source},
                    "guard": {"source": source},
                    "chunker": {"source": source, "domain": domain.name, "source_file": rel_path},
                },
                include_outputs_from={"dense"},
            )
        except Exception as exc:  # one bad file must not stop the batch
            cause = exc.__cause__ or exc
            report.files.append(
                FileResult(rel_path, source.id, "failed", error=f"{type(cause).__name__}: {cause}")
            )
            continue
        documents = result["dense"]["documents"]
        if not documents:
            report.files.append(FileResult(rel_path, source.id, "failed", error="no text could be extracted"))
            continue
        new_ids = [d.id for d in documents]
        if previous:
            stale_ids = sorted(set(previous.get("doc_ids", [])) - set(new_ids))
            if stale_ids:
                store.delete_documents(stale_ids)
        manifest.files[rel_path] = {"fingerprint": fingerprint, "source": source.id, "doc_ids": new_ids}
        manifest.save()
        report.files.append(FileResult(rel_path, source.id, "ingested", chunks=len(new_ids)))

    local_index.invalidate(settings, domain.name)
    report.seconds = time.perf_counter() - started
    report.embed_seconds = timed.seconds
    return report
