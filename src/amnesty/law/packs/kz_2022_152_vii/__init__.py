"""Law No. 152-VII of 2 November 2022 "On Amnesty" (the January 2022 events): `pack.yaml` is the law as
data; its rules are the modules of `amnesty.engine` registered under this package's name (scope,
exclusions, relief, resocialisation; `amnesty.engine.family.RULES_152`), and importing this package
registers its engine."""

from amnesty.engine import evaluate as _rules  # noqa: F401  (registers the engine of this law)
