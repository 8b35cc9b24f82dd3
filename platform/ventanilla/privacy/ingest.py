"""Anonymization of parsed case documents before chunking (the ingest `PersonalDataGuard` calls this).

One vault per document, so placeholders are consistent across its sections; the vault is discarded
(case documents are never re-identified). Titles and headings go through the same masking.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ventanilla.legal.units import LegalUnit, NormInfo
from ventanilla.privacy.anonymize import Operator, anonymize_text
from ventanilla.privacy.residual import DEFAULT_RULES, Rule
from ventanilla.privacy.vault import Vault

# Bump when detection or masking changes: anonymized sources are then re-ingested.
# 2: recurrences; 3: residual masking; 4: names after "mi madre", "su hijo"; 5: ages, organisations,
# form fields, "de nombre X", Basque street names; 6: given-name gazetteer, "señor X";
# 7: "soy X", "Rosa Mª Pérez"; 8: lone given names ("¿Puede Carmen…?"), a given name over an
# organisation reading of the NER; 9: places and streets split as MEDDOCAN annotates them;
# 10: double-spaced names, longer recurrences replace shorter detections, legal citations;
# 11: runaway spans cut, countries completed, letterhead streets, manufacturers, whole dates, ages by
# wording, relatives by possessive, form fields
PRIVACY_VERSION = "11"


def anonymize_units(
    units: list[LegalUnit],
    norms: dict[str, NormInfo],
    entities: tuple[str, ...],
    operator: Operator,
    keep_public_names: bool,
    residual: Sequence[Rule] = DEFAULT_RULES,
) -> tuple[list[LegalUnit], dict[str, NormInfo]]:
    vaults: dict[str, Vault] = {}

    def mask(text: str, norm_id: str) -> str:
        if not text.strip():
            return text
        vault = vaults.setdefault(norm_id, Vault())
        return anonymize_text(
            text,
            entities or None,
            operator,
            vault=vault,
            keep_public_names=keep_public_names,
            residual=residual,
        ).text

    out_units = []
    for unit in units:
        body = mask(unit.text, unit.norm_id)
        paragraphs = tuple(body.split("\n")) if unit.paragraphs else unit.paragraphs
        out_units.append(
            dataclasses.replace(
                unit,
                title=mask(unit.title, unit.norm_id),
                hierarchy=tuple(mask(h, unit.norm_id) for h in unit.hierarchy),
                paragraphs=paragraphs,
            )
        )
    out_norms = {key: dataclasses.replace(norm, title=mask(norm.title, key)) for key, norm in norms.items()}
    return out_units, out_norms
