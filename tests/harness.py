"""The browser test harness every browser test shares.

Why it is shaped like this: the site is built once per test run and served on the port its
`site_url` names (Material's instant navigation only intercepts URLs listed in the sitemap,
so another port would silently fall back to full page loads). One Chromium is shared; each
visit gets a fresh context that records every request and console message. Diagrams are inline
SVG in the page (rendered at build time): there is nothing to wait for.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from scripts.browser.layout_shift import (  # noqa: F401 - re-exported for the tests
    LAYOUT_SHIFTS_INIT,
    LayoutShift,
    layout_shift,
)
from scripts.browser.site import (  # noqa: F401 - re-exported for the tests
    ROOT,
    build_site,
    chromium,
    free_port,
    is_local,
    serve,
)


def page_paths(site: Path) -> list[str]:
    """Every content page of a built site, as paths relative to its root."""
    skip = ("assets/", "print/", "search/", "css/", "js/")
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(skip)
        and p.name not in ("404.html", "print_page.html")
    )


@dataclass
class Visit:
    """What one page load did: requests made, requests blocked, console errors."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def off_disk(self) -> list[str]:
        """Requests an offline copy opened from file:// must not make (loopback included:
        the tests' own http server would answer them)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:", "about:"))]

    def problems(self) -> list[str]:
        return [f"console: {m}" for m in self.console_errors] + [
            f"external request: {u}" for u in self.blocked
        ]

    def problems_in(self, mode: str) -> list[str]:
        """problems(), and for the offline copy (mode "file") every request off the disk."""
        return self.problems() + (self.off_disk() if mode == "file" else [])


def _new_context(browser, color_scheme: str):
    return browser.new_context(color_scheme=color_scheme)


def _record(page) -> list[Visit]:
    """Record the page's requests and console errors into the last Visit of the list returned
    (append a new Visit to start recording another load in the same tab).

    Every request that leaves the site is recorded as blocked: Chromium resolves no host but
    loopback (see CHROMIUM_ARGS), so it fails at once. No Playwright route is used: routing
    turns off the HTTP cache and sends every request through Python, which made each page
    visit several times slower.
    """
    visits = [Visit()]

    def on_request(request) -> None:
        visits[-1].requests.append(request.url)
        if not is_local(request.url):
            visits[-1].blocked.append(request.url)

    page.on("request", on_request)
    page.on(
        "console", lambda m: visits[-1].console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: visits[-1].console_errors.append(str(e)))
    return visits


def base_for(scheme: str, site_url: str, offline_site: Path) -> str:
    """The site's root URL as a reader opens it: the hosted site ("http") or the unzipped
    offline copy ("file")."""
    return site_url if scheme == "http" else offline_site.as_uri() + "/"


PAINTED = "() => !document.documentElement.classList.contains('fn-fonts-wait')"


def wait_until_painted(page) -> None:
    """Wait until a page's diagrams are shown: they stay unpainted until the labels' font is
    decoded, which can end after `load` (overrides/main.html). Measurements of a diagram, and
    a reader's look at one, come after this."""
    page.wait_for_function(PAINTED, timeout=15000)


def _open(context, url: str):
    """Start loading `url` in a new tab that records its requests and console errors."""
    page = context.new_page()
    visits = _record(page)
    page.goto(url, wait_until="commit")
    return page, visits[-1]


@contextlib.contextmanager
def visit(browser, url: str, color_scheme: str = "light"):
    """Open one page in a fresh context and yield (page, record) once it has loaded."""
    context = _new_context(browser, color_scheme)
    try:
        page, record = _open(context, url)
        page.wait_for_load_state("load")
        wait_until_painted(page)
        yield page, record
    finally:
        context.close()


def tour(
    browser,
    base: str,
    paths: list[str],
    init_script: Path | None = None,
    color_scheme: str = "light",
    init_js: str = "",
):
    """Yield (path, page, record) for every page, loaded one after another in one tab.

    Why one tab: measured on 20 pages, one reused tab costs 80 CPU-s against 125 for a new tab
    per page, three loading at a time. The tab keeps whatever palette the caller last emulated.
    """
    context = _new_context(browser, color_scheme)
    if init_script is not None:
        context.add_init_script(path=str(init_script))
    if init_js:
        context.add_init_script(init_js)
    try:
        page = context.new_page()
        visits = _record(page)
        for path in paths:
            visits.append(Visit())
            page.goto(base + path, wait_until="load")
            wait_until_painted(page)
            yield path, page, visits[-1]
    finally:
        context.close()


def page_problems(path: str, page, record: Visit) -> tuple[list[str], int]:
    """What is wrong with a loaded page (console errors, requests that left the site, any
    request for mermaid, diagrams without their SVG), and how many diagrams it has."""
    svgs = diagram_svgs(page)
    problems = [f"{path}: {p}" for p in record.problems()]
    problems += [f"{path}: requested {u}" for u in record.requests if "mermaid" in u.lower()]
    problems += [
        f"{path}: diagram {i} has no SVG"
        for i, s in enumerate(svgs)
        if not s["svg"] or s["error"] or "Syntax error" in s["text"]
    ]
    if page.evaluate("typeof window.mermaid !== 'undefined'"):
        problems.append(f"{path}: window.mermaid is defined")
    return problems, len(svgs)


def diagram_svgs(page) -> list[dict]:
    """Each diagram figure: whether the palette on show has its <svg>, its text, whether
    mermaid drew an error, and what assistive technology reads of it (role, roledescription,
    title, desc)."""
    return page.evaluate("""() => [...document.querySelectorAll('figure.fn-diagram')].map(fig => {
        const svg = [...fig.querySelectorAll('svg.fn-diagram__svg')]
          .find(s => getComputedStyle(s).display !== 'none');
        const ref = (attr) => {
          const id = svg && svg.getAttribute(attr);
          const el = id && document.getElementById(id);
          return el ? el.textContent : '';
        };
        return {svg: !!svg, text: svg ? svg.textContent : '',
                error: !!(svg && svg.querySelector('.error-icon, .error-text')),
                role: (svg && svg.getAttribute('role')) || '',
                roledescription: (svg && svg.getAttribute('aria-roledescription')) || '',
                title: ref('aria-labelledby'), desc: ref('aria-describedby')};
    })""")


def squash(text: str) -> str:
    """White space runs as one space, ends trimmed: text compared across HTML, SVG and PDF."""
    return " ".join(text.split())


def switch_palette(page, to: str | None = None) -> str:
    """Click the palette toggle, as a reader does, until the page shows palette `to` (or any
    other than the current one); return it. The toggle cycles system preference -> light ->
    dark, so it takes up to three clicks."""
    start = page.evaluate("document.body.dataset.mdColorScheme")
    for _ in range(3):
        shown = page.evaluate("document.body.dataset.mdColorScheme")
        if (shown == to) if to else (shown != start):
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    return page.evaluate("document.body.dataset.mdColorScheme")
