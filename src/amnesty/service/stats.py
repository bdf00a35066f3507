"""Use cases of the overview: statistics (dashboard counts) and the releases due, in SQL; both kept
for the register's current version (`amnesty.service.snapshot`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.service.results import CaseSummary, Statistics
from amnesty.service.snapshot import kept
from amnesty.store import queries


def statistics(db: Session, user: Actor, law: str | None = None) -> Statistics:
    """Counts by outcome (engine's and in effect), stage, charge category, region, person role,
    releases by region, open reviews and tasks by status; a social worker's own region only. With
    `law`, the decisions counted are those in force under that law (`queries.statistics`)."""
    require(user, Action.READ_STATS)
    limit = region_limit(user)
    return kept(
        db,
        "statistics",
        (limit, law),
        lambda: queries.statistics(db, limit, law),
    )


def releases_due(db: Session, user: Actor, limit: int = 10, law: str | None = None) -> list[CaseSummary]:
    """Cases whose newest decision (with `law`, whose decision in force under that law) releases the
    person: at once first, then by the new end date."""
    require(user, Action.READ_PERSONS)
    region = region_limit(user)
    return kept(
        db,
        "releases_due",
        (region, limit, law),
        lambda: queries.releases_due(db, region, limit, law),
    )
