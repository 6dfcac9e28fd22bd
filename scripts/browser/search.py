"""Type learner queries into the site's real search box, read the first hit, time the answer.

Why one module for the test and the bench: both must drive search the way a reader does (press
"/", type, read the first result), and both must know when Material has answered the *last*
keystroke rather than an earlier prefix. Material sends one query to its search worker per
keyup that changes the box and re-renders the whole result list for every answer, so an
in-page recorder counts queries sent and answers rendered: the box has settled when the two
are equal. The latency of a query is measured in the page (performance.now() timeline): from
the keydown of its last character to the MutationObserver seeing the first result item.

Why the prefix is inserted, not typed: each keystroke is a full search, and the one- and
two-letter prefixes match every page; typed key by key, 100 queries took over two minutes per
mode on this machine and tested nothing the final query does not. The prefix goes in as one
text insertion (no keyup, so Material ignores it, like a paste it has not seen yet) and the
last character is a real key press, so exactly one search runs, started by Material's own
keyup handler, and its latency is what a reader waits after their last key.

Command line: `python -m scripts.browser.search [SITE_DIR]` serves a built site (default
`site/`) and prints median/p90/max over http and file://.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scripts import project
from scripts.common.datafile import DataError, load_rows, require

ROOT = project.ROOT
CASES_FILE = project.SEARCH_QUERIES
SETTLE_TIMEOUT_MS = 15000
WARM_UP = "kubectl"  # on nearly every page: a query the ready index always answers

# Installed once per page after search is ready. `sent` mirrors Material's own rule (one
# query per keyup/focus that changes the value); `rendered` counts answers (each one rewrites
# the result meta line); `shownAt` stamps every result item when it enters the list.
RECORDER_JS = """() => {
  const input = document.querySelector("input.md-search__input");
  const meta = document.querySelector(".md-search-result__meta");
  const list = document.querySelector(".md-search-result__list");
  const state = {sent: 0, rendered: 0, value: input.value, keyAt: 0, shownAt: new WeakMap()};
  const changed = () => {
    if (input.value !== state.value) { state.value = input.value; state.sent += 1; }
  };
  input.addEventListener("keyup", changed);
  input.addEventListener("focus", changed);
  input.addEventListener("keydown", ev => { state.keyAt = ev.timeStamp; });
  new MutationObserver(records => {
    state.rendered += records.filter(r => r.addedNodes.length > 0).length;
  }).observe(meta, {childList: true});
  new MutationObserver(() => {
    const now = performance.now();
    for (const item of list.children) if (!state.shownAt.has(item)) state.shownAt.set(item, now);
  }).observe(list, {childList: true});
  window.__searchBench = {
    // Before each query: an answer drawn meanwhile (on file:// the index can finish loading
    // and redraw the placeholder after search opened) must not count for the next query.
    reset: () => { state.sent = 0; state.rendered = 0; state.value = input.value; },
    settled: () => state.sent > 0 && state.rendered >= state.sent,
    first: () => {
      const item = list.querySelector(".md-search-result__item");
      if (!item) return {href: null, ms: null};
      return {href: item.querySelector("a").href, ms: state.shownAt.get(item) - state.keyAt};
    },
  };
}"""


@dataclass(frozen=True)
class SearchCase:
    """One learner query and the page that must come first for it."""

    query: str
    expected: str
    why: str


@dataclass(frozen=True)
class SearchOutcome:
    """What the search box showed first for a query, and how long the last key took."""

    query: str
    first: str | None
    ms: float | None


def load_cases(path: Path = CASES_FILE) -> list[SearchCase]:
    """Read the query file; every field must be a non-empty string (quote numbers in YAML)."""
    cases = []
    for row in load_rows(path):
        require(row, ("query", "expected", "why"))
        for field in ("query", "expected", "why"):
            if not isinstance(row.data[field], str):
                raise row.error(field, "must be a string (quote it)")
        cases.append(SearchCase(row.data["query"], row.data["expected"], row.data["why"]))
    return cases


def relative_path(href: str, base_url: str) -> str:
    """A result link as a site path (`networking/kube-proxy.html`), without query or anchor."""
    parts = urlsplit(href)
    path = parts._replace(query="", fragment="").geturl()
    return path[len(base_url) :] if path.startswith(base_url) else path


def open_search(page) -> None:
    """Open search with the "/" shortcut and wait until the first (empty) answer is shown.

    On file:// Material builds the index only when search opens, so this also waits for it.
    """
    meta = page.locator(".md-search-result__meta")
    initial = meta.inner_text()
    page.keyboard.press("/")
    page.wait_for_function(
        "t => document.querySelector('.md-search-result__meta').innerText.trim() !== t",
        arg=initial.strip(),
        timeout=SETTLE_TIMEOUT_MS,
    )
    # The placeholder can show before the index answers (file://: it is built when search
    # opens): one query that must find something proves it answers. Its answer is drawn
    # before the recorder starts, so it is never counted for a real query.
    page.keyboard.type(WARM_UP)
    page.wait_for_selector(".md-search-result__item", timeout=SETTLE_TIMEOUT_MS)
    page.evaluate(RECORDER_JS)


def _settle(page) -> None:
    page.wait_for_function("() => window.__searchBench.settled()", timeout=SETTLE_TIMEOUT_MS)


def search(page, base_url: str, query: str) -> SearchOutcome:
    """Replace the box's text with the query, end with a real key press, return the first hit."""
    page.evaluate("() => window.__searchBench.reset()")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(query[:-1])
    page.keyboard.type(query[-1])
    _settle(page)
    first = page.evaluate("() => window.__searchBench.first()")
    href = first["href"]
    return SearchOutcome(query, relative_path(href, base_url) if href else None, first["ms"])


