"""Haystack components of the ingestion pipeline: parse → language → personal data → chunk → encode.

Each component does one thing with typed inputs and outputs; `pipeline.py` wires them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from ventanilla.domain import PiiConfig, SourceConfig
from ventanilla.index.embedder import Embedder
from ventanilla.language import detect_language
from ventanilla.legal.boe_xml import parse_boe_xml
from ventanilla.legal.cases import parse_case_text
from ventanilla.legal.chunking import chunk_unit
from ventanilla.legal.documents import ParseError, parse_document
from ventanilla.legal.legalize_md import parse_legalize_md
from ventanilla.legal.plain_law import parse_plain_law
from ventanilla.legal.units import LegalUnit, NormInfo
from ventanilla.retrieval.lexical import SparseEncoder
from ventanilla.retrieval.views import dense_view

# Bump when parsing, chunking or encoding changes so that re-ingest rebuilds every document.
PIPELINE_VERSION = "3"


def document_id(domain: str, source_id: str, parent_id: str, part: int) -> str:
    """Deterministic ids make writes idempotent: a resumed ingest overwrites instead of duplicating."""
    return hashlib.sha256(f"{domain}|{source_id}|{parent_id}|{part}".encode()).hexdigest()[:32]


def _read_case_metadata(path: Path) -> dict[str, dict[str, Any]]:
    by_file: dict[str, dict[str, Any]] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(f"{path}:{line_no}: invalid JSON: {exc}") from exc
        by_file[str(record.get("file", ""))] = record
    return by_file


@component
class LegalParser:
    """Turns one source file into legal units (articles, disposiciones, case sections)."""

    def __init__(self, metadata_cache: dict[str, dict[str, dict[str, Any]]] | None = None) -> None:
        self._metadata_cache = metadata_cache if metadata_cache is not None else {}

    def _norm(self, source: SourceConfig, path: Path) -> NormInfo:
        return NormInfo(
            norm_id=source.norm_id or path.stem,
            title=source.title or path.stem,
            url=source.url or "",
            language=source.language or "es",
            short_name=source.short_name or "",
        )

    def _case_meta(self, source: SourceConfig, root: Path, path: Path) -> dict[str, Any]:
        if not source.metadata:
            return {}
        key = str(root / source.metadata)
        if key not in self._metadata_cache:
            self._metadata_cache[key] = _read_case_metadata(root / source.metadata)
        return self._metadata_cache[key].get(path.name, {})

    @component.output_types(units=list[LegalUnit], norms=dict[str, NormInfo])
    def run(self, source: SourceConfig, path: str, domain_root: str) -> dict[str, Any]:
        file = Path(path)
        if source.format == "boe-xml":
            norm = self._norm(source, file)
            return {"units": parse_boe_xml(file, norm), "norms": {norm.norm_id: norm}}
        if source.format == "legalize-md":
            parsed_norm, units = parse_legalize_md(file)
            norm = NormInfo(
                norm_id=source.norm_id or parsed_norm.norm_id,
                title=source.title or parsed_norm.title,
                url=source.url or parsed_norm.url,
                language=source.language or parsed_norm.language,
                short_name=source.short_name or parsed_norm.short_name,
            )
            return {"units": units, "norms": {norm.norm_id: norm}}
        if source.format == "plain-law":
            norm = self._norm(source, file)
            return {"units": parse_plain_law(file, norm), "norms": {norm.norm_id: norm}}
        if source.format == "case-text":
            meta = self._case_meta(source, Path(domain_root), file)
            units = parse_case_text(file, meta, source.id)
            norms = {}
            for unit in units:
                norms[unit.norm_id] = NormInfo(
                    norm_id=unit.norm_id,
                    title=str(meta.get("title") or file.stem).replace("\n", " ").strip(),
                    url=str(meta.get("url") or source.url or ""),
                    language=str(meta.get("language") or source.language or "es"),
                )
            return {"units": units, "norms": norms}
        norm = self._norm(source, file)
        return {"units": parse_document(file, norm), "norms": {norm.norm_id: norm}}


@component
class LanguageTagger:
    """Detects the language of each norm's text unless the source declares it."""

    @component.output_types(languages=dict[str, str])
    def run(self, units: list[LegalUnit], source: SourceConfig) -> dict[str, Any]:
        samples: dict[str, list[str]] = {}
        for unit in units:
            bucket = samples.setdefault(unit.norm_id, [])
            if sum(len(s) for s in bucket) < 3000:
                bucket.append(unit.text)
        languages = {
            norm_id: source.language or detect_language(" ".join(texts)) for norm_id, texts in samples.items()
        }
        return {"languages": languages}


