"""Facts printed under every page: when it last changed (from git) and where to edit it.

Why from git, and why one call: the date a reader needs is when the page's text last changed,
which only the history knows; one `git log` over docs/ and data/ gives every file's last commit
date at once (one call per page cost a second per 60 pages on a loaded machine). A shallow
clone or a copy outside git would give a wrong date (the clone's single commit for every page),
so there the date is left out rather than guessed. CI checks out the full history.
"""

from __future__ import annotations

from pathlib import Path

from scripts import project
from scripts.common.gitinfo import git

# Pages whose text is generated from data files: they change when those files do.
GENERATED_FROM = {
    "reference/glossary.md": ("data/glossary/",),
    "reference/ports.md": ("data/ports.yaml",),
}


def parse_log(log: str) -> dict[str, str]:
    """`git log --format=%x00%cs --name-only` output -> path -> date of its newest commit."""
    dates: dict[str, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith("\0"):
            date = line[1:].strip()
        elif line.strip() and date:
            dates.setdefault(line.strip(), date)  # newest first: keep the first date seen
    return dates


def last_updated(root: Path = project.ROOT, docs: str = "docs") -> dict[str, str]:
    """Docs page (path under docs/, e.g. "workloads/pods.md") -> YYYY-MM-DD it last changed.
    Empty in a shallow clone or outside git."""
    if (git("rev-parse", "--is-shallow-repository", root=root) or "").strip() != "false":
        return {}
    log = git("log", "--format=%x00%cs", "--name-only", "--", docs, "data", root=root)
    if log is None:
        return {}
    files = parse_log(log)
    prefix = docs.rstrip("/") + "/"
    pages = {path[len(prefix) :]: date for path, date in files.items() if path.startswith(prefix)}
    for page, sources in GENERATED_FROM.items():
        dates = [d for path, d in files.items() if path.startswith(sources)]
        if page in pages and dates:
            pages[page] = max([pages[page], *dates])
    return pages
