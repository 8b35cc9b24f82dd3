"""The one place where text is pseudonymized before it reaches the audit store.

The audit store must hold no raw personal data. The privacy work (`ventanilla.privacy`) replaces the
body of `pseudonymize_for_audit` with its pseudonymizer; until then it returns the text unchanged.
Every question, answer and feedback comment written by the audit trail goes through this function.
"""

from __future__ import annotations


def pseudonymize_for_audit(text: str) -> str:
    """Text safe to keep in the audit store. Placeholder: the privacy work replaces it."""
    return text
