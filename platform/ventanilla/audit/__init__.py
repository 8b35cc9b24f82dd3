"""The AI Act audit trail: hash-chained, sealed audit records in SQL, anchors, verification, export.

See docs/audit.md. Modules: `record` (the record and its canonical hash), `keys` (secrets), `store`
(SQLAlchemy store and Alembic migrations), `verify` (chain verification), `anchors` (keyed head
anchors outside the database), `export`, `retention` (purge with checkpoint records), `auditor` (what
the ask path calls), `pseudonymize` (the hook of the privacy work), `api` and `cli`.
"""

from ventanilla.audit.auditor import AuditError, Auditor, public_model_identity
from ventanilla.audit.pseudonymize import pseudonymize_for_audit

__all__ = ["AuditError", "Auditor", "pseudonymize_for_audit", "public_model_identity"]
