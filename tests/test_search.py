"""Search puts THE answer first for the queries learners type, in the real search box.

Why: learners search for flags, ports, component names and error words (`--cpu-percent`,
`30000`, `kube-proxy`, `CrashLoopBackOff`), and Material's lunr search ranks by raw term
statistics: a tokeniser or boost change can silently send them to the wrong page. The queries
and the page each must open first live in tests/search_queries.yaml. Each goes into the search
box of one page per mode the way scripts/bench_search.py drives it (the text so far inserted,
the last character a real key press; no reload between queries), over http and from file://,
where search runs in an iframe shim instead of a web worker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.browser.search import SearchCase, SearchOutcome, load_cases, run_queries
from tests import harness

CASES = load_cases()
MIN_CASES = 30


def test_query_file_names_real_pages(pages: list[str]) -> None:
    """A renamed page or a typo in the data file fails here, not as a puzzling search miss."""
    queries = [case.query for case in CASES]
    assert len(CASES) >= MIN_CASES
    assert sorted({q for q in queries if queries.count(q) > 1}) == []
    assert sorted({case.expected for case in CASES} - set(pages)) == []


def _misses(cases: list[SearchCase], outcomes: list[SearchOutcome]) -> list[str]:
    return [f"{case.query!r}: first result {outcome.first or '(none)'}, "
            f"expected {case.expected} ({case.why})"
            for case, outcome in zip(cases, outcomes, strict=True)
            if outcome.first != case.expected]


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["http", "file"])
def test_first_result_is_the_answer(browser, site_url: str, offline_site: Path, mode: str) -> None:
    base = site_url if mode == "http" else offline_site.as_uri() + "/"
    with harness.visit(browser, base + "index.html") as (page, record):
        outcomes = run_queries(page, base, [case.query for case in CASES])
        problems = record.problems() + (record.off_disk() if mode == "file" else [])
    misses = _misses(CASES, outcomes)
    assert not misses, (f"{len(misses)} of {len(CASES)} queries put another page first "
                        f"({mode}):\n" + "\n".join(misses))
    assert problems == []
