"""`reevaluate_all` on the chunked runner: worker processes decide the batches while the calling
process stores them, and the stored decisions are the ones the in-process path stores; a case edited
after its batch was decided is decided again on its facts of now."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from amnesty.batch.process import RunSettings
from amnesty.batch.run import decide_batches
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord
from amnesty.law.loader import deep_merge, load_law, raw_pack
from amnesty.store.cases import reevaluate_all
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.demo import seed_records
from amnesty.store.migrate import upgrade
from amnesty.store.models import Case, ChargeRow, DecisionRow, Person

PERSONS = 150


def _seeded(path: Path) -> Any:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(url, engine=engine)
    with make_sessionmaker(engine)() as db:
        from amnesty.law.loader import default_law

        seed_records(db, default_law(), PERSONS)
        db.commit()
    return engine


def _variant(tmp_path: Path) -> Path:
    pack = deep_merge(raw_pack(), {"relief": {"reduction": {"grave": "1/2", "medium": "1/2"}}})
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    return path


def _history(engine: Any) -> list[tuple[Any, ...]]:
    with make_sessionmaker(engine)() as db:
        rows = db.execute(
            select(
                Person.person_id,
                DecisionRow.sequence,
                DecisionRow.outcome,
                DecisionRow.law_version,
                DecisionRow.decision,
                DecisionRow.input_record,
                DecisionRow.diff,
            )
            .join(Case, Case.id == DecisionRow.case_fk)
            .join(Person, Person.id == Case.person_fk)
            .order_by(Person.person_id, DecisionRow.sequence)
        )
        return [tuple(row) for row in rows]


def test_worker_processes_store_what_the_calling_process_stores(tmp_path: Path) -> None:
    variant = _variant(tmp_path)
    law = load_law(variant)
    here, pool = _seeded(tmp_path / "here.sqlite3"), _seeded(tmp_path / "pool.sqlite3")
    try:
        with make_sessionmaker(here)() as db:
            alone = reevaluate_all(db, "tester", law=law, batch_size=40)
        settings = RunSettings(law_pack=str(variant))
        with make_sessionmaker(pool)() as db:
            pooled = reevaluate_all(
                db,
                "tester",
                law=law,
                batch_size=40,
                decide=partial(decide_batches, settings=settings, jobs=2),
            )
        assert alone == pooled
        assert pooled.cases == PERSONS
        assert pooled.new_decisions > 0
        assert pooled.changed_outcomes > 0
        assert _history(here) == _history(pool)
    finally:
        here.dispose()
        pool.dispose()


def test_a_case_edited_after_its_batch_was_decided_is_decided_on_its_new_facts(tmp_path: Path) -> None:
    engine = _seeded(tmp_path / "edited.sqlite3")
    try:
        with make_sessionmaker(engine)() as db:
            first = db.scalars(select(Case).order_by(Case.id).limit(1)).one()
            person_id = first.person.person_id
            db.expunge_all()

            def decide_then_edit(batches: Iterator[list[CaseRecord]]) -> Iterator[list[Decision]]:
                settings = RunSettings()
                for decisions in decide_batches(batches, settings, jobs=1):
                    charge = db.scalars(
                        select(ChargeRow).join(Case).where(Case.id == first.id).order_by(ChargeRow.position)
                    ).first()
                    assert charge is not None
                    charge.article, charge.part, charge.category = 293, 1, "medium"
                    db.flush()
                    yield decisions

            result = reevaluate_all(db, "tester", batch_size=25, decide=decide_then_edit)
        assert result.cases == PERSONS
        newest = [row for row in _history(engine) if row[0] == person_id][-1]
        assert newest[5]["charges"][0]["article"] == 293
        assert newest[4]["charges"][0]["article"] == 293
    finally:
        engine.dispose()
