"""The built site in a real browser, over http and from file://, with no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import harness

pytestmark = pytest.mark.browser


def test_every_page_over_http(http_tour: dict) -> None:
    """Read from the one tour of every page over http (conftest), which axe also audits."""
    problems = [p for audit in http_tour.values() for p in audit.problems]
    assert problems == []
    assert sum(audit.diagrams for audit in http_tour.values()) > 0, "no diagram rendered"


def test_every_page_from_the_unzipped_offline_copy(
    browser, offline_site: Path, pages: list[str]
) -> None:
    """Every non-file request is aborted: a page that needs the network shows up here."""
    base = offline_site.as_uri() + "/"
    problems, diagrams = [], 0
    for path, page, record in harness.tour(browser, base, pages):
        found, count = harness.page_problems(path, page, record)
        problems += found + [f"{path}: request off the disk: {u}" for u in record.off_disk()]
        diagrams += count
    assert problems == []
    assert diagrams > 0


def _diagram_page(page_html: dict[str, str]) -> str:
    for path, text in page_html.items():
        if 'class="fn-diagram"' in text:
            return path
    pytest.fail("no page with a diagram")


def test_diagrams_are_in_the_page_and_no_mermaid_is_loaded(
    browser, site_url: str, page_html: dict[str, str]
) -> None:
    """Diagrams are inline SVG rendered at build time: visible at load, before any scrolling,
    with no script fetched for them (the tours also flag any request for mermaid)."""
    path = _diagram_page(page_html)
    with harness.visit(browser, site_url + path) as (page, record):
        page.wait_for_load_state("networkidle")
        svgs = harness.diagram_svgs(page)
        assert svgs and all(s["svg"] and not s["error"] for s in svgs)
        assert [u for u in record.requests if "mermaid" in u.lower()] == []
        assert page.evaluate("typeof window.mermaid") == "undefined"
        assert record.problems() == []
    assert not any(
        "mermaid.min.js" in text or "mermaid-loader" in text for text in page_html.values()
    )


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_copy_button_palette_toggle_and_section_tabs_work(
    browser, site_url: str, offline_site: Path, scheme: str
) -> None:
    """What a reader clicks, on the hosted site and in the unzipped offline copy."""
    base = harness.base_for(scheme, site_url, offline_site)
    with harness.visit(browser, base + "networking/services.html") as (page, record):
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.wait_for_load_state("networkidle")  # Material has added the copy buttons
        code = page.locator("div.highlight pre").first
        code.hover()
        code.locator("button[data-md-type=copy]").click()
        page.wait_for_selector(".md-dialog--active")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == code.locator("code").inner_text().strip()

        before = page.evaluate("document.body.dataset.mdColorScheme")
        assert harness.switch_palette(page) != before

        tab = page.locator("a.md-tabs__link", has_text="Storage")
        target = tab.get_attribute("href")
        tab.click()
        page.wait_for_function("() => location.pathname.includes('/storage/')")
        # Over http instant navigation changes the address before it swaps the page in, and
        # `load` fired long ago: wait for the swapped-in tab bar, not for an event.
        page.wait_for_function(
            """() => document.querySelector("nav.md-tabs .md-tabs__item--active")
                  ?.textContent.includes("Storage")""",
            timeout=10_000,
        )
        assert target and record.problems() == []


def test_palette_toggle_switches_diagrams_to_dark(
    browser, site_url: str, page_html: dict[str, str]
) -> None:
    # The colours actually painted: fill, stroke and text colour of the diagram's elements.
    fill = """() => { const d = [...document.querySelectorAll('svg.fn-diagram__svg')]
          .find(s => getComputedStyle(s).display !== 'none');
        return [...d.querySelectorAll('*')].slice(0, 60).map(el => {
            const s = getComputedStyle(el); return [s.fill, s.stroke, s.color].join(' ');
        }).join('|'); }"""
    with harness.visit(browser, site_url + _diagram_page(page_html)) as (page, _):
        light = page.evaluate(fill)
        assert harness.switch_palette(page, "slate") == "slate"
        dark = page.evaluate(fill)
    assert light != dark


def test_instant_navigation_renders_diagrams(
    browser, site_url: str, page_html: dict[str, str]
) -> None:
    target = "networking/services.html"  # linked from the home page, has diagrams
    assert 'class="fn-diagram"' in page_html[target]
    with harness.visit(browser, site_url + "index.html") as (page, record):
        page.evaluate("window.__same_document = true")
        page.locator(f'article a[href$="{target}"]').first.click()
        page.wait_for_function("(t) => location.pathname.endsWith('/' + t)", arg=target)
        page.wait_for_function("() => document.querySelector('figure.fn-diagram')")
        assert page.evaluate("window.__same_document === true"), "full page load, not instant"
        assert all(s["svg"] and not s["error"] for s in harness.diagram_svgs(page))
        assert record.problems() == []


# Material shows the section tabs from 1220 px; the widest grid is reached at 1600 px.
@pytest.mark.parametrize("width", [1220, 1440, 1920])
def test_every_section_tab_is_on_screen(browser, site_url: str, width: int) -> None:
    """Each section tab lies inside the visible tab bar: none is hidden past its edge, where
    only a sideways scroll with no scrollbar would reach it."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(site_url + "start-here/namespaces.html", wait_until="load")
        tabs = page.evaluate("""() => {
            const bar = document.querySelector(".md-tabs__list").getBoundingClientRect();
            return [...document.querySelectorAll(".md-tabs__item")].map((item) => {
                const r = item.getBoundingClientRect();
                const inside = r.left >= bar.left && r.right <= bar.right + 0.5
                    && r.top >= bar.top && r.bottom <= bar.bottom + 0.5;
                return [item.innerText.trim(), inside && r.right <= innerWidth];
            });
        }""")
    finally:
        page.close()
    assert len(tabs) >= 10, tabs
    assert [name for name, shown in tabs if not shown] == []