# --- privacy (issue 4): begin
@component
class PersonalDataGuard:
    """Anonymizes the units of sources with `anonymize: true` (presidio; see ventanilla.privacy).

    Personal data is replaced by typed placeholders (or redacted or hashed: the domain's `pii` policy)
    before chunking, so nothing raw reaches the chunks, the vectors or the index payloads.
    """

    def __init__(self, pii: PiiConfig | None = None) -> None:
        self.pii = pii or PiiConfig()

    @component.output_types(units=list[LegalUnit], norms=dict[str, NormInfo])
    def run(self, units: list[LegalUnit], norms: dict[str, NormInfo], source: SourceConfig) -> dict[str, Any]:
        if not source.anonymize:
            return {"units": units, "norms": norms}
        from ventanilla.privacy.ingest import anonymize_units

        masked_units, masked_norms = anonymize_units(
            units, norms, self.pii.entities, self.pii.operator, source.keep_public_names, self.pii.residual
        )
        return {"units": masked_units, "norms": masked_norms}


# --- privacy (issue 4): end


@component
class LegalChunker:
    """Structure-aware chunks: one per unit, long units split by apartado with the heading repeated."""

    def __init__(self, max_chars: int, min_chars: int) -> None:
        self.max_chars = max_chars
        self.min_chars = min_chars

    @component.output_types(documents=list[Document])
    def run(
        self,
        units: list[LegalUnit],
        norms: dict[str, NormInfo],
        languages: dict[str, str],
        source: SourceConfig,
        domain: str,
        source_file: str,
    ) -> dict[str, Any]:
        documents: list[Document] = []
        for unit in units:
            norm = norms[unit.norm_id]
            pieces = chunk_unit(unit, self.max_chars, self.min_chars)
            for piece in pieces:
                meta: dict[str, Any] = {
                    "domain": domain,
                    "source_id": source.id,
                    "source_file": source_file,
                    "doc_type": source.kind,
                    "norm_id": unit.norm_id,
                    "norm_title": norm.title,
                    "norm_short": norm.short_name,
                    "hierarchy": list(unit.hierarchy),
                    "kind": unit.kind,
                    "article": unit.number,
                    "title": unit.title,
                    "block_id": unit.block_id,
                    "parent_id": unit.parent_id,
                    "part": piece.part,
                    "parts": piece.parts,
                    "url": norm.url,
                    "language": languages.get(unit.norm_id, "es"),
                    "access": source.access,
                    "licence": source.licence,
                    "content_hash": hashlib.sha256(piece.text.encode()).hexdigest(),
                }
                documents.append(
                    Document(
                        id=document_id(domain, source.id, unit.parent_id, piece.part),
                        content=piece.text,
                        meta=meta,
                    )
                )
        return {"documents": documents}


# The unit's heading counts this many extra times (BM25F-style field weight): people search by the
# words of article headings ("Silencio administrativo", "Portal de la Transparencia").
HEADING_WEIGHT = 2.0
# BM25 length normalisation for the weighted fields: legal units vary from one line to pages, and long
# articles are not less relevant for being long (0.5 measured better than the textbook 0.75 here).
BM25_B = 0.5


@component
class SparseDocumentEncoder:
    """Lexical sparse vectors (stemmed BM25 term weights; Qdrant applies the IDF)."""

    def __init__(self, encoder: SparseEncoder) -> None:
        self.encoder = encoder

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, Any]:
        encoded = []
        for doc in documents:
            fields = [(lexical_view(doc), 1.0), (str(doc.meta.get("title") or ""), HEADING_WEIGHT)]
            indices, values = self.encoder.encode_fields(fields, lang=str(doc.meta.get("language", "es")))
            encoded.append(replace(doc, sparse_embedding=SparseEmbedding(indices=indices, values=values)))
        return {"documents": encoded}


def lexical_view(doc: Document) -> str:
    """What the lexical index sees: norm name, hierarchy and heading add the words people search by."""
    meta = doc.meta
    head = " ".join(
        str(x)
        for x in (meta.get("norm_short") or meta.get("norm_title", ""), *meta.get("hierarchy", []))
        if x
    )
    return f"{head}\n{doc.content or ''}"


@component
class DenseDocumentEmbedder:
    """Dense vectors of a compact view of each chunk (see `retrieval.views`)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, Any]:
        views = [dense_view(doc.meta, doc.content or "") for doc in documents]
        vectors = self.embedder.embed_passages(views)
        embedded = [
            replace(doc, embedding=vector.tolist()) for doc, vector in zip(documents, vectors, strict=True)
        ]
        return {"documents": embedded}
