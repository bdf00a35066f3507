"""Law of the Republic of Kazakhstan of 7 December 2021 "On amnesty in connection with the thirtieth
anniversary of Independence" (pack `kz-2021-81-vii`): the exclusion lists of Article 4 sub-paragraphs
11-13 in `exclusion_lists.yaml` with their matcher in `lists.py`; the normative reading in
shared/spec/LAW-2021.md."""
