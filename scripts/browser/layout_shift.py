"""How far a page's content moves after its first paint: Cumulative Layout Shift, read in the
page itself with a PerformanceObserver, with the elements that moved.

Why here: the tour of every page (tests/test_layout_shift.py) and `make bench` (the text and
diagram pages) must measure it the same way. Install LAYOUT_SHIFTS_INIT as an init script
(before any page script runs), load the page, then read `layout_shift(page)`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Every shift not right after a reader's input (as the CLS metric counts them).
LAYOUT_SHIFTS_INIT = """
window.__fnShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__fnShifts.push({value: entry.value, at: Math.round(entry.startTime),
      moved: (entry.sources || []).map((s) => {
        const n = s.node;
        if (!n) return "(removed node)";
        if (n.nodeType !== 1) return "text in " + (n.parentElement ? n.parentElement.tagName : "?");
        return n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") +
          (n.classList.length ? "." + [...n.classList].join(".") : "");
      })});
  }
}).observe({type: "layout-shift", buffered: true});
"""


@dataclass(frozen=True)
class LayoutShift:
    """The page's cumulative layout shift so far and what moved ("value at ms: elements")."""

    cls: float
    shifts: list[str]


def layout_shift(page) -> LayoutShift:
    """What LAYOUT_SHIFTS_INIT recorded on the page open in `page` (Playwright) so far."""
    entries = page.evaluate("window.__fnShifts || []")
    return LayoutShift(
        sum(e["value"] for e in entries),
        [f"{e['value']:.4f} at {e['at']} ms: {', '.join(e['moved'][:4])}" for e in entries],
    )