def run_queries(page, base_url: str, queries: list[str]) -> list[SearchOutcome]:
    """Run every query in one page: open search once, then replace the text for each."""
    open_search(page)
    return [search(page, base_url, query) for query in queries]


def measure(browser, base_url: str, queries: list[str] | None = None) -> dict[str, float]:
    """Milliseconds from last keystroke to first result, per query, on `base_url`index.html."""
    queries = queries if queries is not None else [c.query for c in load_cases()]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "index.html", wait_until="load")
        outcomes = run_queries(page, base_url, queries)
    finally:
        context.close()
    return {o.query: o.ms for o in outcomes if o.ms is not None}


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 = p95) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(timings: dict[str, float]) -> dict[str, float]:
    """Median, 90th and 95th percentile and maximum of a set of timings."""
    values = sorted(timings.values())
    return {
        "median": statistics.median(values),
        "p90": percentile(values, 0.9),
        "p95": percentile(values, 0.95),
        "max": values[-1],
    }


def time_to_ready(browser, base_url: str) -> float:
    """Milliseconds from pressing "/" on a freshly loaded page (no hover first, so no
    prefetch: the worst case of the index loaded on demand) to search answering."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "index.html", wait_until="load")
        page.evaluate("""() => { window.__readyAt = null;
            new MutationObserver(() => { if (window.__readyAt === null)
                window.__readyAt = performance.now(); })
            .observe(document.querySelector(".md-search-result__meta"), {childList: true});
            document.addEventListener("keydown", ev => { window.__keyAt = ev.timeStamp; },
                                      {capture: true, once: true}); }""")
        page.keyboard.press("/")
        page.wait_for_function("() => window.__readyAt !== null", timeout=SETTLE_TIMEOUT_MS)
        return page.evaluate("() => window.__readyAt - window.__keyAt")
    finally:
        context.close()


def main(argv: list[str]) -> int:
    from scripts.browser import site as localsite

    site = Path(argv[0]) if argv else ROOT / "site"
    if not (site / "index.html").is_file():
        print(f"no built site in {site} (run `make build`)", file=sys.stderr)
        return 2
    with localsite.serve(site, localsite.free_port()) as url, localsite.chromium() as browser:
        for mode, base in (("http", url), ("file", site.resolve().as_uri() + "/")):
            stats = summary(measure(browser, base))
            print(
                f"search latency {mode:4}: "
                + ", ".join(f"{k} {v:.1f} ms" for k, v in stats.items())
            )
            print(f"search ready after '/' {mode:4}: {time_to_ready(browser, base):.0f} ms")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except DataError as exc:
        sys.exit(str(exc))
