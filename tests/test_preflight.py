"""`make serve`/`make test` start with the preflight: a missing browser is either installed
(Debian/Ubuntu as root) or named in one line, before anything else runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import project


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=project.ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_browser_pointed_at_nothing_stops_with_one_line() -> None:
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium"}
    result = _run([sys.executable, "-m", "scripts.preflight", "test"], env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Chromium not found" in lines[0] and "CHROMIUM_PATH" in lines[0]
    assert "apt-get install chromium" in lines[0]


def test_make_test_stops_before_any_setup_step() -> None:
    """The README's command itself: no pip, no npm, no pytest after the one line."""
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium", "MAKEFLAGS": ""}
    result = _run(["make", "--no-print-directory", "test"], env)
    assert result.returncode != 0
    assert "Chromium not found" in result.stderr
    assert "pip" not in result.stdout and "npm" not in result.stdout
    assert "pytest" not in result.stdout


@pytest.mark.skipif(
    not (Path("/etc/debian_version").exists() and os.geteuid() == 0),
    reason="the install path is taken on Debian/Ubuntu as root only",
)
def test_missing_browser_is_installed_with_apt_get(tmp_path: Path) -> None:
    """With no browser in the usual places, the preflight runs apt-get (a stand-in here that
    puts a browser where the search looks) and then finds it."""
    browser = tmp_path / "bin" / "chromium"
    fake = tmp_path / "fakebin"
    fake.mkdir()
    log = tmp_path / "apt.log"
    (fake / "apt-get").write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {log}\n'
        f'case "$1" in install) mkdir -p {browser.parent} && '
        f"printf '#!/bin/sh\\n' > {browser} && chmod +x {browser};; esac\n"
    )
    (fake / "apt-get").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CHROMIUM_PATH"}
    env.update(PATH=f"{fake}{os.pathsep}{env['PATH']}", CHROMIUM_CANDIDATES=str(browser))
    result = _run([sys.executable, "-m", "scripts.preflight", "serve"], env)
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("update") and "chromium" in calls[1].split()
    assert browser.is_file()
