"""The screen faces inlined in fonts.css are subsets (scripts/build/font_subset.py): no page
may show a character the subset lacks, or it would be drawn in a fallback font (and re-wrap).

Checked on the real build: the visible text of every written page (404 and the print page,
the PDF's source, included; code, which is in the monospace font, and scripts left out)
against the cmap of each face inside the built fonts.css. A character the whole Roboto face
does not have either (→, ≤: outside fontsource's Latin file) is no subset's fault.
"""

from __future__ import annotations

import base64
import functools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scripts.build import font_subset, vendor

_FACE = re.compile(
    r"@font-face\s*\{[^}]*font-weight:\s*(\d+);[^}]*"
    r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)'
)
# Elements whose text is not set in Roboto on screen, or not shown at all.
_NOT_TEXT = {"head", "script", "style", "template", "code", "pre", "kbd", "samp"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Visible(HTMLParser):
    """The characters of a page's text nodes outside `_NOT_TEXT` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chars: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in _NOT_TEXT or self.depth:
            self.depth += tag not in _VOID

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.chars.update(c for c in data if not c.isspace())


def visible_characters(html: str) -> set[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser.chars


def inlined_faces(site: Path) -> dict[str, frozenset[str]]:
    """weight -> characters of the face fonts.css carries inline."""
    css = (site / "assets/stylesheets/fonts.css").read_text(encoding="utf-8")
    return {w: font_subset.covered(base64.b64decode(b64)) for w, b64 in _FACE.findall(css)}


@functools.cache
def whole_face(weight: str) -> frozenset[str]:
    name = f"roboto-latin-{weight}-normal.woff2"
    path = vendor.NODE_MODULES / vendor.VENDOR_FILES[f"assets/vendor/fonts/{name}"]
    return font_subset.covered(path.read_bytes())


def uncovered(site: Path) -> list[str]:
    """`page: weight: characters` for every page showing a character its subset lacks."""
    faces = inlined_faces(site)
    assert set(faces) == {"400", "700"}, f"fonts.css inlines weights {sorted(faces)}"
    wrong = []
    for path in sorted(site.rglob("*.html")):
        shown = visible_characters(path.read_text(encoding="utf-8"))
        for weight, has in faces.items():
            missing = (shown & whole_face(weight)) - has
            if missing:
                wrong.append(f"{path.relative_to(site)}: {weight}: {''.join(sorted(missing))}")
    return wrong


def test_every_shown_character_is_in_the_inlined_subset(built_site: Path) -> None:
    assert (built_site / "print_page.html").is_file(), "the PDF's source page is checked too"
    faces = inlined_faces(built_site)
    assert all(len(has) < len(whole_face(w)) for w, has in faces.items()), "not subset"
    assert uncovered(built_site) == []


def test_a_character_outside_the_subset_is_named(built_site: Path, tmp_path: Path) -> None:
    """A page showing a character the build did not collect (planted after the build)."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "assets", site / "assets")
    page = next(built_site.glob("start-here/*.html"))
    planted = next(c for c in sorted(whole_face("400")) if c not in inlined_faces(site)["400"])
    html = page.read_text(encoding="utf-8").replace("<h1", f"<p>{planted}</p><h1", 1)
    (site / "page.html").write_text(html, encoding="utf-8")
    assert uncovered(site) == [f"page.html: 400: {planted}", f"page.html: 700: {planted}"]


def test_subset_is_cached_by_font_and_characters(tmp_path: Path, monkeypatch) -> None:
    font = (
        vendor.NODE_MODULES
        / vendor.VENDOR_FILES["assets/vendor/fonts/roboto-latin-400-normal.woff2"]
    ).read_bytes()
    chars = frozenset("Pod é")
    first = font_subset.subset_woff2(font, chars, tmp_path)
    assert font_subset.covered(first) >= {"P", "o", "d", "é"}
    assert "z" not in font_subset.covered(first)
    from fontTools import subset

    def no_subsetting(*args, **kwargs):
        raise AssertionError("subset again although cached")

    monkeypatch.setattr(subset, "Subsetter", no_subsetting)
    assert font_subset.subset_woff2(font, chars, tmp_path) == first
    with pytest.raises(AssertionError, match="subset again"):
        font_subset.subset_woff2(font, chars | {"ß"}, tmp_path)
