"""The floors of the package: which layer may import which (issue 21, item 7), read from the source
with `ast` (every `import` and `from ... import`, at module level or inside a function).

The direction is domain <- law <- engine <- store <- service <- api / web / cli, with the audit above
the store and the renderers beside the domain. Where a floor is not reached yet, the modules still
crossing it are listed by name (`_STILL_CROSSING`): a new crossing fails, and so does a listed one
that no longer crosses (the list only shrinks). Alembic's revision scripts (`store/migrations`) are
history run by Alembic, not modules of the store, and are not read.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from amnesty.store import queries

SOURCE = Path(__file__).resolve().parents[1] / "src" / "amnesty"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "amnesty" else ""


def _edges() -> dict[str, set[str]]:
    """Each module of the package and the layers of `amnesty` it imports (its own excepted)."""
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        module = _module_name(path)
        if ".store.migrations." in module:
            continue
        layers = {_layer(target) for target in _imports(path) if target.startswith("amnesty.")}
        found[module] = layers - {_layer(module), ""}
    return found


EDGES = _edges()

_FORBIDDEN: dict[str, frozenset[str]] = {
    "domain": frozenset({"law", "engine", "store", "audit", "service", "api", "web", "cli", "jobs"}),
    "engine": frozenset({"store", "audit", "service", "api", "web", "cli", "jobs"}),
    "store": frozenset({"audit", "engine", "service", "api", "web", "cli", "jobs"}),
    "audit": frozenset({"service", "api", "web", "cli", "jobs"}),
    "service": frozenset({"api", "web", "cli"}),
    "api": frozenset({"store", "engine", "audit", "web", "cli"}),
    "render": frozenset({"engine", "web", "store", "service", "api", "cli"}),
}
"""Layers each layer must not import."""

_STILL_CROSSING: dict[tuple[str, str], frozenset[str]] = {
    # storing and evaluating a case appends its audit events (person, case, decision, task, import)
    ("store", "audit"): frozenset({"amnesty.store.cases"}),
    # the store evaluates what it stores (`evaluate`); the service should, then store
    ("store", "engine"): frozenset({"amnesty.store.cases", "amnesty.store.bulk"}),
    # a reason's words come from the engine's message templates, not from the decision and law data
    ("render", "engine"): frozenset({"amnesty.render.decisions"}),
    # a vocabulary word is a web catalogue msgid (`web.labels.VOCABULARY`, `web.i18n.translations`)
    ("render", "web"): frozenset({"amnesty.render.vocabulary"}),
}
"""Floors not reached yet: the modules that still cross them, by name."""


def _crossing(layer: str, below: str) -> set[str]:
    return {module for module, layers in EDGES.items() if _layer(module) == layer and below in layers}


@pytest.mark.parametrize(
    ("layer", "other"),
    [(layer, other) for layer, others in _FORBIDDEN.items() for other in sorted(others)],
)
def test_a_layer_does_not_import_a_layer_it_must_not(layer: str, other: str) -> None:
    assert _crossing(layer, other) == set(_STILL_CROSSING.get((layer, other), frozenset()))


def test_the_modules_are_read() -> None:
    """The walk sees the package (a wrong path would make every floor hold)."""
    assert "amnesty.store.queries" in EDGES
    assert "amnesty.api.routes_cases" in EDGES
    assert "domain" in EDGES["amnesty.store.queries"]
    assert "service" in EDGES["amnesty.api.routes_cases"]


def test_the_store_queries_return_typed_views() -> None:
    """No query of `amnesty.store.queries` returns `Any` or a dict of anything: each names what it
    returns (`amnesty.store.views`, a row of the store, a condition)."""
    public = [
        (name, function)
        for name, function in inspect.getmembers(queries, inspect.isfunction)
        if function.__module__ == queries.__name__ and not name.startswith("_")
    ]
    assert len(public) > 10
    for name, function in public:
        returned = str(inspect.signature(function).return_annotation)
        assert returned != str(inspect.Signature.empty), name
        assert "Any" not in returned, (name, returned)
