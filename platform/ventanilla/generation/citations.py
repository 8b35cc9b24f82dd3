"""Citation check after generation: every [n] must name a source that was given.

Unknown numbers are removed from the text and counted; the valid ones are returned in order of first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# [1], [1, 2], [1-3] is not a citation form we ask for; [2][3] is two brackets.
_BRACKET = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")


@dataclass
class CheckedAnswer:
    text: str
    citations: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    @property
    def removed_count(self) -> int:
        return len(self.removed)


def check_citations(text: str, n_sources: int) -> CheckedAnswer:
    """Keep the citations 1..n_sources, drop the others from the text, count what was dropped."""
    cited: list[int] = []
    removed: list[int] = []

    def rewrite(match: re.Match[str]) -> str:
        numbers = [int(x) for x in re.split(r"[,;]", match.group(1))]
        valid = [n for n in numbers if 1 <= n <= n_sources]
        removed.extend(n for n in numbers if not 1 <= n <= n_sources)
        for n in valid:
            if n not in cited:
                cited.append(n)
        return "".join(f"[{n}]" for n in valid)

    cleaned = _BRACKET.sub(rewrite, text)
    if removed:
        cleaned = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", cleaned))
    return CheckedAnswer(cleaned.strip(), cited, removed)
