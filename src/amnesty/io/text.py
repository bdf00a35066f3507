"""Text that can be stored and sent: no lone surrogates, which is also how undecodable bytes show.

A JSON string may hold a lone surrogate (`"\\ud800"`), and bytes that are not UTF-8, decoded with
`surrogateescape`, become lone surrogates too (U+DC80-U+DCFF). Neither can be encoded as UTF-8, so
a database, a JSON answer or a page holding one fails. Every text read from outside is checked here
(`text_problems` names the field of each), and what is stored about a refusal is made safe first
(`storable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

NOT_TEXT = "is not valid text (a lone surrogate, or bytes that are not UTF-8)"
"""The problem of a field holding such text (code `not_valid_text`)."""
NOT_TEXT_CODE = "not_valid_text"

_SURROGATE = re.compile("[\ud800-\udfff]")


def is_bad_text(value: str) -> bool:
    """True when the string holds a lone surrogate (it cannot be encoded as UTF-8)."""
    return not value.isascii() and _SURROGATE.search(value) is not None


def text_problems(value: Any, path: str = "") -> Iterator[str]:
    """The path of every string (or key) holding bad text in a decoded JSON value, e.g.
    `charges[0].article`, or `` (empty) for the value itself."""
    if isinstance(value, str):
        if is_bad_text(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            where = f"{path}.{name}" if path else name
            if is_bad_text(name):
                yield storable(where)
            else:
                yield from text_problems(item, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from text_problems(item, f"{path}[{index}]")


def storable(value: Any) -> Any:
    """The value with every lone surrogate in its strings (and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if is_bad_text(value) else value
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value
