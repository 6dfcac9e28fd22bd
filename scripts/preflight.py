"""Before `make serve` or `make test` does anything: are the system programs there?

Why: without this, a machine with no browser ended `make test` in 35 Playwright tracebacks.
The build renders diagrams in Chromium and the tests read PDFs with poppler and check the
EPUB with epubcheck, so these are needed from the first step. On Debian/Ubuntu as root the
missing packages are installed (as CI needs); anywhere else the run stops at once with one
line saying what to install.

Standard library only: it runs with the system Python, before the virtual environment exists.
Usage: `python3 -m scripts.preflight serve|test`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.browser.locate import MISSING, find_chromium

MIN_PYTHON = (3, 11)
# Debian's epubcheck is an executable jar: run through java, it needs no binfmt handler.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_command() -> list[str] | None:
    """How to run epubcheck (the tests validate the EPUB with it), or None."""
    java = shutil.which("java")
    if java and EPUBCHECK_JAR.is_file():
        return [java, "-jar", str(EPUBCHECK_JAR)]
    found = shutil.which("epubcheck")
    return [found] if found else None


def missing(purpose: str) -> list[tuple[str, str]]:
    """(Debian package, one-line message) for each program that is not there."""
    out: list[tuple[str, str]] = []
    if find_chromium() is None:
        out.append(("chromium", MISSING))
    if shutil.which("node") is None or shutil.which("npm") is None:
        out.append(
            (
                "nodejs npm",
                "Node.js 20 and npm not found: install them (apt-get install nodejs npm)",
            )
        )
    if purpose == "test" and shutil.which("pdfinfo") is None:
        out.append(
            ("poppler-utils", "poppler not found: install it (apt-get install poppler-utils)")
        )
    if purpose == "test" and epubcheck_command() is None:
        out.append(("epubcheck", "epubcheck not found: install it (apt-get install epubcheck)"))
    return out


def can_install() -> bool:
    """Debian/Ubuntu, as root, and the caller did not pick a browser of their own."""
    return (
        Path("/etc/debian_version").exists()
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("apt-get") is not None
        and not os.environ.get("CHROMIUM_PATH")
    )


def main(argv: list[str]) -> int:
    purpose = argv[0] if argv else "test"
    if sys.version_info < MIN_PYTHON:
        print(
            f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed "
            f"(this is {sys.version.split()[0]})",
            file=sys.stderr,
        )
        return 1
    needed = missing(purpose)
    if needed and can_install():
        packages = " ".join(p for p, _ in needed).split()
        print(f"preflight: installing {' '.join(packages)} with apt-get", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        steps = (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        )
        for step in steps:
            if subprocess.run(step, env=env, check=False).returncode != 0:
                print(f"preflight: `{' '.join(step)}` failed", file=sys.stderr)
                return 1
        needed = missing(purpose)
    for _, message in needed:
        print(message, file=sys.stderr)
    return 1 if needed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
