"""The clinician flow (issue 8): note and question pseudonymized before anything else sees them, the
masked spans shown, originals restored only in the clinician's response; never in audit or logs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import api_headers
from ventanilla.audit.auditor import Auditor
from ventanilla.settings import get_settings

NOTE = (
    "Paciente: Carmen Ortiz Vega, DNI 12345678Z, vecina de Calle Mayor 5, Madrid. Acude a consulta el "
    "3 de marzo de 2024 por dolor lumbar; la atiende el Dr. Luis Pardo Gil."
)
QUESTION = "¿En qué plazo debe resolver la Administración la solicitud que presentó Carmen Ortiz Vega?"
ORIGINALS = ("Carmen Ortiz", "Ortiz Vega", "12345678Z", "Luis Pardo")


def test_clinician_flow_masks_before_and_restores_after(
    client: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    headers = api_headers("clinician")
    response = client.post(
        "/v1/clinician/ask", headers=headers, json={"note": NOTE, "question": QUESTION, "domain": "prueba"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    for original in ORIGINALS:
        assert original not in body["masked_note"] + body["masked_question"]
    spans = {(s["field"], s["original"]) for s in body["spans"]}
    assert ("question", "Carmen Ortiz Vega") in spans and ("note", "12345678Z") in spans
    # one vault for note and question: the same patient gets the same placeholder in both
    patient = next(s["placeholder"] for s in body["spans"] if s["original"] == "Carmen Ortiz Vega")
    assert patient in body["masked_note"] and patient in body["masked_question"]
    assert body["sources"] and body["ai_disclosure"] and body["audit_id"]
    assert "<" not in body["answer"] or body["answer"] == body["masked_answer"]

    auditor = Auditor(get_settings())
    record = auditor.store.get(body["audit_id"])
    assert record is not None
    stored = str(record.record())
    auditor.close()
    assert record.record()["channel"] == "clinician"
    for original in ORIGINALS:
        assert original not in stored
    logged = capfd.readouterr()
    for original in ORIGINALS:
        assert original not in logged.out + logged.err

    again = client.post(
        "/v1/clinician/ask",
        headers=headers,
        json={"question": "¿Y si Carmen Ortiz Vega recurre?", "domain": "prueba",
              "conversation_id": body["conversation_id"]},
    )  # fmt: skip
    assert again.status_code == 200, again.text
    assert patient in again.json()["masked_question"]  # placeholders stable across turns


def test_clinician_route_needs_a_clinician_key(client: TestClient) -> None:
    refused = client.post("/v1/clinician/ask", json={"question": QUESTION, "domain": "prueba", "lang": "en"})
    assert refused.status_code == 403 and "clinician" in refused.json()["detail"]
    assert client.get("/clinician").status_code == 200  # the page shell needs no key; its calls do
    assert client.get("/internal").status_code == 200
