"""Ingestion into a real local Qdrant store: metadata, incremental re-ingest, bad files, resume."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ventanilla.domain import discover_domains
from ventanilla.index.store import get_store
from ventanilla.ingest.pipeline import IngestReport, Manifest, ingest_domain


def _docs(env: dict[str, Any], domain: str = "prueba") -> list[Any]:
    return get_store(env["settings"], domain).filter_documents()


def test_first_ingest_report(mini_env: dict[str, Any]) -> None:
    report: IngestReport = mini_env["report"]
    assert report.failed == []
    assert report.count("ingested") == 3
    assert report.chunks_written > 150


def test_chunk_metadata(mini_env: dict[str, Any]) -> None:
    docs = {d.meta["parent_id"]: d for d in _docs(mini_env) if d.meta["part"] == 0}
    a21 = docs["BOE-A-2015-10565__a21"]
    meta = a21.meta
    assert meta["domain"] == "prueba"
    assert meta["norm_id"] == "BOE-A-2015-10565"
    assert meta["article"] == "21"
    assert meta["title"].startswith("Artículo 21. Obligación de resolver")
    assert meta["url"] == "https://www.boe.es/buscar/act.php?id=BOE-A-2015-10565"
    assert meta["language"] == "es"
    assert meta["access"] == "public"
    assert meta["hierarchy"][0] == "TÍTULO II. De la actividad de las Administraciones Públicas"
    assert len(meta["content_hash"]) == 64
    assert a21.content.startswith("Artículo 21")
    internal = [d for d in _docs(mini_env) if d.meta["source_id"] == "staff-notes"]
    assert internal and all(d.meta["access"] == "internal" for d in internal)


def _copy_env(mini_env: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """A private copy of the mini domain with its own index, for tests that change files."""
    from ventanilla.settings import Settings

    domains_dir = tmp_path / "domains"
    shutil.copytree(mini_env["settings"].domains_dir, domains_dir)
    settings = Settings(data_dir=tmp_path / "var", domains_dir=domains_dir)
    # the embedding cache is shared so the copy costs no embedding time
    (tmp_path / "var" / "cache").mkdir(parents=True)
    for f in (mini_env["settings"].data_dir / "cache").iterdir():
        shutil.copy(f, tmp_path / "var" / "cache" / f.name)
    from ventanilla.runtime import make_embedder

    return {"settings": settings, "embedder": make_embedder(settings), "domains_dir": domains_dir}


def test_reingest_skips_replaces_and_removes(mini_env: dict[str, Any], tmp_path: Path) -> None:
    env = _copy_env(mini_env, tmp_path)
    domain = discover_domains(env["domains_dir"])["prueba"]
    first = ingest_domain(domain, env["settings"], env["embedder"])
    total = len(_docs(env))
    assert first.count("ingested") == 3 and total == first.chunks_written

    again = ingest_domain(domain, env["settings"], env["embedder"])
    assert again.count("unchanged") == 3 and again.count("ingested") == 0
    assert len(_docs(env)) == total

    note = env["domains_dir"] / "prueba" / "internal" / "nota-registro.md"
    note.write_text(note.read_text() + "\n## Instrucción 2\n\nLos escritos urgentes se registran primero.\n")
    changed = ingest_domain(domain, env["settings"], env["embedder"])
    assert changed.count("ingested") == 1 and changed.count("unchanged") == 2
    assert any("urgentes" in (d.content or "") for d in _docs(env))
    assert len({d.id for d in _docs(env)}) == len(_docs(env))

    note.unlink()
    removed = ingest_domain(domain, env["settings"], env["embedder"])
    assert removed.count("removed") == 1
    assert not [d for d in _docs(env) if d.meta["source_id"] == "staff-notes"]


def test_corrupt_file_is_reported_and_the_rest_ingested(mini_env: dict[str, Any], tmp_path: Path) -> None:
    env = _copy_env(mini_env, tmp_path)
    internal = env["domains_dir"] / "prueba" / "internal"
    (internal / "roto.md").write_bytes(b"\xff\xfe\x00\x00garbage\x00" * 10)
    (internal / "otra-nota.md").write_text("# Otra nota\n\nLa unidad cierra los viernes a las tres.\n")
    domain = discover_domains(env["domains_dir"])["prueba"]
    report = ingest_domain(domain, env["settings"], env["embedder"])
    failed = {f.path: f.error for f in report.failed}
    assert list(failed) == ["internal/roto.md"], failed
    assert failed["internal/roto.md"]
    assert report.count("ingested") == 4
    assert any("viernes" in (d.content or "") for d in _docs(env))


def test_crash_mid_ingest_resumes_without_duplicates(mini_env: dict[str, Any], tmp_path: Path) -> None:
    env = _copy_env(mini_env, tmp_path)
    domain = discover_domains(env["domains_dir"])["prueba"]
    ingest_domain(domain, env["settings"], env["embedder"])
    expected = len(_docs(env))
    # Simulate a crash after the documents of a file were written but before its manifest entry was saved.
    manifest = Manifest(env["settings"].state_dir / "prueba.manifest.json")
    manifest.files.pop("laws/BOE-A-2015-10565.xml")
    manifest.save()
    resumed = ingest_domain(domain, env["settings"], env["embedder"])
    assert resumed.count("ingested") == 1
    assert len(_docs(env)) == expected


def test_vector_pack_lets_a_fresh_install_skip_embedding(mini_env: dict[str, Any], tmp_path: Path) -> None:
    """A pack built from an ingested index seeds a fresh data dir: the same vectors, no embedding."""
    import numpy as np

    from ventanilla.index.embedder import CachedEmbedder
    from ventanilla.index.store import get_store
    from ventanilla.index.vector_pack import build_pack, pack_path, read_pack
    from ventanilla.runtime import make_embedder
    from ventanilla.settings import Settings

    domains_dir = tmp_path / "domains"
    shutil.copytree(mini_env["settings"].domains_dir, domains_dir)
    embedder = mini_env["embedder"]
    assert isinstance(embedder, CachedEmbedder)
    path = build_pack(mini_env["settings"], "prueba", domains_dir / "prueba", embedder)
    assert path == pack_path(domains_dir / "prueba", embedder.model_id) and path.is_file()
    keys, vectors = read_pack(path)
    assert len(keys) == len(set(keys)) and vectors.shape[1] == embedder.dim

    fresh = Settings(data_dir=tmp_path / "fresh", domains_dir=domains_dir)  # empty cache
    fresh_embedder = make_embedder(fresh)
    domain = discover_domains(domains_dir)["prueba"]
    report = ingest_domain(domain, fresh, fresh_embedder)
    assert report.failed == [] and report.vectors_from_pack == len(keys)
    assert report.embed_seconds < 0.5 * mini_env["report"].embed_seconds  # a cache hit, not the model
    original = {d.id: d.embedding for d in get_store(mini_env["settings"], "prueba").filter_documents()}
    for doc in get_store(fresh, "prueba").filter_documents():
        assert np.allclose(doc.embedding, original[doc.id], atol=2e-3)  # float16 in the pack
