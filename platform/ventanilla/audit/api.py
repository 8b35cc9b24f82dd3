"""HTTP routes of the audit trail: `POST /v1/feedback` and `GET /v1/transparency` (AI Act Art. 13, 50)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends
from pydantic import BaseModel, ConfigDict, Field

from ventanilla.audit.auditor import AuditError, UnknownAuditId, public_model_identity
from ventanilla.audit.pseudonymize import pseudonymize_for_audit
from ventanilla.audit.retention import MIN_RETENTION_DAYS
from ventanilla.i18n import t
from ventanilla.settings import Settings

if TYPE_CHECKING:
    from ventanilla.answer.service import AskService

Lang = Literal["es", "ca", "eu", "gl", "en"]
MAX_COMMENT_CHARS = 2000


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audit_id: str = Field(min_length=36, max_length=36, description="The `audit_id` of the answer rated.")
    rating: int = Field(ge=1, le=5, description="1 (useless) to 5 (very useful).")
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS, description="Optional comment.")
    lang: Lang = Field(default="es", description="Language of the reply message.")


class FeedbackResponse(BaseModel):
    feedback_id: str
    audit_id: str
    message: str


def audit_router(settings: Settings, service: Callable[[], AskService], caller: Depends) -> APIRouter:
    """`caller` is the API-key dependency (channels, issue 8): it returns the calling key's `Caller`."""
    from ventanilla.answer.service import AskError

    router = APIRouter()

    @router.post("/v1/feedback", response_model=FeedbackResponse, tags=["transparency"])
    async def feedback(request: FeedbackRequest, who: Any = caller) -> dict[str, Any]:
        """Rate an answer (and optionally comment on it); chained into the audit trail."""
        auditor = service().auditor
        comment = pseudonymize_for_audit(request.comment.strip()) if request.comment else None
        try:
            feedback_id = await run_in_threadpool(
                auditor.record_feedback,
                request.audit_id,
                request.rating,
                pseudonymized_comment=comment,
                channel=who.channel,
                caller_key_id=who.key.id,
            )
        except UnknownAuditId as exc:
            raise AskError(t("error_unknown_audit_id", request.lang, audit_id=request.audit_id), 404) from exc
        except AuditError as exc:
            raise AskError(t("error_audit_unavailable", request.lang), 503) from exc
        return {
            "feedback_id": feedback_id,
            "audit_id": request.audit_id,
            "message": t("feedback_thanks", request.lang),
        }

    @router.get("/v1/transparency", tags=["transparency"])
    def transparency(lang: Lang = "es", _: Any = caller) -> dict[str, Any]:
        """Per domain: the model, adapter, sources and limits; and how the audit log is kept."""
        domains = []
        for name, domain in sorted(service().domains.items()):
            config = domain.config
            public = [s for s in config.sources if s.access == "public"]
            domains.append(
                {
                    "name": name,
                    "title": config.title(lang),
                    "description": config.description.get(lang) or config.description.get("es"),
                    "languages": list(config.languages),
                    "model": public_model_identity(settings, domain),
                    "mode": "generative" if settings.llm_url else "extractive",
                    "embedder": {"name": settings.embedder, "model": settings.embeddings_model},
                    "sources": [
                        {"id": s.id, "kind": s.kind, "title": s.title, "url": s.url, "licence": s.licence}
                        for s in public
                    ],
                    "internal_sources": len(config.sources) - len(public),
                    "min_evidence": config.retrieval.min_evidence,
                }
            )
        return {
            "ai_disclosure": t("ai_disclosure", lang),
            "limits": t("transparency_limits", lang),
            "audit": {
                "retention_days": max(settings.audit_retention_days, 1),
                "minimum_retention_days": MIN_RETENTION_DAYS,
                "tamper_evidence": "SHA-256 hash chain, HMAC seals, keyed anchors outside the database",
                "instructions": "docs/transparency.md",
            },
            "domains": domains,
        }

    return router
