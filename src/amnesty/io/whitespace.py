"""The characters Python's `str.strip()` removes, for the column forms (Polars, Arrow) of code that
strips cells with it.

Polars' `strip_chars()` and Arrow's `utf8_trim_whitespace` without a set of characters strip fewer
(not the information separators U+001C to U+001F, which `str.isspace` counts), so a column check using
them would take as unchanged a cell that the row reader (`amnesty.io.assemble.convert_cell`) strips. A
test checks the set against `str.isspace` over every code point.
"""

from __future__ import annotations

PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
"""Every character for which `str.isspace()` is true."""
