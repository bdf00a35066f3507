"""Law of the Republic of Kazakhstan of 7 December 2021 "On amnesty in connection with the thirtieth
anniversary of Independence" (pack `kz-2021-81-vii`; the normative reading is shared/spec/LAW-2021.md).

`pack.yaml` is the law as data (dates, rules, parameters, the sentences of its reasons);
`exclusion_lists.yaml` with `lists.py` the lists of Art. 4 sub-paragraphs 11-13; `vulnerability.py`
rule V1, `exclusions.py` X1-X13, `relief.py` R1-R9, `rules.py` the scope, the procedure and the order
of application, `questions.py` what a `needs_review` decision asks. Importing this package registers
its engine (`kz_2021_81_vii`)."""

from amnesty.law.packs.kz_2021_81_vii import rules as _rules  # noqa: F401  (registers the engine)
