"""The git revision a build or a measurement was made from.

Why: the site's footer, the PDF cover, the offline zip's README and the bench results all name
the revision they describe; one helper keeps them identical, and "unknown" (no git, or a copy
outside a checkout) never fails a build.
"""

from __future__ import annotations

import subprocess

from scripts import project


def git_revision() -> str:
    """Short hash of HEAD, or "unknown"."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=project.ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"
