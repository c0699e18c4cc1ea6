"""The audit trail: an append-only log of security events, each row chained by hash to the one
before (docs/security.md, "Audit")."""
