"""The ask flow pseudonymizes the question before retrieval; the vault restores it for the clinician."""

from __future__ import annotations

from typing import Any

from ventanilla.answer.service import AskService
from ventanilla.privacy import pseudonymize_for_audit, restore


def test_question_is_pseudonymized_before_retrieval(mini_env: dict[str, Any]) -> None:
    service = AskService(mini_env["settings"], mini_env["domains"], mini_env["embedder"])
    question = "Soy Dña. Carmen Ortiz Vega, DNI 12345678Z. ¿En qué plazo debe resolver la Administración?"
    result = service.ask(question, "prueba", lang="es")
    masked = result.masked_question
    assert "Carmen" not in masked and "12345678Z" not in masked
    assert "<DNI_1>" in masked and "plazo debe resolver la Administración" in masked
    assert restore(masked, result.vault) == question
    assert "Carmen" not in repr(result)
    assert pseudonymize_for_audit(question) == masked
