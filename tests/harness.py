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


@contextlib.contextmanager
def visit(browser, url: str, color_scheme: str = "light", wait_diagrams: bool = True):
    """Open `url` in a fresh context; every non-local request is aborted and recorded."""
    context = browser.new_context(color_scheme=color_scheme)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    record = Visit()

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            record.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda req: record.requests.append(req.url))
    page.on("console",
            lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    try:
        page.goto(url, wait_until="load")
        if wait_diagrams:
            wait_for_diagrams(page)
        yield page, record
    finally:
        context.close()


def diagram_svgs(page) -> list[dict]:
    """The rendered diagrams: their text and whether mermaid reported an error."""
    return page.evaluate("""() => [...document.querySelectorAll('div.mermaid')].map(d => {
        const root = d.shadowRoot; const svg = root && root.querySelector('svg');
        return {svg: !!svg, text: svg ? svg.textContent : '',
                error: !!(root && root.querySelector('.error-icon, .error-text'))};
    })""")
