"""Build the site, serve it on loopback and open it in Debian's Chromium.

Why one module: the tests, the PDF export and the bench all need the same three things, and
they must do them the same way (the same strict build, a server that compresses like GitHub
Pages, the same Chromium flags), or a figure or a test would describe a different site.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from scripts import project
from scripts.browser.locate import BrowserMissing, chromium_path
from scripts.browser.server import serve
from scripts.common.net import free_port

ROOT = project.ROOT
MKDOCS = Path(sys.executable).parent / "mkdocs"  # the venv's, whichever Python runs this
# `make serve`'s dev server: `--dirty` turns on incremental rebuilds (scripts/build/incremental.py).
# The bench and the serve test start it with these arguments (a test checks the Makefile's).
SERVE_ARGS = ("serve", "--dirty")
# Without the background-networking flags Chromium tries Google's hosts at every start.
# The resolver rule makes every host but loopback unresolvable, so a request that leaves the
# site fails at once (and is seen by the tests) instead of waiting on the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def build_site(
    dest: Path,
    site_url: str,
    config: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real strict build, as `make html` does, into `dest`."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [str(MKDOCS), "build", "--strict", "-d", str(dest)]
    if config is not None:
        cmd += ["-f", str(config)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (never `playwright install`), for the
    length of the block. Only one may run at a time: Playwright's sync API cannot start inside
    another, so pass the browser along instead."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()  # BrowserMissing, with the one line to act on, if none
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    return url.startswith(("file://", "http://127.0.0.1", "data:", "blob:", "about:"))


__all__ = [
    "CHROMIUM_ARGS",
    "MKDOCS",
    "ROOT",
    "SERVE_ARGS",
    "BrowserMissing",
    "build_site",
    "chromium",
    "free_port",
    "is_local",
    "serve",
]
