"""The glossary: one set of data files, two outputs.

`data/glossary/*.yaml` is the single source for the glossary page and for the abbreviation
definitions appended to every page (hover text), so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.common.datafile import DataError, load_rows, require


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    page: str
    abbr: bool


def load_glossary(directory: Path, docs_dir: Path) -> list[Term]:
    """Read every glossary file; duplicate terms and links to missing pages are errors."""
    terms: dict[str, Term] = {}
    for path in sorted(directory.glob("*.yaml")):
        for row in load_rows(path):
            require(row, ("term", "definition", "page"))
            term = str(row.data["term"]).strip()
            page = str(row.data["page"]).split("#")[0]
            if not (docs_dir / page).is_file():
                raise row.error("page", f"no such page docs/{page}")
            if term.lower() in terms:
                raise row.error("term", f"duplicate term {term!r}")
            abbr = row.data.get("abbr", False)
            if not isinstance(abbr, bool):
                raise row.error("abbr", "must be true or false")
            terms[term.lower()] = Term(term, " ".join(str(row.data["definition"]).split()),
                                       str(row.data["page"]), abbr)
    return sorted(terms.values(), key=lambda t: t.term.lower())


def render_glossary(terms: list[Term], page_dir: str) -> str:
    """Markdown definition list; links are relative to the page that shows the glossary."""
    up = "../" * (page_dir.count("/") + 1) if page_dir else ""
    lines = []
    for t in terms:
        lines += [f"{t.term}", f":   {t.definition} See [{t.term}]({up}{t.page}).", ""]
    return "\n".join(lines)


def render_abbreviations(terms: list[Term]) -> str:
    """`*[TERM]: definition` lines for Markdown's abbr extension."""
    return "\n".join(f"*[{t.term}]: {t.definition}" for t in terms if t.abbr)


__all__ = ["DataError", "Term", "load_glossary", "render_abbreviations", "render_glossary"]
