"""Russian and Kazakh words in the vocabulary columns of a file (`amnesty.domain.vocabulary_words`).

A file that says `Отбывает наказание`, `әйел` or `УК 1997` decides as the same file with the codes
(every output file the same bytes, on the columnar path and on the validating one); a word no
vocabulary knows is refused, naming the row and the field in the reader's language.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import polars as pl
import pytest

from amnesty.batch.process import RunSettings
from amnesty.batch.run import run_batch
from amnesty.batch.typed import cell_check, column_field, field_rule
from amnesty.domain.vocabulary_words import EXTRA_WORDS, LABELLED, UNLABELLED, VocabularyReader, codes, words
from amnesty.io.columns import ALL_COLUMNS
from amnesty.io.json_records import RecordError
from amnesty.io.tabular import read_records
from amnesty.render.vocabulary import term
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry

FILES = ("decisions.parquet", "decisions.csv", "decisions.jsonl.zst", "rejected.csv", "summary.json")

COLUMNS = {
    "stage": "stage",
    "role": "role",
    "recidivism": "recidivism",
    "category": "category",
    "context": "context",
    "sentence_punishment": "punishment",
    "code": "code",
    "damage": "damage",
    "sex": "sex",
}
"""Each vocabulary column of the flat layout and the vocabulary it holds."""


@pytest.mark.parametrize("kind", sorted(LABELLED | UNLABELLED))
def test_every_code_and_word_reads_as_its_code(kind: str) -> None:
    reader = VocabularyReader(kind)
    table = words(kind)  # raises when a word would name two codes
    for code in codes(kind):
        assert reader(code) == code
        spellings = list(EXTRA_WORDS.get(kind, {}).get(code, ()))
        if kind in LABELLED:
            spellings += [term(kind, code, language) for language in ("ru", "kk", "en")]
        assert spellings, f"{kind}: {code} has no word"
        for spelling in spellings:
            assert reader(f"  {spelling.upper()} ") == code, spelling
    assert reader("no such word") == "no such word"
    assert set(table.values()) == codes(kind)


@pytest.mark.parametrize(
    ("kind", "spelling", "code"),
    [
        ("code", "УК 2014", "kz-2014"),
        ("code", "2014", "kz-2014"),
        ("code", "УК РК 1997", "kz-1997"),
        ("code", "ук казсср 1959", "kazssr-1959"),
        ("damage", "Нет ущерба", "none"),
        ("damage", "возмещен", "repaid"),
        ("damage", "не возмещён", "outstanding"),
        ("sex", "Женский", "female"),
        ("sex", "м", "male"),
        ("sex", "ӘЙЕЛ", "female"),
        ("sex", "ер", "male"),
        ("stage", "отбывает наказание", "serving"),
        ("punishment", "Бас бостандығынан айыру", "imprisonment"),
    ],
)
def test_the_words_clerks_write(kind: str, spelling: str, code: str) -> None:
    assert VocabularyReader(kind)(spelling) == code


def test_each_vocabulary_field_reads_words() -> None:
    """Every enum field of the record's flat columns has the reader, and `COLUMNS` names them all."""
    read: dict[str, str] = {}
    for column in ALL_COLUMNS:
        model, name = column_field(column)
        rule = field_rule(model, name)
        if isinstance(rule.kind, type) and issubclass(rule.kind, Enum):
            readers = [
                c.func for c in rule.constraints if isinstance(getattr(c, "func", None), VocabularyReader)
            ]
            assert len(readers) == 1, column
            read[column] = readers[0].kind
            assert codes(readers[0].kind) == {member.value for member in rule.kind}, column
    assert read == COLUMNS


@pytest.mark.parametrize("column", sorted(COLUMNS))
def test_codes_take_the_columnar_path_and_words_are_declined(column: str) -> None:
    """The typed check takes a code as it is and declines a word: its person goes the validating way."""
    kind = COLUMNS[column]
    members = sorted(codes(kind))
    spelt = [_word(kind, code, index).strip() for index, code in enumerate(members)]
    frame = pl.DataFrame({column: members + spelt})
    checked = frame.select(cell_check(column, frame, pl.lit(True), {}).alias("ok"))["ok"].to_list()
    assert checked == [True] * len(members) + [False] * len(spelt)


