"""Nothing on a page moves once it is drawn: Cumulative Layout Shift under 0.01 on
every page, read from the one tour of every page over http (tests/conftest.py, `http_tour`).

What used to move, and what keeps it still (DESIGN.md, "Layout shift"): web fonts arriving
after the first paint re-wrapped whole paragraphs (screen text is now in the reader's own
interface font; only diagram labels use a web font, inside their render-blocking stylesheet,
and stay unpainted until it is decoded); Material's bundle wrapped tables in its scroll box
after the first paint, 15.6 px taller (scripts/build/stable_layout.py wraps them at build
time); the bundle's swap of html.no-js for html.js showed the search box and restyled the
page (done in the head).

The tour loads pages from a local server, where Material's bundle (deferred) is there at once
and may run before the first paint; on a slow connection the page is drawn first. So each page
kind is also loaded with the bundle held back, checked to be painted before it arrived, and
measured the same way.
"""

from __future__ import annotations

import re
import time

import pytest

from scripts.build import stable_layout
from tests import harness

pytestmark = pytest.mark.browser

CLS_BAR = 0.01  # Lighthouse calls under 0.1 "good"; a page that never moves measures 0
# A page of each kind must be in the tour, or the bar says nothing about that kind.
PAGE_KINDS = {
    "text": "start-here/namespaces.html",
    "diagram": "networking/services.html",
    "reference table": "reference/ports.html",
    "study (questions index)": "reference/questions.html",
    "study (exam guide)": "exam-guide/cka.html",
    "drill": "drills/workloads.html",
    "table on the first screen": "exam-guide/index.html",  # at 392-488 px from the top
}


def test_no_page_moves_after_its_first_paint(http_tour: dict) -> None:
    assert set(PAGE_KINDS.values()) <= set(http_tour), "a page kind is missing from the tour"
    moved = [
        f"{path}: CLS {audit.shift.cls:.4f}: " + " | ".join(audit.shift.shifts)
        for path, audit in sorted(http_tour.items())
        if audit.shift.cls >= CLS_BAR
    ]
    assert moved == []


# On a slow connection a page is drawn before Material's bundle (deferred, overrides/main.html)
# has arrived; whatever the bundle then changes moves the page under the reader's eyes. Served
# locally the bundle is there at once and runs before the first paint, so the tour cannot see
# that: here it is held back, and the test checks that the paint did come first.
BUNDLE = "**/assets/javascripts/bundle.*.min.js"
HOLD_SECONDS = 0.6
PAINTED_BEFORE_BUNDLE = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const bundle = performance.getEntriesByType("resource")
    .find((r) => /bundle\\.[^/]*\\.js$/.test(r.name));
  return paint && bundle ? [paint.startTime, bundle.responseEnd] : null;
}"""


@pytest.mark.parametrize("width", [412, 1280])
def test_no_page_kind_moves_when_the_bundle_arrives_late(
    browser, site_url: str, width: int
) -> None:
    def late(route) -> None:
        time.sleep(HOLD_SECONDS)
        route.continue_()

    context = browser.new_context(viewport={"width": width, "height": 823})
    context.add_init_script(harness.LAYOUT_SHIFTS_INIT)
    context.route(BUNDLE, late)
    moved = []
    try:
        page = context.new_page()
        for kind, path in PAGE_KINDS.items():
            page.goto(site_url + path, wait_until="load")
            page.wait_for_function("() => window.document$ !== undefined", timeout=10000)
            page.wait_for_timeout(500)
            paint, bundle = page.evaluate(PAINTED_BEFORE_BUNDLE)
            assert paint < bundle, f"{kind}: first paint at {paint} ms, bundle at {bundle} ms"
            shift = harness.layout_shift(page)
            if shift.cls >= CLS_BAR:
                moved.append(f"{kind} {path}: CLS {shift.cls:.4f}: " + " | ".join(shift.shifts))
    finally:
        context.close()
    assert moved == []


# A banner inserted at the top of the content once the page has loaded: what Material's
# dismissable announce bar, a late script or a late font does to everything under it.
LATE_BANNER = """
addEventListener("load", () => setTimeout(() => {
  const bar = document.createElement("p");
  bar.textContent = "A late banner that pushes the page down.";
  bar.style.cssText = "height: 80px; margin: 0";
  document.querySelector(".md-content__inner").prepend(bar);
}, 100));
"""


def test_the_bar_catches_a_late_banner(browser, site_url: str) -> None:
    """The same recorder and bar as the tour, on a page with a planted late banner: it must
    fail it (and pass the page without the banner)."""
    context = browser.new_context()
    context.add_init_script(harness.LAYOUT_SHIFTS_INIT)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE_KINDS["text"], wait_until="load")
        page.wait_for_timeout(300)
        clean = harness.layout_shift(page)
        context.add_init_script(LATE_BANNER)
        page.goto(site_url + PAGE_KINDS["text"], wait_until="load")
        page.wait_for_function("() => (window.__fnShifts || []).length > 0", timeout=5000)
        planted = harness.layout_shift(page)
    finally:
        context.close()
    assert clean.cls < CLS_BAR, clean.shifts
    assert planted.cls >= CLS_BAR, planted.shifts


def test_tables_arrive_wrapped(page_html: dict[str, str]) -> None:
    """Every Markdown table of every page is inside Material's scroll box in the HTML itself."""
    bare = re.compile(r"(?<!<div class=\"md-typeset__table\">)<table(?![^>]*\sclass=)[\s>]")
    unwrapped = [path for path, text in page_html.items() if bare.search(text)]
    assert unwrapped == []
    assert stable_layout.wrap_tables('<p>x</p><table class="highlighttable"></table>') == (
        '<p>x</p><table class="highlighttable"></table>'
    )
    assert stable_layout.wrap_tables("<table>\n<tr><td>1</td></tr>\n</table>").startswith(
        stable_layout.WRAP_OPEN
    )
