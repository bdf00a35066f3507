"""Law No. 152-VII of 2 November 2022 "On Amnesty" (the January 2022 events; the normative reading is
shared/spec/LAW.md).

`pack.yaml` is the law as data (dates, the article list, exclusions, the relief table, parameters);
`scope.py` rules S1-S4, `exclusions.py` X1-X9, `relief.py` R1-R8 and N1, `resocialisation.py` T1,
`rules.py` the several-charges rule M1 and the order of application (`decide`), `questions.py` what a
`needs_review` decision asks. Importing this package registers its engine (`kz_2022_152_vii`,
`names.ENGINE`), with the rules the bulk run's columnar screen evaluates."""

from amnesty.law.packs.kz_2022_152_vii import rules as _rules  # noqa: F401  (registers the engine)
