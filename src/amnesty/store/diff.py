"""The difference between two decisions (or two input records) of one case, field by field.

Reason lists are compared by their codes; the per-language texts are left out (they follow the codes).
"""

from __future__ import annotations

from typing import Any

_DROPPED = frozenset({"texts", "text", "params", "title", "category_source"})


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key in _DROPPED:
                continue
            if key == "reasons" and isinstance(item, list):
                result[key] = sorted(str(r.get("code")) for r in item if isinstance(r, dict))
            else:
                result[key] = _normalise(item)
        return result
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    return value


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}[{index}]", out)
        if not value:
            out[prefix] = []
    else:
        out[prefix] = value


def flat_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """Every leaf that differs: `[{"field": "sentence.new_end_date", "before": ..., "after": ...}]`."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    if before is not None:
        _flatten(_normalise(before), "", old)
    _flatten(_normalise(after), "", new)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            changes.append({"field": key, "before": old.get(key), "after": new.get(key)})
    return changes


def decision_diff(
    previous: dict[str, Any] | None,
    previous_input: dict[str, Any] | None,
    decision: dict[str, Any],
    record: dict[str, Any],
) -> dict[str, Any] | None:
    """What changed since the previous decision of the case: its result and the facts it used."""
    if previous is None:
        return None
    return {
        "outcome": {"before": previous.get("outcome"), "after": decision.get("outcome")},
        "decision": flat_changes(previous, decision),
        "input": flat_changes(previous_input, record),
    }
