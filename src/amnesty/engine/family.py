"""Which rules the modules of `amnesty.engine` are: the generic part (categories from the Code, term
arithmetic, tri-state answers) is `SHARED`; the scope, exclusion, relief and resocialisation rules of
this package are Law 152-VII's, registered under the engine name its pack gives (`engine:
kz_2022_152_vii`). A law whose pack names another engine decides with that package's rules
(`amnesty.engine.laws`)."""

from __future__ import annotations

SHARED = "shared"
"""Rules every law's engine may use (C1: the category from the Criminal Code's sanction)."""

RULES_152 = "kz_2022_152_vii"
"""The engine name of the rules in this package that are Law 152-VII's (scope, exclusions, relief)."""
