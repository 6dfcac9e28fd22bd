"""The git revision a build or a measurement was made from.

Why: the site's footer, the PDF cover, the offline zip's README and the bench results all name
the revision they describe; one helper keeps them identical, and "unknown" (no git, or a copy
outside a checkout) never fails a build.
"""

from __future__ import annotations

import subprocess

from scripts import project


def git(*args: str, root=project.ROOT, timeout: float = 60) -> str | None:
    """stdout of `git ARGS` in `root`, or None when git is missing or fails (no checkout)."""
    try:
        out = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=timeout, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout


def git_revision() -> str:
    """Short hash of HEAD, or "unknown"."""
    return (git("rev-parse", "--short", "HEAD", timeout=5) or "").strip() or "unknown"
