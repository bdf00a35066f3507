"""Who may do what: the role sets of the API's endpoints (least privilege), and region limits.

| action | admin | case_officer | reviewer | social_worker | auditor |
|---|---|---|---|---|---|
| evaluate a record (stateless), statistics | yes | yes | yes | yes (own region's statistics) | yes |
| import records, edit and re-evaluate cases | yes | yes | - | - | - |
| read persons | yes | yes | yes | own region only | yes |
| read cases, decisions, history, review queue | yes | yes | yes | - | yes |
| record an override | yes | - | yes | - | - |
| read tasks | yes | yes | - | own region only | yes |
| update tasks | yes | - | - | own region only | - |
| read users, the audit log, verify the audit chain | yes | - | - | - | yes |
| create users, disable users | yes | - | - | - | - |
"""

from __future__ import annotations

from amnesty.auth.roles import Role
from amnesty.store.models import UserRow as User

ALL_ROLES = tuple(Role)
WRITE_CASES = (Role.ADMIN, Role.CASE_OFFICER)
READ_CASES = (Role.ADMIN, Role.CASE_OFFICER, Role.REVIEWER, Role.AUDITOR)
READ_PERSONS = (*READ_CASES, Role.SOCIAL_WORKER)
OVERRIDE = (Role.ADMIN, Role.REVIEWER)
READ_TASKS = (Role.ADMIN, Role.CASE_OFFICER, Role.SOCIAL_WORKER, Role.AUDITOR)
WRITE_TASKS = (Role.ADMIN, Role.SOCIAL_WORKER)
READ_AUDIT = (Role.ADMIN, Role.AUDITOR)
READ_USERS = (Role.ADMIN, Role.AUDITOR)
WRITE_USERS = (Role.ADMIN,)


def region_limit(user: User) -> str | None:
    """The region a user is confined to (social workers), or None (no limit)."""
    if Role(user.role) is Role.SOCIAL_WORKER:
        return user.region or "-"
    return None
