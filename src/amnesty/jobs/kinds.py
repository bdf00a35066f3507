"""The closed vocabularies of jobs and who may start and see them, read from the one policy
(`amnesty.service.policy`: actions IMPORT, REEVALUATE, IMPACT_REGISTER, SEE_ALL_JOBS).

| job | admin | case_officer | reviewer | social_worker | auditor |
|---|---|---|---|---|---|
| import records (dry run or into the register) | yes | yes | - | - | - |
| re-evaluate the register | yes | yes | - | - | - |
| impact of a law variant over the register | yes | yes | yes | - | - |
| see a job | its creator; admins and auditors see every job |
"""

from __future__ import annotations

from enum import StrEnum

from amnesty.auth.roles import Role
from amnesty.service.policy import PERMISSIONS, Action


class JobKind(StrEnum):
    """What a job does."""

    IMPORT = "import"
    REEVALUATE = "reevaluate"
    IMPACT = "impact"


class JobStatus(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True once the job will not change any more."""
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


START_ROLES: dict[JobKind, frozenset[Role]] = {
    JobKind.IMPORT: PERMISSIONS[Action.IMPORT],
    JobKind.REEVALUATE: PERMISSIONS[Action.REEVALUATE],
    JobKind.IMPACT: PERMISSIONS[Action.IMPACT_REGISTER],
}
"""Who may start each kind of job."""

SEE_ALL_JOBS = PERMISSIONS[Action.SEE_ALL_JOBS]
"""Who sees every user's jobs (everyone else sees the jobs they started)."""

USE_JOBS = frozenset().union(*START_ROLES.values()) | SEE_ALL_JOBS
"""Who may use the jobs pages and endpoints at all (the auditor starts none, and sees every one)."""


def may_start(role: Role | str, kind: JobKind) -> bool:
    """Whether a user of the role may start a job of the kind."""
    return Role(role) in START_ROLES[kind]


def may_see(role: Role | str, username: str, created_by: str) -> bool:
    """Whether the user may see a job created by `created_by`."""
    return Role(role) in SEE_ALL_JOBS or (Role(role) in USE_JOBS and username == created_by)
