"""The roles of the service's users (least privilege: each role sees and does only what it needs)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who a user is in the amnesty's work."""

    ADMIN = "admin"
    CASE_OFFICER = "case_officer"
    REVIEWER = "reviewer"
    SOCIAL_WORKER = "social_worker"
    AUDITOR = "auditor"
    ANALYST = "analyst"
    """Impact of law variants and statistics, never a person's file."""