def _word(kind: str, code: str, index: int) -> str:
    """A word for the code, in Russian or Kazakh (by row), oddly cased and padded."""
    if kind in LABELLED:
        spelling = term(kind, code, ("ru", "kk")[index % 2])
    else:
        choices = [word for word in EXTRA_WORDS[kind][code] if not word.isascii()]  # Cyrillic ones
        spelling = choices[index % len(choices)]
    return f" {spelling.upper() if index % 3 == 0 else spelling} "


def _registries(tmp_path: Path) -> tuple[Path, Path]:
    """The same persons twice: with codes, and with words in every vocabulary column."""
    source = tmp_path / "source.csv"
    write_registry(generate(Preset.JANUARY, 240, seed=7), source, facts=True)
    frame = pl.read_csv(source, infer_schema=False)
    persons = frame["person_id"].rank("dense").cast(pl.Int64)
    rows = pl.int_range(pl.len())
    frame = frame.with_columns(
        sex=persons.map_elements(lambda i: ("female", "male", None)[i % 3], return_dtype=pl.String),
        role=persons.map_elements(lambda i: sorted(codes("role"))[i % 3], return_dtype=pl.String),
        code=rows.map_elements(
            lambda i: ("kz-2014", "kz-1997", "kazssr-1959", None)[i % 4], return_dtype=pl.String
        ),
        damage=rows.map_elements(
            lambda i: (None, "none", "repaid", "outstanding")[i % 4], return_dtype=pl.String
        ),
    )
    with_codes = tmp_path / "codes.csv"
    frame.write_csv(with_codes)
    spelt = frame.with_columns(
        pl.struct(column, persons.alias("_index"))
        .map_elements(
            lambda cell, column=column: (
                None if cell[column] is None else _word(COLUMNS[column], cell[column], cell["_index"])
            ),
            return_dtype=pl.String,
        )
        .alias(column)
        for column in COLUMNS
    )
    for column in COLUMNS:  # every column holds words now, none holds a code
        assert not spelt[column].drop_nulls().str.strip_chars().is_in(sorted(codes(COLUMNS[column]))).any()
        assert spelt[column].drop_nulls().len() > 0, column
    with_words = tmp_path / "words.csv"
    spelt.write_csv(with_words)
    return with_codes, with_words


@pytest.mark.parametrize("fast_path", [True, False])
def test_words_decide_as_codes(tmp_path: Path, fast_path: bool) -> None:
    with_codes, with_words = _registries(tmp_path)
    settings = RunSettings(fast_path=fast_path)
    by_codes = run_batch(with_codes, tmp_path / "codes", settings, jobs=1, rows_per_chunk=200)
    by_words = run_batch(with_words, tmp_path / "words", settings, jobs=1, rows_per_chunk=200)
    assert by_codes.rows_rejected == 0
    assert (by_words.rows_decided, by_words.rows_rejected) == (by_codes.rows_decided, 0)
    for name in FILES:
        if name == "summary.json":
            continue  # it names its input file
        assert (tmp_path / "words" / name).read_bytes() == (tmp_path / "codes" / name).read_bytes(), name


def test_an_unknown_word_names_row_and_field_in_the_readers_language(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "person_id,stage,article,offence_date,sex,code,damage\n"
        "P-1,Отбывает наказание,272,2022-01-05,әйел,УК 2014,нет ущерба\n"
        "P-2,В тюрьме,272,2022-01-05,,,\n"
        "P-3,Тергеу,272,2022-01-05,,УК 1984,\n",
        encoding="utf-8",
    )
    items = list(read_records(path))
    errors = [item for item in items if isinstance(item, RecordError)]
    assert [(error.line, error.errors[0].field) for error in errors] == [(3, "stage"), (4, "code")]
    assert errors[0].errors[0].message("ru").startswith("Стадия дела: недопустимое значение")
    assert errors[0].errors[0].message("kk").startswith("Іс сатысы: рұқсат етілмеген мән")
