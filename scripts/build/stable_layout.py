"""Markup that Material's JavaScript would otherwise add after the first paint, added at build
time instead, so nothing on a page moves once it is drawn.

Why: Material wraps every `<table>` without a class in two `div`s (a scroll box with negative
side margins, and an inline-block with a bottom margin) when its bundle runs, which is after
the first paint; the wrapped table is 15.6 px taller (measured at 412 and 1280 px), so every
block under a table jumped down on pages with a table on the first screen. Wrapping here gives
the first paint the final geometry. Material's bundle still wraps the table once more, inside
ours (it selects `table:not([class])` wherever it is); `extra.css` makes that inner pair
`display: contents`, so it draws no box and changes nothing (DESIGN.md row, guarded by the
layout-shift tour in tests/test_layout_shift.py).
"""

from __future__ import annotations

import re

# A Markdown table: `<table>` with no class attribute (code tables of line numbers carry one,
# and Material leaves those alone too), up to its end (Markdown tables never nest).
TABLE = re.compile(r"<table(?![^>]*\sclass=)(?:\s[^>]*)?>.*?</table>", re.S)
WRAP_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
WRAP_CLOSE = "</div></div>"


def wrap_tables(html: str) -> str:
    """Each Markdown table in Material's scroll wrapper, as its bundle would wrap it."""
    return TABLE.sub(lambda m: WRAP_OPEN + m.group(0) + WRAP_CLOSE, html)
