"""The browser test harness every browser test shares.

Why it is shaped like this: the site is built once per test run and served on the port its
`site_url` names (Material's instant navigation only intercepts URLs listed in the sitemap,
so another port would silently fall back to full page loads). One Chromium is shared; each
visit gets a fresh context that records every request and console message, and opens the
closed shadow roots Material draws diagrams into, so tests can see the rendered <svg>.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from scripts.localsite import (  # noqa: F401 - re-exported for the tests
    CHROMIUM,
    CHROMIUM_ARGS,
    OPEN_SHADOW_ROOTS,
    ROOT,
    build_site,
    free_port,
    is_local,
    launch_chromium,
    serve,
    wait_for_diagrams,
)


def page_paths(site: Path) -> list[str]:
    """Every content page of a built site, as paths relative to its root."""
    skip = ("assets/", "print/", "search/", "css/", "js/")
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(skip)
        and p.name not in ("404.html", "print_page.html")
    )


@dataclass
class Visit:
    """What one page load did: requests made, requests blocked, console errors."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"console: {m}" for m in self.console_errors] + [
            f"external request: {u}" for u in self.blocked]


def _new_context(browser, color_scheme: str):
    context = browser.new_context(color_scheme=color_scheme)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    return context


def _open(context, url: str):
    """Start loading `url` in a new tab that records its requests and console errors.

    Every request that leaves the site is recorded as blocked: Chromium resolves no host but
    loopback (see CHROMIUM_ARGS), so it fails at once. No Playwright route is used: routing
    turns off the HTTP cache and sends every request through Python, which made each page
    visit several times slower.
    """
    page = context.new_page()
    record = Visit()

    def on_request(request) -> None:
        record.requests.append(request.url)
        if not is_local(request.url):
            record.blocked.append(request.url)

    page.on("request", on_request)
    page.on("console",
            lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    page.goto(url, wait_until="commit")
    return page, record


def _settle(page, wait_diagrams: bool) -> None:
    page.wait_for_load_state("load")
    if wait_diagrams:
        wait_for_diagrams(page)


@contextlib.contextmanager
def visit(browser, url: str, color_scheme: str = "light", wait_diagrams: bool = True):
    """Open one page in a fresh context and yield (page, record) once it has settled."""
    context = _new_context(browser, color_scheme)
    try:
        page, record = _open(context, url)
        _settle(page, wait_diagrams)
        yield page, record
    finally:
        context.close()


def visit_many(browser, urls: list[str], color_scheme: str = "light", tabs: int = 3):
    """Yield (url, page, record) for every URL, loading `tabs` pages at a time.

    Why: a page visit is mostly the browser's own work (Material's bundle, the search index,
    mermaid), so a few tabs loading side by side keep both cores busy; one context per call
    lets the pages share the HTTP cache the way a reader's browser does.
    """
    context = _new_context(browser, color_scheme)
    try:
        for start in range(0, len(urls), tabs):
            batch = [(url, *_open(context, url)) for url in urls[start:start + tabs]]
            for url, page, record in batch:
                try:
                    _settle(page, wait_diagrams=True)
                    yield url, page, record
                finally:
                    page.close()
    finally:
        context.close()


def diagram_svgs(page) -> list[dict]:
    """The rendered diagrams: their text and whether mermaid reported an error."""
    return page.evaluate("""() => [...document.querySelectorAll('div.mermaid')].map(d => {
        const root = d.shadowRoot; const svg = root && root.querySelector('svg');
        return {svg: !!svg, text: svg ? svg.textContent : '',
                error: !!(root && root.querySelector('.error-icon, .error-text'))};
    })""")
