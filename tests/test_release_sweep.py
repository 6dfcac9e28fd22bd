"""data/release-sweep.yaml: every release-note entry points at a real page section, or says why not.

The sweep records, for each change in the v1.33-v1.37 release notes that touches a topic of this
site, which page section reflects it (`page: section/page.md#anchor`) or why no page needs it
(`none: ...`). An entry whose page was renamed or whose heading changed would silently point
nowhere, so this test resolves every anchor the way MkDocs does: it renders the page with
Python-Markdown's `toc` extension (the site's toc settings from mkdocs.yml, default `slugify`),
with `attr_list` for explicit `{#id}` ids and superfences so `#` lines inside code blocks are not
headings. Every problem reads `data/release-sweep.yaml:line: what is wrong`; the planted entries at
the end prove each check can fail.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import markdown
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SWEEP = REPO / "data" / "release-sweep.yaml"
RELEASES = {"1.33", "1.34", "1.35", "1.36", "1.37"}
KEYS = {"release", "change", "source", "page", "none", "todo"}


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name` and `!ENV` tags are not needed here."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


@cache
def toc_config() -> dict:
    """The `toc` options of mkdocs.yml (permalink, slugify, separator...), minus unset ones."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    for ext in config.get("markdown_extensions", []):
        if isinstance(ext, dict) and "toc" in ext:
            return {k: v for k, v in (ext["toc"] or {}).items() if v is not None}
    return {}


@cache
def anchors(page: str) -> frozenset[str]:
    """Heading ids of docs/<page>, as the site's Markdown renders them."""
    return heading_ids((DOCS / page).read_text(encoding="utf-8"))


def heading_ids(text: str) -> frozenset[str]:
    """Heading ids of a Markdown text, as the site's Markdown renders them."""
    md = markdown.Markdown(
        extensions=[
            "toc",
            "attr_list",
            "md_in_html",
            "admonition",
            "tables",
            "def_list",
            "footnotes",
            "abbr",
            "pymdownx.superfences",
            "pymdownx.details",
            "pymdownx.tabbed",
            "pymdownx.blocks.caption",
            "pymdownx.snippets",
        ],
        extension_configs={
            "toc": toc_config(),
            "pymdownx.snippets": {"base_path": [str(DOCS), str(REPO / "data")]},
        },
    )
    md.convert(text)

    ids: set[str] = set()

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            ids.add(token["id"])
            walk(token["children"])

    walk(md.toc_tokens)
    return frozenset(ids)


def entry_nodes(path: Path) -> tuple[dict, list[tuple[int, dict]]]:
    """The parsed file and its entries, each with the 1-based line where it starts."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    root = yaml.compose(text)
    lines: list[int] = []
    for key, value in root.value:
        if key.value == "entries":
            lines = [item.start_mark.line + 1 for item in value.value]
    entries = (data.get("entries") or []) if isinstance(data, dict) else []
    return data, list(zip(lines, entries, strict=False))


def check(path: Path) -> list[str]:
    """Every problem in a sweep file, as `file:line: what is wrong`."""
    try:
        name = path.relative_to(REPO)
    except ValueError:
        name = path
    data, entries = entry_nodes(path)
    if not isinstance(data, dict) or not entries:
        return [f"{name}:1: no `entries:` list"]
    problems = []
    for line, entry in entries:
        where = f"{name}:{line}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: entry is not a mapping")
            continue
        unknown = set(entry) - KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if str(entry.get("release")) not in RELEASES:
            problems.append(f"{where}: release {entry.get('release')!r} is not one of 1.33-1.37")
        for key in ("change", "source"):
            if not str(entry.get(key) or "").strip():
                problems.append(f"{where}: missing `{key}`")
        has_page, has_none = "page" in entry, "none" in entry
        if has_page == has_none:
            problems.append(f"{where}: needs exactly one of `page` and `none`")
        if "todo" in entry and not has_page:
            problems.append(f"{where}: `todo` needs the `page` it applies to")
        if has_none and not str(entry["none"] or "").strip():
            problems.append(f"{where}: `none` must say why no page needs the change")
        if has_page:
            problems.extend(f"{where}: {p}" for p in page_problems(str(entry["page"] or "")))
    return problems


def page_problems(target: str) -> list[str]:
    page, sep, anchor = target.partition("#")
    if not page.endswith(".md") or not sep or not anchor:
        return [f"page {target!r} is not of the form section/page.md#anchor"]
    file = (DOCS / page).resolve()
    if DOCS.resolve() not in file.parents or not file.is_file():
        return [f"page {page} does not exist under docs/"]
    if anchor not in anchors(page):
        return [f"page {page} has no heading with id #{anchor}"]
    return []


def test_release_sweep_entries_resolve():
    problems = check(SWEEP)
    assert not problems, "\n".join(problems)


def test_release_sweep_covers_every_release():
    _, entries = entry_nodes(SWEEP)
    seen = {str(entry.get("release")) for _, entry in entries}
    assert seen == RELEASES, f"no entries for {sorted(RELEASES - seen)}"


def test_anchor_ids_follow_mkdocs():
    # Inline code and punctuation in a heading (the H1 of this page), as in the built HTML.
    assert "init-containers-initcontainers-run-setup-steps-before-the-app-starts" in anchors(
        "workloads/init-containers.md"
    )
    assert "removed-in-tree-volume-plugins" in anchors("storage/csi.md")
    # "# fragment: ..." inside a YAML fence is not a heading.
    assert not any(a.startswith("fragment") for a in anchors("scheduling/node-affinity.md"))
    # An explicit attr_list id wins over the slug; a repeated heading gets toc's "_1" suffix.
    text = "## Version notes {#versions}\n\n## Pitfalls\n\n## Pitfalls\n"
    assert heading_ids(text) == {"versions", "pitfalls", "pitfalls_1"}


PLANTED = """\
entries:
  - release: "1.36"
    change: good entry
    source: https://example.org/a
    page: networking/services.md#version-notes
  - release: "1.36"
    change: page that does not exist
    source: https://example.org/b
    page: networking/no-such-page.md#version-notes
  - release: "1.36"
    change: anchor that does not exist
    source: https://example.org/c
    page: networking/services.md#no-such-section
  - release: "1.36"
    change: both page and none
    source: https://example.org/d
    page: networking/services.md#version-notes
    none: "also says no page"
  - release: "1.32"
    change: release out of range, no source, neither page nor none
"""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (6, "page networking/no-such-page.md does not exist under docs/"),
        (10, "page networking/services.md has no heading with id #no-such-section"),
        (14, "needs exactly one of `page` and `none`"),
        (19, "release '1.32' is not one of 1.33-1.37"),
        (19, "missing `source`"),
        (19, "needs exactly one of `page` and `none`"),
    ],
)
def test_planted_entries_fail_with_their_line(tmp_path, line, message):
    planted = tmp_path / "sweep.yaml"
    planted.write_text(PLANTED, encoding="utf-8")
    problems = check(planted)
    assert f"{planted}:{line}: {message}" in problems, "\n".join(problems)
    assert not any(p.startswith(f"{planted}:2:") for p in problems), "the good entry must pass"
