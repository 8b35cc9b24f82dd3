"""The NER model's tokenizer: every punctuation mark is its own token.

MEDDOCAN spans end inside what the stock Spanish tokenizer keeps as one token ("NºCol:28", "H.",
"1D."), so the model splits on each non-alphanumeric character; training and inference share it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokenizer import Tokenizer

_PUNCT = r"[^\w\s]"
# Boundaries inside a word: digit/letter changes ("52años", "NºCol28") and a lower-case letter followed
# by an upper-case one ("MartínezNºCol", a line break lost in the source).
_DIGIT_LETTER = r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)"
_CAMEL = r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])"


def punct_tokenizer(nlp: Language) -> Tokenizer:
    return Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=re.compile(rf"^{_PUNCT}").search,
        suffix_search=re.compile(rf"{_PUNCT}$").search,
        infix_finditer=re.compile(rf"{_PUNCT}|{_DIGIT_LETTER}|{_CAMEL}").finditer,
    )
