"""Personal-data protection: Spanish PII detection (presidio + our NER) and anonymization.

Public entry points: `anonymize_text`, `pseudonymize` / `restore` (the ask flow's reversible pair),
`pseudonymize_for_audit` (what the audit store and logs may hold), `Vault` / `VaultStore`.
Heavy imports (presidio, spaCy) happen on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ventanilla.privacy.vault import Vault, VaultStore, restore

if TYPE_CHECKING:
    from ventanilla.privacy.anonymize import anonymize_text, pseudonymize, pseudonymize_for_audit

__all__ = ["Vault", "VaultStore", "anonymize_text", "pseudonymize", "pseudonymize_for_audit", "restore"]


def __getattr__(name: str) -> Any:
    if name in ("anonymize_text", "pseudonymize", "pseudonymize_for_audit"):
        from ventanilla.privacy import anonymize

        return getattr(anonymize, name)
    raise AttributeError(name)
