"""Structure-aware chunking: size limit, heading on every part, apartado boundaries, no text lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ventanilla.legal.boe_xml import parse_boe_xml
from ventanilla.legal.cases import parse_case_text
from ventanilla.legal.chunking import ChunkText, apartado_label, chunk_unit
from ventanilla.legal.legalize_md import parse_legalize_md
from ventanilla.legal.units import LegalUnit, NormInfo

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def unit(paragraphs: list[str], title: str = "Artículo 7. Plazos.", block_id: str = "a7") -> LegalUnit:
    return LegalUnit(
        norm_id="TEST",
        block_id=block_id,
        kind="article",
        number="7",
        title=title,
        paragraphs=tuple(paragraphs),
    )


def sentence(n: int, words: int = 12) -> str:
    return " ".join(["plazo"] * words).capitalize() + f" número {n}."


def body(chunks: list[ChunkText], heading: str) -> str:
    return "".join(chunk.text[len(heading) :] for chunk in chunks)


def check_invariants(source: LegalUnit, chunks: list[ChunkText], max_chars: int) -> None:
    heading = source.title
    assert chunks
    assert [chunk.part for chunk in chunks] == list(range(len(chunks)))
    assert {chunk.parts for chunk in chunks} == {len(chunks)}
    for chunk in chunks:
        assert chunk.text.startswith(heading + "\n") or chunk.text == heading
        assert len(chunk.text) <= max_chars
    # No text lost, none invented, order kept, nothing from another unit.
    expected = re.sub(r"\s+", "", "".join(source.paragraphs))
    assert re.sub(r"\s+", "", body(chunks, heading)) == expected


def test_short_unit_is_one_chunk() -> None:
    source = unit(["1. El plazo es de un mes.", "2. Se cuenta en días hábiles."])
    chunks = chunk_unit(source, max_chars=500, min_chars=100)
    assert chunks == [
        ChunkText(
            text="Artículo 7. Plazos.\n1. El plazo es de un mes.\n2. Se cuenta en días hábiles.",
            part=0,
            parts=1,
            apartados=("1", "2"),
        )
    ]


def test_long_unit_splits_between_apartados() -> None:
    apartados = [
        f"{n}. " + " ".join(sentence(n * 10 + k) for k in range(4)) + " Se aplica lo siguiente:"
        for n in (1, 2, 3, 4)
    ]
    paragraphs = []
    for text in apartados:
        paragraphs += [text, "a) " + sentence(1), "b) " + sentence(2)]
    source = unit(paragraphs)
    chunks = chunk_unit(source, max_chars=900, min_chars=100)
    check_invariants(source, chunks, 900)
    assert len(chunks) > 1
    for chunk in chunks:
        lines = chunk.text.split("\n")[1:]
        assert apartado_label(lines[0]) is not None and lines[0][0].isdigit()  # parts open an apartado
    covered = [label for chunk in chunks for label in chunk.apartados]
    assert covered == ["1", "2", "3", "4"]


def test_single_long_apartado_splits_at_sentences() -> None:
    source = unit(["1. " + " ".join(sentence(n) for n in range(60)), "2. " + sentence(99)])
    chunks = chunk_unit(source, max_chars=600, min_chars=50)
    check_invariants(source, chunks, 600)
    for chunk in chunks[:-1]:
        assert chunk.text.endswith(".")  # cut after a sentence, not inside one
    assert chunks[0].apartados == ("1",)
    assert "2" in chunks[-1].apartados


def test_a_sentence_longer_than_the_limit_is_cut_at_spaces() -> None:
    source = unit(["1. " + " ".join(["palabra"] * 400) + "."])
    chunks = chunk_unit(source, max_chars=300, min_chars=0)
    check_invariants(source, chunks, 300)
    assert len(chunks) > 5


def test_small_last_part_is_merged() -> None:
    source = unit(["1. " + " ".join(sentence(n) for n in range(8)), "2. Breve."])
    merged = chunk_unit(source, max_chars=800, min_chars=100)
    assert len(merged) == 1 or merged[-1].text.count("\n") > 1
    separate = chunk_unit(source, max_chars=len(source.title) + 1 + len(source.paragraphs[0]), min_chars=0)
    assert separate[-1].text.endswith("2. Breve.") and separate[-1].apartados == ("2",)
    no_room = chunk_unit(source, max_chars=len(source.title) + 1 + len(source.paragraphs[0]), min_chars=100)
    check_invariants(source, no_room, len(source.title) + 1 + len(source.paragraphs[0]))


@pytest.mark.parametrize(
    ("first", "style_label"),
    [
        ("Uno. Se modifica el apartado 2.", ("word", "Uno")),
        ("—1 El Departament s'estructura en unitats.", ("dash", "1")),
        ("Primero.- El 10 de marzo se dictó acuerdo.", ("ordinal", "Primero")),
        ("a) Las personas físicas.", ("letter", "a")),
        ("3.º Los bienes inmuebles.", ("degree", "3")),
        ("12) Las entidades.", ("number", "12")),
    ],
)
def test_apartado_styles(first: str, style_label: tuple[str, str]) -> None:
    assert apartado_label(first) == style_label


def test_marker_style_of_first_apartado_is_the_top_level() -> None:
    paragraphs = ["Se exceptúan:", "a) " + sentence(1, 40), "1.º " + sentence(2, 40), "b) " + sentence(3, 40)]
    chunks = chunk_unit(unit(paragraphs), max_chars=400, min_chars=0)
    # "1.º" sits inside apartado a): the part that holds it still reports "a".
    assert [chunk.apartados for chunk in chunks] == [("a",), ("a",), ("b",)]
    assert apartado_label("1.000 euros de multa.") is None
    assert apartado_label("2019. Año de entrada en vigor.") is None


def test_rejects_a_tiny_limit() -> None:
    with pytest.raises(ValueError):
        chunk_unit(unit(["texto"]), max_chars=10, min_chars=0)


def test_long_heading_is_shortened_but_opens_every_part() -> None:
    title = "Sentencia " + "muy " * 200 + "larga — Fundamentos jurídicos"
    source = unit([sentence(n, 30) for n in range(30)], title=title)
    chunks = chunk_unit(source, max_chars=600, min_chars=0)
    heading = chunks[0].text.split("\n", 1)[0]
    assert heading.endswith("…") and len(heading) <= 200
    assert all(chunk.text.startswith(heading + "\n") and len(chunk.text) <= 600 for chunk in chunks)


def test_real_units_respect_the_invariants() -> None:
    units = list(
        parse_boe_xml(DATA / "legislation/boe-xml/BOE-A-2015-10565.xml", NormInfo("BOE-A-2015-10565", ""))
    )
    _norm, lgt = parse_legalize_md(
        DATA / "legislation/markdown/BOE-A-2003-23186_Ley58-2003_General_Tributaria.md"
    )
    units += lgt
    for line in (DATA / "cases/justice/metadata.jsonl").read_text(encoding="utf-8").splitlines()[:6]:
        meta = json.loads(line)
        units += parse_case_text(DATA / "cases/justice" / meta["file"], meta, "justice")
    split = 0
    for source in units:
        chunks = chunk_unit(source, max_chars=1200, min_chars=200)
        heading = chunks[0].text.split("\n", 1)[0]
        assert len(heading) <= 400
        for chunk in chunks:
            assert chunk.text.startswith(heading) and len(chunk.text) <= 1200
        expected = re.sub(r"\s+", "", "".join(source.paragraphs))
        assert re.sub(r"\s+", "", "".join(c.text[len(heading) :] for c in chunks)) == expected
        split += len(chunks) > 1
    assert split > 50
    article_21 = next(u for u in units if u.parent_id == "BOE-A-2015-10565__a21")
    parts = chunk_unit(article_21, max_chars=1200, min_chars=200)
    assert [chunk.apartados for chunk in parts] == [("1", "2"), ("3",), ("4",), ("5", "6")]
    assert all(chunk.text.startswith("Artículo 21. Obligación de resolver.\n") for chunk in parts)
