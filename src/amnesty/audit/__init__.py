"""Tamper-evident audit trail: append-only events chained by SHA-256, and their verification."""

from amnesty.audit.chain import GENESIS, AuditProblem, AuditReport, event_hash, record_event, verify_chain

__all__ = ["GENESIS", "AuditProblem", "AuditReport", "event_hash", "record_event", "verify_chain"]
