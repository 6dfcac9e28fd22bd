"""Where things are, and which Kubernetes versions this site is about.

Why one module: the repository root used to be computed in seventeen places and the Kubernetes
version typed in six; a moved folder or a version bump then broke something no test looked at.
Every path and version the code needs comes from here. The versions themselves live in
`data/versions.yaml`, the one file a release bump edits; MkDocs gets them as `config.extra`
through the build hook, so templates and pages read the same values.

Standard library only: `scripts.preflight` imports this before the virtual environment exists.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = ROOT / "data"
NOTES = ROOT / "notes" / "kubernetes-notes.txt"
OVERRIDES = ROOT / "overrides"
NODE_MODULES = ROOT / "node_modules"
CACHE = ROOT / ".cache"
SITE = ROOT / "site"
MKDOCS_YML = ROOT / "mkdocs.yml"
VERSIONS_FILE = DATA / "versions.yaml"
SEARCH_QUERIES = DATA / "search-queries.yaml"


@dataclass(frozen=True)
class Versions:
    """The Kubernetes minors the site names (strings such as "1.37")."""

    latest: str
    supported: tuple[str, ...]
    exam: str
    exam_source: str
    exam_checked: str


def _scalar(text: str, key: str) -> str:
    match = re.search(rf'^\s*{key}:\s*"?([^"\n#]+?)"?\s*(?:#.*)?$', text, re.M)
    if not match:
        raise ValueError(f"{VERSIONS_FILE}: no `{key}:` entry")
    return match.group(1).strip()


@functools.cache
def versions(path: Path = VERSIONS_FILE) -> Versions:
    """Read data/versions.yaml. A tiny reader of its own (not a YAML library) because the
    preflight runs before any package is installed; the file's shape is fixed and tested."""
    text = path.read_text(encoding="utf-8")
    supported = re.search(r"^supported:\s*\[([^\]]*)\]", text, re.M)
    if not supported:
        raise ValueError(f"{path}: no `supported: [...]` list")
    exam_block = text[text.index("\nexam:") :] if "\nexam:" in text else ""
    return Versions(
        latest=_scalar(text, "latest"),
        supported=tuple(v.strip().strip("\"'") for v in supported.group(1).split(",") if v.strip()),
        exam=_scalar(exam_block, "version"),
        exam_source=_scalar(exam_block, "source"),
        exam_checked=_scalar(exam_block, "checked"),
    )


# Every download the build publishes under site/downloads/: key -> (name part, suffix).
DOWNLOADS = {
    "pdf": ("", "pdf"),
    "epub": ("", "epub"),
    "flashcards-apkg": ("flashcards", "apkg"),
    "flashcards-csv": ("flashcards", "csv"),
    "offline-zip": ("offline", "zip"),
    "ports-csv": (None, "csv"),
    "ports-json": (None, "json"),
}


def download_name(key: str, version: str | None = None) -> str:
    """File name of a download, e.g. kubernetes-field-notes-v1.37-offline.zip: the version is
    in the name so a reader can tell two downloads apart. Every link to a download and every
    writer of one gets the name here, so a version bump cannot break a link."""
    part, suffix = DOWNLOADS[key]
    if part is None:  # data files named for what they hold
        return f"{key.split('-')[0]}.{suffix}"
    tail = f"-{part}" if part else ""
    return f"kubernetes-field-notes-v{version or versions().latest}{tail}.{suffix}"
