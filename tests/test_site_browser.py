"""The built site in a real browser, over http and from file://, with no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.bench_search import run_queries
from tests import harness

pytestmark = pytest.mark.browser


def _check_pages(browser, base: str, pages: list[str]) -> tuple[list[str], int]:
    problems, diagrams = [], 0
    for url, page, record in harness.visit_many(browser, [base + p for p in pages]):
        path = url.removeprefix(base)
        svgs = harness.diagram_svgs(page)
        diagrams += len(svgs)
        problems += [f"{path}: {p}" for p in record.problems()]
        problems += [f"{path}: diagram {i} did not render" for i, s in enumerate(svgs)
                     if not s["svg"] or s["error"] or "Syntax error" in s["text"]]
    return problems, diagrams


def test_every_page_over_http(browser, site_url: str, pages: list[str]) -> None:
    problems, diagrams = _check_pages(browser, site_url, pages)
    assert problems == []
    assert diagrams > 0, "no diagram was rendered anywhere"


def test_every_page_from_the_unzipped_offline_copy(browser, offline_site: Path,
                                                   pages: list[str]) -> None:
    """Every non-file request is aborted: a page that needs the network shows up here."""
    problems, diagrams = _check_pages(browser, offline_site.as_uri() + "/", pages)
    assert problems == []
    assert diagrams > 0


def _diagram_page(built_site: Path, pages: list[str]) -> str:
    for path in pages:
        if 'class="mermaid"' in (built_site / path).read_text(encoding="utf-8"):
            return path
    pytest.fail("no page with a diagram")


def test_mermaid_loads_only_where_needed(browser, site_url: str, built_site: Path,
                                         pages: list[str]) -> None:
    text_page = next(p for p in pages
                     if 'class="mermaid"' not in (built_site / p).read_text(encoding="utf-8"))
    with harness.visit(browser, site_url + text_page) as (_, record):
        assert not [u for u in record.requests if "mermaid.min.js" in u]
    with harness.visit(browser, site_url + _diagram_page(built_site, pages)) as (_, record):
        assert [u for u in record.requests if "mermaid.min.js" in u]


def test_palette_toggle_switches_diagrams_to_dark(browser, site_url: str, built_site: Path,
                                                  pages: list[str]) -> None:
    # The colours actually painted: fill, stroke and text colour of the diagram's elements.
    fill = """() => { const d = document.querySelector('div.mermaid');
        return [...d.shadowRoot.querySelectorAll('svg *')].slice(0, 60).map(el => {
            const s = getComputedStyle(el); return [s.fill, s.stroke, s.color].join(' ');
        }).join('|'); }"""
    with harness.visit(browser, site_url + _diagram_page(built_site, pages)) as (page, _):
        light = page.evaluate(fill)
        for _ in range(3):
            if page.evaluate("document.body.dataset.mdColorScheme") == "slate":
                break
            page.locator("form[data-md-component=palette] label:visible").first.click()
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        dark = page.evaluate(fill)
    assert light != dark


def test_instant_navigation_renders_diagrams(browser, site_url: str, built_site: Path,
                                             pages: list[str]) -> None:
    target = "networking/services.html"  # linked from the home page, has diagrams
    assert 'class="mermaid"' in (built_site / target).read_text(encoding="utf-8")
    with harness.visit(browser, site_url + "index.html") as (page, record):
        page.evaluate("window.__same_document = true")
        page.locator(f'article a[href$="{target}"]').first.click()
        page.wait_for_function("(t) => location.pathname.endsWith('/' + t)", arg=target)
        page.wait_for_function("() => document.querySelector('div.mermaid')")
        harness.wait_for_diagrams(page)
        assert page.evaluate("window.__same_document === true"), "full page load, not instant"
        assert all(s["svg"] and not s["error"] for s in harness.diagram_svgs(page))
        assert record.problems() == []


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_search_finds_services_page_by_body_word(browser, site_url: str, offline_site: Path,
                                                 scheme: str) -> None:
    base = site_url if scheme == "http" else offline_site.as_uri() + "/"
    with harness.visit(browser, base + "index.html", wait_diagrams=False) as (page, record):
        (outcome,) = run_queries(page, base, ["externalTrafficPolicy"])
        assert outcome.first == "networking/services.html"
        assert record.problems() == []
