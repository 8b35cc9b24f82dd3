"""What the ask path calls: one sealed, chained audit record per answered request, or an error.

`Auditor.record_answer` is called by `AskService.ask` before the answer is returned; when it raises
`AuditError` the answer is not sent (fail closed). It takes text that is already pseudonymized (see
`pseudonymize.py`): the audit store never receives raw personal data.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ventanilla import __version__
from ventanilla.audit.anchors import Anchor, anchor_path, make_anchor, write_anchor
from ventanilla.audit.keys import AuditKeys, load_keys
from ventanilla.audit.record import Entry
from ventanilla.audit.store import AuditStore, redact_url, store_url
from ventanilla.audit.verify import VerifyReport, verify_chain
from ventanilla.domain import Domain
from ventanilla.settings import Settings

if TYPE_CHECKING:
    from ventanilla.answer.service import AskResult

log = logging.getLogger(__name__)


class AuditError(RuntimeError):
    """The audit record could not be written: the answer must not be sent."""


class UnknownAuditId(LookupError):
    """Feedback names an audit id that is not an answer in the store."""


@lru_cache(maxsize=256)
def _file_sha256(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prompt_identity(domain: Domain, language: str) -> dict[str, Any]:
    """Id and SHA-256 of the domain's prompt template for `language` (None when it has none)."""
    path = domain.root / domain.config.prompts / f"{language}.md"
    if not path.is_file():
        return {"id": None, "sha256": None}
    return {
        "id": f"{domain.name}/{domain.config.prompts}/{language}.md",
        "sha256": _file_sha256(path, path.stat().st_mtime_ns),
    }


def model_identity(settings: Settings, domain: Domain | None) -> dict[str, Any]:
    """The model that produced answers of this domain: the configured LLM, or the extractive composer."""
    if settings.llm_url is None or domain is None:
        return {"id": "extractive", "revision": __version__, "adapter": None, "endpoint": None}
    llm = domain.config.llm
    return {"id": llm.model, "revision": None, "adapter": llm.adapter, "endpoint": settings.llm_url}


def public_model_identity(settings: Settings, domain: Domain | None) -> dict[str, Any]:
    """The model identity every answer shows (no endpoint URL)."""
    identity = model_identity(settings, domain)
    return {"id": identity["id"], "revision": identity["revision"], "adapter": identity["adapter"]}


class Auditor:
    """Writes audit records to the configured store; opened lazily, retried on every call."""

    def __init__(
        self, settings: Settings, store: AuditStore | None = None, keys: AuditKeys | None = None
    ) -> None:
        self.settings = settings
        self._store = store
        self._keys = keys
        self._lock = threading.Lock()

    @property
    def store(self) -> AuditStore:
        with self._lock:
            if self._store is None:
                self._store = AuditStore.from_settings(self.settings)
            return self._store

    @property
    def keys(self) -> AuditKeys:
        with self._lock:
            if self._keys is None:
                self._keys = load_keys(self.settings)
            return self._keys

    def describe(self) -> str:
        return redact_url(store_url(self.settings))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    # --- writing --------------------------------------------------------------------------------

    def append(self, entry: Entry) -> dict[str, Any]:
        """Append a record; any failure becomes `AuditError` (nothing is half-written)."""
        try:
            keys = self.keys
            record = self.store.append(entry, keys.seal_key)
        except Exception as exc:  # the database, the disk, the key file: all fail closed
            log.error("audit store %s unavailable: %s", self.describe(), exc)
            raise AuditError(
                f"audit store unavailable ({self.describe()}): {exc.__class__.__name__}"
            ) from exc
        if int(record["seq"]) % self.settings.audit_anchor_every == 0:
            try:
                self.write_anchor(int(record["seq"]), str(record["hash"]))
            except OSError as exc:  # the record is safe; the next anchor will cover it
                log.warning("could not write audit anchor: %s", exc)
        return record

    def record_answer(
        self,
        result: AskResult,
        *,
        pseudonymized_question: str,
        pseudonymized_answer: str,
        domains: Sequence[Domain],
        channel: str,
        caller_key_id: str,
    ) -> str:
        """Write the record of one answered request; returns its audit id. Raises `AuditError`."""
        payload = result.as_json()
        first = domains[0] if domains else None
        llm = first.config.llm if first is not None else None
        data: dict[str, Any] = {
            "caller": self.keys_or_fail().caller_pseudonym(caller_key_id),
            "language": result.language,
            "question": pseudonymized_question,
            "answer": pseudonymized_answer,
            "mode": result.mode,
            "sources": [
                {"id": s["id"], "parent_id": s["parent_id"], "domain": s["domain"], "score": s["score"]}
                for s in payload["sources"]
            ],
            "citations": payload["citations"],
            "evidence": round(float(result.evidence), 6),
            "model": model_identity(self.settings, first),
            "prompt": prompt_identity(first, result.language)
            if first is not None
            else {"id": None, "sha256": None},
            "generation": (
                {"temperature": llm.temperature, "max_tokens": llm.max_tokens} if llm is not None else {}
            ),
            "retrieval": {
                "embedder": self.settings.embedder,
                "embeddings_model": self.settings.embeddings_model,
                "top_k": len(payload["sources"]),
            },
            "latency_ms": {k: round(float(v), 3) for k, v in result.timings.items()},
            "platform_version": __version__,
        }
        entry = Entry(kind="answer", channel=channel, domains=tuple(d.name for d in domains), data=data)
        return str(self.append(entry)["id"])

    def record_feedback(
        self,
        audit_id: str,
        rating: int,
        *,
        pseudonymized_comment: str | None,
        channel: str,
        caller_key_id: str,
    ) -> str:
        """Chain a rating (and comment) to an answered request. Raises `UnknownAuditId`, `AuditError`."""
        try:
            row = self.store.get(audit_id)
        except Exception as exc:
            raise AuditError(
                f"audit store unavailable ({self.describe()}): {exc.__class__.__name__}"
            ) from exc
        if row is None or row.kind != "answer":
            raise UnknownAuditId(audit_id)
        data = {
            "caller": self.keys_or_fail().caller_pseudonym(caller_key_id),
            "audit_id": audit_id,
            "rating": rating,
            "comment": pseudonymized_comment,
            "platform_version": __version__,
        }
        domains = tuple(d for d in row.domains.split(",") if d)
        return str(self.append(Entry(kind="feedback", channel=channel, domains=domains, data=data))["id"])

    def keys_or_fail(self) -> AuditKeys:
        try:
            return self.keys
        except Exception as exc:
            raise AuditError(f"audit secret unavailable: {exc}") from exc

    # --- anchors and verification ---------------------------------------------------------------

    def write_anchor(self, seq: int | None = None, digest: str | None = None) -> Anchor:
        """Anchor the chain head (or the given record) in the anchor file."""
        if seq is None or digest is None:
            seq, digest = self.store.head()
        anchor = make_anchor(self.keys.seal_key, seq, digest)
        write_anchor(anchor_path(self.settings), anchor)
        return anchor

    def verify(self) -> VerifyReport:
        return verify_chain(self.store, self.keys.seal_key, anchor_path(self.settings))
