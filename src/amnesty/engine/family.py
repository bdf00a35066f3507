"""The engine name of the rules every law's engine may use: the generic part of `amnesty.engine`
(categories from the Code, term arithmetic, tri-state answers) registers under `SHARED`. Each law's own
rules are registered by its package under the engine name its pack gives (`engine:` in pack.yaml;
`amnesty.engine.laws`)."""

from __future__ import annotations

SHARED = "shared"
"""Rules every law's engine may use (C1: the category from the Criminal Code's sanction)."""
