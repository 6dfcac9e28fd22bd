"""Find the Chromium (or Chrome) the build, the tests and the PDF drive.

Why a module of its own, standard library only: `scripts.preflight` must find the browser
before the virtual environment exists, and every later step must then use the very same
binary. `CHROMIUM_PATH` overrides the search; when it is set it must point at a program.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Debian/Ubuntu packages, Chrome's Linux packages, snap, then macOS app bundles.
CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _runnable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def find_chromium(env: dict[str, str] | None = None) -> str | None:
    """The browser to use, or None. `CHROMIUM_PATH` wins (and is None if it is not runnable);
    `CHROMIUM_CANDIDATES` (os.pathsep-separated) replaces the built-in list of places."""
    env = os.environ if env is None else env
    if env.get("CHROMIUM_PATH"):
        return env["CHROMIUM_PATH"] if _runnable(env["CHROMIUM_PATH"]) else None
    if env.get("CHROMIUM_CANDIDATES") is not None:
        places = [p for p in env["CHROMIUM_CANDIDATES"].split(os.pathsep) if p]
    else:
        places = [*CANDIDATES, *(shutil.which(n) or "" for n in NAMES)]
    return next((p for p in places if p and _runnable(p)), None)


class BrowserMissing(RuntimeError):
    """No browser: the message is the one line a person needs."""


MISSING = (
    "Chromium not found: install it (Debian/Ubuntu: apt-get install chromium) "
    "or set CHROMIUM_PATH=/path/to/chromium-or-chrome"
)


def chromium_path() -> str:
    found = find_chromium()
    if found is None:
        raise BrowserMissing(MISSING)
    return found
