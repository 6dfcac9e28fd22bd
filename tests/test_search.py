"""Search puts THE answer first for the queries learners type, in the real search box.

Why: learners search for flags, ports, component names, error words, several words at once,
kubectl short names and with typos (`--cpu-percent`, `30000`, `kube-proxy`, `drain node`,
`svc`, `deploymnet`), and Material's lunr search ranks by raw term statistics: a tokeniser,
boost or query-rewriting change can silently send them to the wrong page. The queries and the
page each must open first live in data/search-queries.yaml. Each goes into the search box of
one page per mode the way scripts/browser/search.py drives it (the text so far inserted, the
last character a real key press; no reload between queries), over http and from file://,
where search runs in an iframe shim instead of a web worker.

The index is loaded on demand (docs/assets/javascripts/search.js): no page load may fetch it,
and the first search after the reader reaches for the box must work.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scripts.browser.search import SearchCase, SearchOutcome, load_cases, run_queries
from scripts.build.search_index import load_aliases
from tests import harness

CASES = load_cases()
MIN_CASES = 30
TEXT_PAGE = "start-here/namespaces.html"
# Requested over http (XMLHttpRequest) or run from disk (a script defining __index).
INDEX_LOADED = """() => typeof window.__index !== "undefined" || performance
    .getEntriesByType("resource").some(e => /search\\/search_index\\.js(on)?$/.test(e.name))"""
INDEX_FILE = {"http": "search/search_index.json", "file": "search/search_index.js"}


def test_query_file_names_real_pages(pages: list[str]) -> None:
    """A renamed page or a typo in the data file fails here, not as a puzzling search miss."""
    queries = [case.query for case in CASES]
    assert len(CASES) >= MIN_CASES
    assert sorted({q for q in queries if queries.count(q) > 1}) == []
    assert sorted({case.expected for case in CASES} - set(pages)) == []


def _misses(cases: list[SearchCase], outcomes: list[SearchOutcome]) -> list[str]:
    return [
        f"{case.query!r}: first result {outcome.first or '(none)'}, "
        f"expected {case.expected} ({case.why})"
        for case, outcome in zip(cases, outcomes, strict=True)
        if outcome.first != case.expected
    ]


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["http", "file"])
def test_first_result_is_the_answer(browser, site_url: str, offline_site: Path, mode: str) -> None:
    base = harness.base_for(mode, site_url, offline_site)
    with harness.visit(browser, base + "index.html") as (page, record):
        outcomes = run_queries(page, base, [case.query for case in CASES])
        problems = record.problems_in(mode)
    misses = _misses(CASES, outcomes)
    assert not misses, (
        f"{len(misses)} of {len(CASES)} queries put another page first "
        f"({mode}):\n" + "\n".join(misses)
    )
    assert problems == []


def test_every_alias_has_its_query() -> None:
    """data/search-aliases.yaml says which page an alias typed alone must find; the query set
    must test exactly that, so an alias cannot be added without its check."""
    expected = {case.query: case.expected for case in CASES}
    wrong = [
        f"{a.alias!r}: query set expects {expected.get(a.alias, '(no query)')}, alias file "
        f"says {a.page}"
        for a in load_aliases()
        if expected.get(a.alias) != a.page
    ]
    assert wrong == []


def test_index_previews_are_prose(built_site: Path) -> None:
    """Result previews come from each entry's `text`: no code (a whole manifest was shown),
    nothing empty; the code stays searchable in `code`; the offline copy is the same index."""
    raw = (built_site / INDEX_FILE["http"]).read_text(encoding="utf-8")
    index = json.loads(raw)
    docs = index["docs"]
    with_code = [d["location"] for d in docs if "<pre" in d["text"]]
    empty = [
        d["location"]
        for d in docs
        if not re.sub(r"<[^>]+>", "", d["text"]).strip() and "#" in d["location"]
    ]
    mermaid = [
        d["location"]
        for d in docs
        if re.search(r"\baccTitle:|flowchart (LR|TB|TD)", d["text"] + d.get("code", ""))
    ]
    assert (with_code, empty, mermaid) == ([], [], [])
    assert sum(1 for d in docs if d.get("code")) > 100
    assert "code" in index["config"]["fields"] and "keywords" in index["config"]["fields"]
    assert index["config"]["aliases"] == {a.alias: a.means for a in load_aliases()}
    offline = (built_site / INDEX_FILE["file"]).read_text(encoding="utf-8")
    assert offline == "var __index = " + raw


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["http", "file"])
def test_index_loads_on_first_interaction(
    browser, site_url: str, offline_site: Path, mode: str
) -> None:
    """No page load fetches the index (190 KiB gzip); hovering the box starts the download
    (http), and the first search right after works. Highlighted words do not look like links."""
    base = harness.base_for(mode, site_url, offline_site)
    with harness.visit(browser, base + TEXT_PAGE) as (page, record):
        page.wait_for_timeout(300)  # whatever the page starts right after its load event
        on_load = page.evaluate(INDEX_LOADED)
        page.hover(".md-search__form")
        if mode == "http":  # prefetch: the download starts before any key is pressed
            page.wait_for_function(INDEX_LOADED, timeout=5000)
        outcome = run_queries(page, base, ["drain node"])[0]
        mark = page.evaluate("""() => {
            const mark = document.querySelector(".md-search-result__list mark");
            if (!mark) return null;
            const style = getComputedStyle(mark), around = getComputedStyle(mark.parentElement);
            return {line: style.textDecorationLine, same: style.color === around.color};
        }""")
        problems = record.problems_in(mode)
    assert not on_load, f"the index was loaded with the page ({mode})"
    assert outcome.first == "maintenance/drain.html"
    assert mark == {"line": "none", "same": True}
    assert problems == []


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["http", "file"])
def test_shared_search_links_open_with_their_results(
    browser, site_url: str, offline_site: Path, mode: str
) -> None:
    """A shared search link (`?q=`, Material's search.share) opens search with the query and its
    results, and a page opened from a result (`?h=`) highlights the words: the index held until
    the reader shows intent (search.js) must be released for both, before any interaction."""
    base = harness.base_for(mode, site_url, offline_site)
    with harness.visit(browser, base + "index.html?q=drain+node") as (page, record):
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        query = page.input_value("input.md-search__input")
        first = page.eval_on_selector(".md-search-result__item a", "a => a.href")
        page.goto(base + "maintenance/drain.html?h=drain", wait_until="load")
        page.wait_for_function(
            "() => document.querySelectorAll('.md-content mark').length > 0", timeout=10000
        )
        problems = record.problems_in(mode)
    assert query == "drain node"
    assert "maintenance/drain.html" in first
    assert problems == []
