"""Shared fixtures: real law files, a throwaway domain ingested into a real local Qdrant store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from audit_fixtures import audit_settings, postgres_server  # noqa: F401  (audit trail, issue 7)

for _key, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HAYSTACK_TELEMETRY_ENABLED": "False",
    "DO_NOT_TRACK": "1",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
}.items():
    os.environ.setdefault(_key, _value)

REPO = Path(__file__).resolve().parents[1]
DOMAINS = REPO / "domains"
SHARED_DATA = REPO.parent / "shared" / "data"
QA_DEV = SHARED_DATA / "qa" / "legal-boe-dense_retrieval_v1-dev"

MINI_DOMAIN_YAML = """
name: {name}
titles: {{es: Ámbito de prueba, ca: Àmbit de prova, eu: Proba eremua, gl: Ámbito de proba, en: Test domain}}
contact: {{url: "https://administracion.gob.es", phone: "060", label: {{es: Atención a la ciudadanía (060)}}}}
sources:
  - id: ley-39-2015
    format: boe-xml
    path: laws/BOE-A-2015-10565.xml
    norm_id: BOE-A-2015-10565
    title: Ley 39/2015, de 1 de octubre, del Procedimiento Administrativo Común de las
      Administraciones Públicas
    short_name: Ley 39/2015
    url: https://www.boe.es/buscar/act.php?id=BOE-A-2015-10565
    licence: BOE reuse conditions
  - id: ley-19-2013
    format: boe-xml
    path: laws/BOE-A-2013-12887.xml
    norm_id: BOE-A-2013-12887
    title: Ley 19/2013, de 9 de diciembre, de transparencia, acceso a la información pública y buen gobierno
    short_name: Ley 19/2013
    url: https://www.boe.es/buscar/act.php?id=BOE-A-2013-12887
    licence: BOE reuse conditions
  - id: staff-notes
    kind: guide
    format: document
    path: internal/*.md
    title: Notas internas de prueba
    access: internal
"""

INTERNAL_NOTE = """# Nota interna sobre plazos de la unidad de registro

## Instrucción 1

El personal de la unidad de registro debe revisar la bandeja de entrada de la sede cada mañana antes
de las nueve y remitir los escritos mal dirigidos al órgano competente en el mismo día.
"""


def law_file(name: str) -> Path:
    """A bundled law file, wherever its domain pack keeps it."""
    matches = sorted(DOMAINS.glob(f"*/laws/**/{name}"))
    if not matches:
        raise FileNotFoundError(name)
    return matches[0]


def make_mini_domain(root: Path, name: str = "prueba") -> Path:
    folder = root / name
    (folder / "laws").mkdir(parents=True)
    (folder / "internal").mkdir()
    for file_name in ("BOE-A-2015-10565.xml", "BOE-A-2013-12887.xml"):
        shutil.copy(law_file(file_name), folder / "laws" / file_name)
    (folder / "internal" / "nota-registro.md").write_text(INTERNAL_NOTE, encoding="utf-8")
    (folder / "domain.yaml").write_text(MINI_DOMAIN_YAML.format(name=name), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def mini_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A throwaway domain folder (not bundled: proves domains are data) ingested once per session."""
    from ventanilla.domain import discover_domains
    from ventanilla.ingest.pipeline import ingest_domain
    from ventanilla.runtime import make_embedder
    from ventanilla.settings import Settings

    root = tmp_path_factory.mktemp("env")
    domains_dir = root / "domains"
    make_mini_domain(domains_dir)
    settings = Settings(data_dir=root / "var", domains_dir=domains_dir)
    embedder = make_embedder(settings)
    domains = discover_domains(domains_dir)
    report = ingest_domain(domains["prueba"], settings, embedder)
    yield {"settings": settings, "embedder": embedder, "domains": domains, "report": report, "root": root}
    from ventanilla.index.store import close_stores

    close_stores()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def api_headers(channel: str = "citizen", **options: Any) -> dict[str, str]:
    """A fresh key created in the real key store of the current settings (VENTANILLA_* env): its
    `Authorization` header. Test keys have no rate limits unless the test asks for them."""
    from ventanilla.auth.keys import KeyStore
    from ventanilla.settings import get_settings

    options.setdefault("per_minute", 0)
    options.setdefault("per_day", 0)
    token, _ = KeyStore(get_settings()).create(f"test-{channel}", channel, **options)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def client(mini_env: dict[str, Any], monkeypatch_module: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The FastAPI app over the mini domain, through its real lifespan, called with a citizen key."""
    from ventanilla import runtime, settings

    monkeypatch_module.setenv("VENTANILLA_DATA_DIR", str(mini_env["settings"].data_dir))
    monkeypatch_module.setenv("VENTANILLA_DOMAINS_DIR", str(mini_env["settings"].domains_dir))
    settings.get_settings.cache_clear()
    runtime.default_embedder.cache_clear()
    from ventanilla.api.app import create_app

    with TestClient(create_app(), headers=api_headers("citizen")) as test_client:
        yield test_client
    settings.get_settings.cache_clear()
    runtime.default_embedder.cache_clear()
