"""The one place where text is pseudonymized before it reaches the audit store.

The audit store must hold no raw personal data: every question, answer and feedback comment written
by the audit trail goes through this function, which masks personal data with the privacy engine
(`ventanilla.privacy`: presidio with our recognizers and NER) and keeps no vault.
"""

from __future__ import annotations


def pseudonymize_for_audit(text: str, lang: str = "es") -> str:
    """Text safe to keep in the audit store: personal data replaced by typed placeholders."""
    from ventanilla.privacy import pseudonymize_for_audit as mask

    return mask(text, lang)
