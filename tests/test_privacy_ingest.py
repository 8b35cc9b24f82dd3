"""Clinical cases ingested into a real local Qdrant store leave no gold personal data behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DOMAINS, SHARED_DATA
from ventanilla.privacy.brat import read_brat_dir

CASES = ["S0004-06142005000500011-1", "S0004-06142005000700014-1", "S0004-06142005000900013-1"]

DOMAIN_YAML = """
name: clinica
titles: {es: Clínica de prueba}
pii:
  entities: []
  operator: placeholder
sources:
  - id: meddocan
    kind: case
    format: case-text
    path: cases/*.txt
    metadata: cases/metadata.jsonl
    norm_id: MEDDOCAN-casos
    title: Casos clínicos
    anonymize: true
    keep_public_names: false
"""


def test_ingested_clinical_cases_hold_no_gold_personal_data(tmp_path: Path) -> None:
    """Three MEDDOCAN train cases (the health pack ships them) with their gold annotations; every gold
    string of 4+ characters but the sex must be gone from the stored payloads and from every byte
    of the Qdrant storage files, while the same strings are present in the source text."""
    from ventanilla.domain import discover_domains
    from ventanilla.index.store import close_stores, get_store
    from ventanilla.ingest.pipeline import ingest_domain
    from ventanilla.runtime import make_embedder
    from ventanilla.settings import Settings

    source = DOMAINS / "health" / "cases" / "meddocan"
    folder = tmp_path / "domains" / "clinica"
    (folder / "cases").mkdir(parents=True)
    lines = [json.loads(x) for x in (source / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
    with (folder / "cases" / "metadata.jsonl").open("w", encoding="utf-8") as out:
        for name in CASES:
            shutil.copy(source / f"{name}.txt", folder / "cases" / f"{name}.txt")
            out.write(
                json.dumps(next(x for x in lines if x["file"] == f"{name}.txt"), ensure_ascii=False) + "\n"
            )
    (folder / "domain.yaml").write_text(DOMAIN_YAML, encoding="utf-8")

    gold = read_brat_dir(SHARED_DATA / "meddocan" / "train")
    secrets = {
        s.text
        for d in gold
        if d.name in CASES
        for s in d.spans
        if s.label != "SEXO_SUJETO_ASISTENCIA" and len(s.text.strip()) >= 4
    }
    raw = "".join((folder / "cases" / f"{n}.txt").read_text(encoding="utf-8") for n in CASES)
    assert len(secrets) > 20 and all(s in raw for s in secrets)

    settings = Settings(data_dir=tmp_path / "var", domains_dir=tmp_path / "domains")
    try:
        report = ingest_domain(
            discover_domains(settings.domains_dir)["clinica"], settings, make_embedder(settings)
        )
        assert report.failed == [] and report.chunks_written >= 3
        docs = get_store(settings, "clinica").filter_documents()
        payloads = json.dumps([{"content": d.content, "meta": d.meta} for d in docs], ensure_ascii=False)
        assert "<PERSONA_1>" in payloads or "<PROFESIONAL_1>" in payloads
        leaked = sorted(s for s in secrets if s in payloads)
        assert leaked == [], leaked
    finally:
        close_stores()
    stored = b"".join(p.read_bytes() for p in settings.data_dir.rglob("*") if p.is_file())
    assert b"<PERSONA_1>" in stored or b"<PROFESIONAL_1>" in stored
    leaked_bytes = sorted(s for s in secrets if s.encode() in stored)
    assert leaked_bytes == [], leaked_bytes
