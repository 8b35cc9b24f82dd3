"""The unit every legal parser produces: one article (or disposición) of one norm."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NormInfo:
    """What we know about a norm before parsing its body (from domain.yaml or front matter)."""

    norm_id: str  # e.g. "BOE-A-2015-10565"
    title: str  # e.g. "Ley 39/2015, de 1 de octubre, del Procedimiento Administrativo Común ..."
    url: str = ""  # official consolidated text
    language: str = "es"
    short_name: str = ""  # e.g. "Ley 39/2015" (used to resolve citations in questions)


@dataclass(frozen=True)
class LegalUnit:
    """One retrievable legal unit: an article, a disposición, a preamble, or a case-document section.

    `block_id` follows the BOE block naming scheme (`a21`, `a21bis`, `da1`, `dt2`, `dd`, `df1`,
    `preambulo`...); `parent_id` is `<norm_id>__<block_id>`, the key the relevance judgments use.
    `paragraphs` keep the original paragraph boundaries so that a long unit can be split by apartado.
    """

    norm_id: str
    block_id: str
    # "article" | "additional" | "transitional" | "derogatory" | "final" | "preamble" | "annex" | "section"
    kind: str
    number: str  # "21", "21 bis", "primera", "" for preambles
    title: str  # the heading as printed: "Artículo 21. Obligación de resolver."
    hierarchy: tuple[str, ...] = field(default_factory=tuple)  # ("TÍTULO IV ...", "CAPÍTULO II ...")
    paragraphs: tuple[str, ...] = field(default_factory=tuple)

    @property
    def parent_id(self) -> str:
        return f"{self.norm_id}__{self.block_id}"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)
