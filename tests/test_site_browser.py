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


def test_every_page_from_the_unzipped_offline_copy(browser, offline_site: Path,
                                                   pages: list[str]) -> None:
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
        if 'class="mermaid"' in text:
            return path
    pytest.fail("no page with a diagram")


def test_mermaid_loads_only_where_needed(browser, site_url: str,
                                         page_html: dict[str, str]) -> None:
    text_page = next(p for p, text in page_html.items() if 'class="mermaid"' not in text)
    with harness.visit(browser, site_url + text_page) as (_, record):
        assert not [u for u in record.requests if "mermaid.min.js" in u]
    with harness.visit(browser, site_url + _diagram_page(page_html)) as (_, record):
        assert [u for u in record.requests if "mermaid.min.js" in u]


def test_diagrams_render_as_the_reader_scrolls_to_them(browser, site_url: str,
                                                      page_html: dict[str, str]) -> None:
    """A reader pays for mermaid (~1 MiB over gzip, seconds of a phone's CPU) only when a
    diagram comes within a screen of view. Checked on the page whose first diagram is furthest
    down, without the tests' eager switch."""
    def first_diagram_at(path: str) -> int:  # characters of the article before it
        text = page_html[path]
        at = text.find('<pre class="mermaid">')
        return at - text.find("<article") if at >= 0 else -1

    path = max(page_html, key=first_diagram_at)
    with harness.visit(browser, site_url + path, eager=False, wait_diagrams=False) as (
            page, record):
        page.wait_for_load_state("networkidle")
        screens = page.evaluate("""() => document.querySelector('pre.mermaid')
                                   .getBoundingClientRect().top / innerHeight""")
        assert screens > 2.5, f"{path}: first diagram only {screens:.1f} screens down"
        mermaid = [u for u in record.requests if "mermaid.min.js" in u]
        assert mermaid == [], "mermaid was loaded before any diagram came near the screen"
        harness.view_diagrams(page)
        svgs = harness.diagram_svgs(page)
        assert svgs and all(s["svg"] and not s["error"] for s in svgs)
        assert [u for u in record.requests if "mermaid.min.js" in u]
        assert record.problems() == []


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_copy_button_palette_toggle_and_section_tabs_work(browser, site_url: str,
                                                          offline_site: Path,
                                                          scheme: str) -> None:
    """What a reader clicks, on the hosted site and in the unzipped offline copy."""
    base = site_url if scheme == "http" else offline_site.as_uri() + "/"
    with harness.visit(browser, base + "networking/services.html",
                       wait_diagrams=False) as (page, record):
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
        page.wait_for_load_state("load")
        assert "Storage" in page.locator("nav.md-tabs .md-tabs__item--active").inner_text()
        assert target and record.problems() == []


def test_palette_toggle_switches_diagrams_to_dark(browser, site_url: str,
                                                  page_html: dict[str, str]) -> None:
    # The colours actually painted: fill, stroke and text colour of the diagram's elements.
    fill = """() => { const d = document.querySelector('div.mermaid');
        return [...d.shadowRoot.querySelectorAll('svg *')].slice(0, 60).map(el => {
            const s = getComputedStyle(el); return [s.fill, s.stroke, s.color].join(' ');
        }).join('|'); }"""
    with harness.visit(browser, site_url + _diagram_page(page_html)) as (page, _):
        light = page.evaluate(fill)
        assert harness.switch_palette(page, "slate") == "slate"
        dark = page.evaluate(fill)
    assert light != dark


def test_instant_navigation_renders_diagrams(browser, site_url: str,
                                             page_html: dict[str, str]) -> None:
    target = "networking/services.html"  # linked from the home page, has diagrams
    assert 'class="mermaid"' in page_html[target]
    with harness.visit(browser, site_url + "index.html") as (page, record):
        page.evaluate("window.__same_document = true")
        page.locator(f'article a[href$="{target}"]').first.click()
        page.wait_for_function("(t) => location.pathname.endsWith('/' + t)", arg=target)
        page.wait_for_function("() => document.querySelector('div.mermaid')")
        harness.wait_for_diagrams(page)
        assert page.evaluate("window.__same_document === true"), "full page load, not instant"
        assert all(s["svg"] and not s["error"] for s in harness.diagram_svgs(page))
        assert record.problems() == []
