"""The names Law 152-VII's rules register under: the engine (this package's name, which the pack's
`engine:` names) and the law's short citation."""

from __future__ import annotations

ENGINE = "kz_2022_152_vii"
"""The engine name of this package's rules (`amnesty.engine.rules.implements(..., engine=ENGINE)`)."""

CITES = "Law 152-VII"
"""How the rules of this law cite it."""
