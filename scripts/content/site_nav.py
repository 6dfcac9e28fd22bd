"""The site's sections and their pages, in reading order, read from mkdocs.yml's `nav:`.

Why: the flashcards (one deck per section) and the EPUB (one chapter per section) must group
pages exactly as the site's navigation does; reading `nav:` here keeps the two formats and
the site in step when a page is added or moved. mkdocs.yml carries MkDocs-only YAML tags
(`!ENV`, `!!python/name:`); ruamel's round-trip loader keeps them as data without running
anything, and only `nav:` is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from scripts import project


@dataclass(frozen=True)
class NavPage:
    title: str | None  # None: the page's own H1 is its title (`- exam-guide/index.md`)
    src: str  # path under docs/, e.g. "workloads/pods.md"

    @property
    def html(self) -> str:
        """Where the build writes it: the offline plugin turns off directory URLs."""
        return self.src.removesuffix(".md") + ".html"


@dataclass(frozen=True)
class Section:
    title: str
    pages: tuple[NavPage, ...]
    grouped: bool = True  # False: a single top-level page (Home), not a group of pages


def _pages(items: object) -> list[NavPage]:
    out: list[NavPage] = []
    for item in items or []:
        if isinstance(item, str):
            out.append(NavPage(None, item))
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    out.append(NavPage(str(title), value))
                else:
                    out += _pages(value)
    return out


def sections(nav: object) -> list[Section]:
    """Top-level nav entries as sections; a top-level page (Home) is a section of its own,
    titled with its nav title. `nav` is mkdocs.yml's `nav:` as loaded (by MkDocs or here)."""
    out: list[Section] = []
    for item in nav or []:
        if isinstance(item, str):
            out.append(Section(item, (NavPage(None, item),), grouped=False))
            continue
        for title, value in item.items():
            if isinstance(value, str):
                out.append(Section(str(title), (NavPage(str(title), value),), grouped=False))
            else:
                out.append(Section(str(title), tuple(_pages(value))))
    return out


def load_sections(mkdocs_yml: Path = project.MKDOCS_YML) -> list[Section]:
    """The sections of mkdocs.yml's `nav:` (see `sections`)."""
    config = YAML(typ="rt").load(Path(mkdocs_yml).read_text(encoding="utf-8"))
    return sections(config.get("nav"))


def section_of(sections: list[Section]) -> dict[str, str]:
    """Page path under docs/ -> title of the section it belongs to."""
    return {page.src: s.title for s in sections for page in s.pages}
