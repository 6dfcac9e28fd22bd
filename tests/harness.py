"""The browser test harness every browser test shares.

Why it is shaped like this: the site is built once per test run and served on the port its
`site_url` names (Material's instant navigation only intercepts URLs listed in the sitemap,
so another port would silently fall back to full page loads). One Chromium is shared; each
visit gets a fresh context that records every request and console message, and opens the
closed shadow roots Material draws diagrams into, so tests can see the rendered <svg>.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
# Material attaches the rendered diagram to a *closed* shadow root; open it for inspection.
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(dest: Path, site_url: str, docs_dir: Path | None = None,
               config: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real strict build, as `make build` does, into `dest`."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(dest)]
    if config is not None:
        cmd += ["-f", str(config)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, port: int) -> Iterator[str]:
    """Serve a built site over http on 127.0.0.1 for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site: Path) -> list[str]:
    """Every content page of a built site, as paths relative to its root."""
    skip = ("assets/", "print/", "search/", "css/", "js/")
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(skip)
        and p.name not in ("404.html", "print_page.html")
    )


def is_local(url: str) -> bool:
    return url.startswith(("file://", "http://127.0.0.1", "data:", "blob:", "about:"))


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


def wait_for_diagrams(page, timeout: float = 20000) -> None:
    """Wait until Material has replaced every `pre.mermaid` with a rendered diagram."""
    page.wait_for_function(
        "() => document.querySelectorAll('pre.mermaid').length === 0", timeout=timeout)


def diagram_svgs(page) -> list[dict]:
    """The rendered diagrams: their text and whether mermaid reported an error."""
    return page.evaluate("""() => [...document.querySelectorAll('div.mermaid')].map(d => {
        const root = d.shadowRoot; const svg = root && root.querySelector('svg');
        return {svg: !!svg, text: svg ? svg.textContent : '',
                error: !!(root && root.querySelector('.error-icon, .error-text'))};
    })""")
