"""Domain packs are data: the bundled ones validate, and a new folder is a new domain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DOMAINS, QA_DEV, make_mini_domain
from ventanilla.domain import DomainError, discover_domains, load_domain


def test_bundled_domains_validate_and_every_source_has_files() -> None:
    domains = discover_domains(DOMAINS)
    assert {"tax", "health", "justice", "administration"} <= set(domains)
    for domain in domains.values():
        assert set(domain.config.titles) >= {"es", "ca", "eu", "gl", "en"}
        for source in domain.config.sources:
            assert domain.source_files(source), f"{domain.name}/{source.id}: no files for {source.path}"
            if source.kind == "legislation":
                assert source.norm_id and source.title and source.url and source.licence


def test_every_norm_judged_by_the_questions_is_bundled() -> None:
    judged = {
        json.loads(line)["parent_id"].split("__")[0]
        for line in (QA_DEV / "judgments.jsonl").read_text().splitlines()
        if line.strip()
    }
    bundled = {s.norm_id for d in discover_domains(DOMAINS).values() for s in d.config.sources}
    assert judged <= bundled, judged - bundled


def test_throwaway_domain_from_a_temp_folder(tmp_path: Path) -> None:
    make_mini_domain(tmp_path, "nuevo")
    domains = discover_domains(tmp_path)
    assert list(domains) == ["nuevo"]
    assert domains["nuevo"].config.title("en") == "Test domain"


def test_invalid_domain_yaml_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "roto"
    folder.mkdir()
    (folder / "domain.yaml").write_text("name: roto\ntitles: {en: Broken}\nsources: []\nunknown_key: 1\n")
    with pytest.raises(DomainError, match=r"titles must include 'es'|unknown_key"):
        load_domain(folder)
    (folder / "domain.yaml").write_text("name: otro\ntitles: {es: x}\nsources: []\n")
    with pytest.raises(DomainError, match="must match folder"):
        load_domain(folder)
