"""The diagrams' labels' faces inlined in diagram-fonts.css are subsets
(scripts/build/font_subset.py): no diagram may draw a character the subset lacks, or it would
be drawn in a fallback font (and overflow the box sized for Roboto). Pages without a diagram
carry no font at all: their text is in the reader's interface font (fonts.css).

Checked on the real build: the text drawn inside every diagram figure of every written page
(not its <style>, <title> or <desc>) against the cmap of each face inside the built
diagram-fonts.css. A character the whole Roboto face does not have either (outside
fontsource's Latin file) is no subset's fault.
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
from tests import harness

_FACE = re.compile(
    r"@font-face\s*\{[^}]*font-weight:\s*(\d+);[^}]*"
    r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)'
)
# Inside a diagram's SVG: elements whose text is not drawn.
_NOT_DRAWN = {"style", "title", "desc", "script"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
DIAGRAM_FONTS = "assets/stylesheets/diagram-fonts.css"


class _Drawn(HTMLParser):
    """The characters of the text nodes inside a diagram's `<svg class="fn-diagram__svg">`
    (not its figure's caption, which is page text), outside `_NOT_DRAWN` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figure = 0  # depth inside a diagram figure
        self.hidden = 0  # depth inside an element whose text is not drawn
        self.chars: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self.figure:
            self.figure += 1
            self.hidden += bool(self.hidden or tag in _NOT_DRAWN)
        elif tag == "svg" and "fn-diagram__svg" in (dict(attrs).get("class") or "").split():
            self.figure = 1

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if self.figure:
            self.figure -= 1
            self.hidden -= bool(self.hidden)

    def handle_data(self, data):
        if self.figure and not self.hidden:
            self.chars.update(c for c in data if not c.isspace())


def drawn_characters(html: str) -> set[str]:
    parser = _Drawn()
    parser.feed(html)
    parser.close()
    return parser.chars


def inlined_faces(site: Path) -> dict[str, frozenset[str]]:
    """weight -> characters of the face diagram-fonts.css carries inline."""
    css = (site / DIAGRAM_FONTS).read_text(encoding="utf-8")
    return {w: font_subset.covered(base64.b64decode(b64)) for w, b64 in _FACE.findall(css)}


@functools.cache
def whole_face(weight: str) -> frozenset[str]:
    name = f"roboto-latin-{weight}-normal.woff2"
    path = vendor.NODE_MODULES / vendor.VENDOR_FILES[f"assets/vendor/fonts/{name}"]
    return font_subset.covered(path.read_bytes())


def uncovered(site: Path) -> list[str]:
    """`page: weight: characters` for every page drawing a character its subset lacks."""
    faces = inlined_faces(site)
    assert set(faces) == {"400", "700"}, f"diagram-fonts.css inlines weights {sorted(faces)}"
    wrong = []
    for path in sorted(site.rglob("*.html")):
        drawn = drawn_characters(path.read_text(encoding="utf-8"))
        for weight, has in faces.items():
            missing = (drawn & whole_face(weight)) - has
            if missing:
                wrong.append(f"{path.relative_to(site)}: {weight}: {''.join(sorted(missing))}")
    return wrong


def test_every_drawn_character_is_in_the_inlined_subset(built_site: Path) -> None:
    faces = inlined_faces(built_site)
    assert all(len(has) < len(whole_face(w)) for w, has in faces.items()), "not subset"
    drawn = set().union(*(drawn_characters(p.read_text()) for p in built_site.rglob("*.html")))
    assert len(drawn) > 40, "no diagram text found: the check would pass on nothing"
    assert uncovered(built_site) == []


def test_a_character_outside_the_subset_is_named(built_site: Path, tmp_path: Path) -> None:
    """A diagram label with a character the build did not collect (planted after the build)."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "assets", site / "assets")
    page = built_site / "networking/services.html"
    planted = next(c for c in sorted(whole_face("400")) if c not in inlined_faces(site)["400"])
    html = page.read_text(encoding="utf-8")
    at = html.index("</p></span>", html.index('<figure class="fn-diagram"'))
    (site / "page.html").write_text(html[:at] + planted + html[at:], encoding="utf-8")
    assert uncovered(site) == [f"page.html: 400: {planted}", f"page.html: 700: {planted}"]


def test_only_pages_with_a_diagram_carry_a_font(page_html: dict[str, str]) -> None:
    """Text pages: no font link, no inlined face, no wait; diagram pages: the labels' faces."""
    link = 'href="../assets/stylesheets/diagram-fonts.css"'
    with_diagram = {p for p, h in page_html.items() if '<figure class="fn-diagram"' in h}
    assert len(with_diagram) > 10
    for path, html in page_html.items():
        head = html[: html.index("</head>")]
        if path in with_diagram and path.count("/") == 1:
            assert link in head and "fn-fonts-wait" in head, path
        elif path not in with_diagram:
            assert "diagram-fonts.css" not in head and "fn-fonts-wait" not in head, path
            assert "data:font" not in html, path


def test_subset_is_cached_by_font_and_characters(tmp_path: Path, monkeypatch) -> None:
    font = vendor.label_font(400).read_bytes()
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


# The font as a reader's browser uses it: over http and from the unzipped offline copy.
FACES = """() => [...document.fonts].filter(f => f.status === "loaded")
    .map(f => `${f.family.replace(/"/g, "")} ${f.weight}`).sort()"""
LABEL_FONT = """() => {
    const svg = [...document.querySelectorAll("svg.fn-diagram__svg")]
      .find(s => getComputedStyle(s).display !== "none");
    const label = svg.querySelector("foreignObject p, text");
    return [getComputedStyle(label).fontFamily, getComputedStyle(svg).visibility]; }"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["http", "file"])
def test_labels_are_drawn_in_their_font_and_text_pages_load_none(
    browser, site_url: str, offline_site: Path, scheme: str
) -> None:
    base = harness.base_for(scheme, site_url, offline_site)
    with harness.visit(browser, base + "networking/services.html") as (page, record):
        family, visibility = page.evaluate(LABEL_FONT)
        assert family.startswith('"Roboto Diagram"') and visibility == "visible"
        assert page.evaluate(FACES) == ["Roboto Diagram 400", "Roboto Diagram 700"]
        assert record.problems() == []
    with harness.visit(browser, base + "start-here/namespaces.html") as (page, record):
        assert page.evaluate(FACES) == []
        assert record.problems() == []
