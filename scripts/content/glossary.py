"""The glossary: one set of data files, two outputs.

`data/glossary/*.yaml` is the single source for the glossary page and for the abbreviation
definitions appended to every page (hover text), so the two can never disagree.
"""

from __future__ import annotations

import re
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
    anchors: dict[str, str] = {}  # term_id -> term: each term's link target is its own
    for path in sorted(directory.glob("*.yaml")):
        for row in load_rows(path):
            require(row, ("term", "definition", "page"))
            term = str(row.data["term"]).strip()
            page = str(row.data["page"]).split("#")[0]
            if not (docs_dir / page).is_file():
                raise row.error("page", f"no such page docs/{page}")
            if term.lower() in terms:
                raise row.error("term", f"duplicate term {term!r}")
            slug = term_id(term)
            if slug in anchors or not slug or slug.startswith("letter-"):
                raise row.error(
                    "term",
                    f"its anchor #{slug} is not unique (taken by "
                    f"{anchors.get(slug, 'the A-Z headings')!r})",
                )
            anchors[slug] = term
            abbr = row.data.get("abbr", False)
            if not isinstance(abbr, bool):
                raise row.error("abbr", "must be true or false")
            terms[term.lower()] = Term(
                term, " ".join(str(row.data["definition"]).split()), str(row.data["page"]), abbr
            )
    return sorted(terms.values(), key=lambda t: t.term.lower())


def term_id(term: str) -> str:
    """The stable anchor of a term on the glossary page: its name, lower case, hyphenated
    ("Pod Security Admission" -> "pod-security-admission"). Links to it never change unless
    the term is renamed."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def letter_id(letter: str) -> str:
    return f"letter-{letter.lower()}"


def render_glossary(terms: list[Term], page_dir: str, titles: dict[str, str] | None = None) -> str:
    """Markdown for the glossary page: an A-Z jump bar, a heading per letter, and each term in
    bold with its own anchor (`term_id`), its definition and a link to the page that explains
    it, named by that page's title (`titles`: docs path -> nav title). Links are relative to
    the page that shows the glossary (in `page_dir`)."""
    up = "../" * (page_dir.count("/") + 1) if page_dir else ""
    titles = titles or {}
    letters: dict[str, list[Term]] = {}
    for t in terms:
        letters.setdefault(t.term[0].upper(), []).append(t)
    bar = " · ".join(f"[{letter}](#{letter_id(letter)})" for letter in letters)
    lines = [
        '<nav class="fn-glossary-az" aria-label="Glossary, A to Z" markdown>',
        "",
        f"**Jump to:** {bar}",
        "",
        "</nav>",
        "",
    ]
    for letter, group in letters.items():
        lines += [f"## {letter} {{#{letter_id(letter)}}}", ""]
        for t in group:
            page = t.page.split("#")[0]
            title = titles.get(page, t.term)
            lines += [
                f"**{t.term}** {{#{term_id(t.term)}}}",
                f":   {t.definition} Explained in [{title}]({up}{t.page}).",
                "",
            ]
    return "\n".join(lines)


def render_abbreviations(terms: list[Term]) -> str:
    """`*[TERM]: definition` lines for Markdown's abbr extension."""
    return "\n".join(f"*[{t.term}]: {t.definition}" for t in terms if t.abbr)


__all__ = [
    "DataError",
    "Term",
    "letter_id",
    "load_glossary",
    "render_abbreviations",
    "render_glossary",
    "term_id",
]
