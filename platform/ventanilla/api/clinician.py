"""The clinician assistant's API flow (`POST /v1/clinician/ask`, clinician keys).

The pasted note and the question are pseudonymized with one per-conversation vault before anything
else sees them: retrieval, the model, the logs and the audit store only get placeholders. The
response is the clinician's own view: the masked texts, the spans that were masked (with their
originals, for the clinician only) and the answer with the originals restored. The vault stays in
this process's memory (TTL) and is never written anywhere.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends
from pydantic import BaseModel, ConfigDict, Field

from ventanilla.api.errors import error_responses
from ventanilla.auth.deps import AuthError
from ventanilla.i18n import t
from ventanilla.privacy.vault import PLACEHOLDER, Vault, VaultStore, restore

if TYPE_CHECKING:
    from ventanilla.answer.service import AskService

MAX_NOTE_CHARS = 20_000


class ClinicianAskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=MAX_NOTE_CHARS, description="The patient note (pseudonymized).")
    question: str = Field(min_length=1, max_length=2000, description="The clinician's question.")
    domain: str = Field(default="health", min_length=1, max_length=64, description="Domain to ask.")
    lang: str | None = Field(default=None, max_length=32, description="Answer language.")
    conversation_id: str | None = Field(
        default=None, max_length=64, description="Keep placeholders consistent across turns."
    )


class MaskedSpan(BaseModel):
    field: str
    start: int
    end: int
    entity: str
    placeholder: str
    original: str


def _mask(text: str, field: str, vault: Vault) -> tuple[str, list[MaskedSpan]]:
    """Detected personal data, plus every other occurrence of an original the conversation's vault
    already knows (a name the detector found in the note is masked in the question too)."""
    from ventanilla.privacy.anonymize import anonymize_text
    from ventanilla.privacy.entities import tag_of

    if not text.strip():
        return text, []
    detected = anonymize_text(text, None, "placeholder", vault=vault).detections
    found = [(d.start, d.end, d.entity, vault.placeholder(tag_of(d.entity), d.text)) for d in detected]
    taken = [(start, end) for start, end, _, _ in found]
    for placeholder, original in sorted(vault.originals.items(), key=lambda item: -len(item[1])):
        if len(original) < 3:
            continue
        for match in re.finditer(re.escape(original), text, flags=re.IGNORECASE):
            if all(match.end() <= a or match.start() >= b for a, b in taken):
                entity = PLACEHOLDER.fullmatch(placeholder)
                found.append(
                    (match.start(), match.end(), entity.group(1) if entity else "KNOWN", placeholder)
                )
                taken.append((match.start(), match.end()))
    found.sort()
    masked, cursor = [], 0
    for start, end, _, placeholder in found:
        masked.append(text[cursor:start] + placeholder)
        cursor = end
    masked.append(text[cursor:])
    spans = [
        MaskedSpan(field=field, start=start, end=end, entity=entity, placeholder=ph, original=text[start:end])
        for start, end, entity, ph in found
    ]
    return "".join(masked), spans


def clinician_router(get_service: Callable[[], AskService], caller: Depends) -> APIRouter:
    router = APIRouter(tags=["clinician"])
    vaults = VaultStore(ttl_s=3600.0)

    @router.post("/v1/clinician/ask", responses=error_responses(401, 403, 404, 422, 429, 503))
    async def clinician_ask(request: ClinicianAskRequest, who: Any = caller) -> dict[str, Any]:
        """Pseudonymize note + question, answer from the masked question, restore originals for the
        clinician. Clinician keys only (403 otherwise)."""
        lang = request.lang or "es"
        if who.channel != "clinician":
            raise AuthError(403, t("error_key_channel", lang, channel="clinician"), kind="channel")
        who.check_domain(request.domain, lang)
        conversation = request.conversation_id or uuid.uuid4().hex
        vault = vaults.get(f"{who.key.id}:{conversation}")  # a conversation belongs to one key

        def run() -> dict[str, Any]:
            masked_note, note_spans = _mask(request.note, "note", vault)
            masked_question, question_spans = _mask(request.question, "question", vault)
            result = get_service().ask(
                masked_question, request.domain, request.lang, who.access,
                channel=who.channel, caller_key_id=who.key.id,
            )  # fmt: skip
            body = result.as_json()
            body["masked_answer"] = body["answer"]
            body["answer"] = restore(body["answer"], vault)
            return {
                **body,
                "conversation_id": conversation,
                "masked_note": masked_note,
                "masked_question": masked_question,
                "spans": [s.model_dump() for s in (*note_spans, *question_spans)],
            }

        return await run_in_threadpool(run)

    return router
