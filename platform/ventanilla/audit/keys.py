"""The audit secrets: the key that seals records and anchors, and the key of callers' pseudonyms.

Production sets `VENTANILLA_AUDIT_SECRET` (and optionally `VENTANILLA_AUDIT_CALLER_SECRET`) from a
secret store. The embedded setup generates a random key once and keeps it in
`<data dir>/audit/secret.key` (mode 0600): fine for a laptop, to be replaced in production, since
whoever can read that file can forge seals and anchors.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ventanilla.settings import Settings


@dataclass(frozen=True)
class AuditKeys:
    seal_key: bytes
    caller_key: bytes

    def caller_pseudonym(self, key_id: str) -> str:
        """The pseudonymous id of a caller: HMAC-SHA256 of its API key id (never personal data)."""
        return hmac.new(self.caller_key, key_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def secret_file(settings: Settings) -> Path:
    return settings.data_dir / "audit" / "secret.key"


def _generated_secret(path: Path) -> str:
    if not path.is_file():
        # Written whole to a temporary file, then linked into place: a process that starts at the
        # same moment either wins the link or reads the complete file of the one that did.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:
        raise ValueError(f"{path}: audit secret too short or empty")
    return value


def load_keys(settings: Settings) -> AuditKeys:
    master = (
        settings.audit_secret.get_secret_value()
        if settings.audit_secret is not None
        else _generated_secret(secret_file(settings))
    )
    seal_key = hmac.new(master.encode("utf-8"), b"ventanilla-audit-seal", hashlib.sha256).digest()
    if settings.audit_caller_secret is not None:
        caller = settings.audit_caller_secret.get_secret_value().encode("utf-8")
    else:
        caller = hmac.new(master.encode("utf-8"), b"ventanilla-audit-caller", hashlib.sha256).digest()
    return AuditKeys(seal_key=seal_key, caller_key=caller)
