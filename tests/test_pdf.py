"""The PDF of the whole site (scripts/pdf.py), read back with poppler and pypdf.

The PDF is exported once per run from the session build; every test reads that one file.
Expectations come from the built HTML pages (titles, diagrams, collapsed blocks) and from
print.css (page margins), never from the exporter itself.
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest

from scripts import project
from scripts.common import atomic
from scripts.content import site_nav
from scripts.publish import pdf as exporter
from tests import harness

pytestmark = pytest.mark.browser

PRINT_CSS = exporter.ROOT / "docs" / "assets" / "stylesheets" / "print.css"
MM = 72 / 25.4
# pdftotext rounds glyph boxes: a word may poke this far past the content box.
TOLERANCE_PT = 1.5


def _words(text: str) -> set[str]:
    """Bag of words, punctuation stripped: for text whose reading order the PDF may shuffle."""
    return {w.strip(".,:;!?()[]{}\"'`*").lower() for w in text.split()} - {""}


# ---------------------------------------------------------------------------------------------
# The site, from its built HTML.


class _PageParser(HTMLParser):
    """Collects a page's H1, its code blocks, the label text of each diagram (its light SVG,
    the copy the PDF prints) and the first paragraph of each closed <details>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: str | None = None
        self.diagrams: list[str] = []
        self.code: list[str] = []
        self.closed_details: list[str] = []
        self._mode: str | None = None  # "h1", "diagram", "code" or "details"
        self._svg_depth = 0  # inside a diagram's light <svg>
        self._quiet = 0  # inside its <title>, <desc> or <style>
        self._buf: list[str] = []
        self._skip = 0  # inside a headerlink (the pilcrow)
        self._details_waiting = 0  # closed <details> whose first <p> is still to come

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if self._mode == "diagram":
            if tag == "svg":
                self._svg_depth += 1
            elif tag in ("title", "desc", "style"):
                self._quiet += 1
            elif tag in ("br", "p", "div", "tspan", "text"):
                self._buf.append(" ")
            return
        if tag == "h1" and self.h1 is None and self._mode is None:
            self._mode, self._buf = "h1", []
        elif tag == "svg" and "fn-diagram__svg--light" in classes and self._mode is None:
            self._mode, self._buf, self._svg_depth = "diagram", [], 1
        elif tag == "pre" and self._mode is None:
            self._mode, self._buf = "code", []
        elif tag == "details" and "open" not in a:
            self._details_waiting += 1
        elif tag == "p" and self._details_waiting and self._mode is None:
            self._mode, self._buf = "details", []
        elif tag == "a" and "headerlink" in classes:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._buf)
        if self._mode == "diagram":
            if tag in ("title", "desc", "style"):
                self._quiet -= 1
            elif tag == "svg":
                self._svg_depth -= 1
                if self._svg_depth == 0:
                    self.diagrams.append(harness.squash(text))
                    self._mode = None
            return
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "h1" and self._mode == "h1":
            self.h1, self._mode = harness.squash(text), None
        elif tag == "pre" and self._mode == "code":
            self.code.append(text)
            self._mode = None
        elif tag == "p" and self._mode == "details":
            self.closed_details.append(harness.squash(text))
            self._details_waiting -= 1
            self._mode = None

    def handle_data(self, data: str) -> None:
        if self._mode and not self._skip and not self._quiet:
            self._buf.append(data)


@dataclass
class SitePage:
    path: str
    h1: str
    diagrams: list[str]
    code: list[str]
    closed_details: list[str]
    words: int


def _site_page(path: str, source: str) -> SitePage:
    article = re.search(r"<article[^>]*>(.*)</article>", source, re.S)
    parser = _PageParser()
    parser.feed(article.group(1) if article else source)
    assert parser.h1, f"{path} has no <h1>"
    text = html.unescape(re.sub(r"<[^>]+>", " ", article.group(1) if article else ""))
    return SitePage(
        path, parser.h1, parser.diagrams, parser.code, parser.closed_details, len(text.split())
    )


@pytest.fixture(scope="module")
def site(page_html: dict[str, str]) -> list[SitePage]:
    """Every built page the PDF prints (print-site's `exclude:` list in mkdocs.yml left out)."""
    yml = project.MKDOCS_YML.read_text(encoding="utf-8")
    block = yml[yml.index("      exclude:") :].split("\n\n", 1)[0]
    excluded = {m[:-3] + ".html" for m in re.findall(r"^\s+- ([\w/.-]+\.md)", block, re.M)}
    return [_site_page(path, source) for path, source in page_html.items() if path not in excluded]


@pytest.fixture(scope="module")
def chapters(built_site: Path) -> dict[str, list[str]]:
    """Chapter title -> the H1s of its pages, as print-site nested them in print_page.html."""
    source = (built_site / exporter.PRINT_PAGE).read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    parts = re.split(r"<section class='print-page md-section'[^>]*>", source)[1:]
    for part in parts:
        title = re.search(r"<h1>(.*?)<a class='headerlink'", part, re.S)
        h1s = re.findall(
            r'<section class="print-page" id="[^"]+"[^>]*><h1[^>]*>(.*?)'
            r'<a class="headerlink"',
            part,
        )
        found[harness.squash(html.unescape(title.group(1)))] = [
            harness.squash(html.unescape(re.sub(r"<[^>]+>", "", h))) for h in h1s
        ]
    assert found, "print_page.html has no chapters"
    return found


# ---------------------------------------------------------------------------------------------
# The PDF, read back.


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class PdfPage:
    number: int
    width: float
    height: float
    words: list[Word]
    strokes: int = 0
    links: list[tuple[list[float], int]] = field(default_factory=list)  # (rect, target page)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def lines(self, below: float, above: float = 0) -> list[str]:
        """Lines top to bottom, words left to right, between `above` points below the sheet's
        top and `below` points above its bottom. Geometry, not drawing order: Chromium paints
        positioned blocks (Material's code blocks) after the rest of a page, and poppler's
        reading order splits column-aligned command output into columns."""
        lines: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.y0 + w.y1) / 2):
            if word.y0 >= self.height - below or word.y1 <= above:
                continue
            middle = (word.y0 + word.y1) / 2
            if lines and abs(middle - (lines[-1][0].y0 + lines[-1][0].y1) / 2) < 3:
                lines[-1].append(word)
            else:
                lines.append([word])
        return [" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in lines]


class Bookmark(NamedTuple):
    depth: int
    title: str
    page: int
    y: float  # the heading's top, from the top of its page


@dataclass
class Pdf:
    path: Path
    info: dict[str, str]
    pages: list[PdfPage]
    outline: list[Bookmark]
    image_pages: set[int]

    def text(self, first: int = 1, last: int | None = None) -> str:
        """The body text of pages first..last, running heads (the top margin) and page
        numbers (the bottom margin) left out, so that a line wrapped onto the next page reads
        on."""
        m = _page_margins_pt()
        return " ".join(
            line
            for p in self.pages[first - 1 : last]
            for line in p.lines(m["bottom"], m["top"] - TOLERANCE_PT)
        )


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300).stdout


def _word_boxes(path: Path) -> list[PdfPage]:
    out = _run("pdftotext", "-bbox", str(path), "-")
    pages = []
    for n, (w, h, body) in enumerate(
        re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S), start=1
    ):
        words = [
            Word(float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                r'yMax="([-\d.]+)">(.*?)</word>',
                body,
            )
        ]
        pages.append(PdfPage(n, float(w), float(h), words))
    return pages


STROKE = re.compile(rb"(?<=\s)(S|s|B\*?|b\*?)(?=\s)")


def _strokes(data: bytes, resources, seen: set[int]) -> int:
    """Stroke-painting operators in a content stream and in the form XObjects it draws."""
    count = len(STROKE.findall(b"\n" + data))
    xobjects = resources.get_object().get("/XObject") if resources else None
    for ref in xobjects.get_object().values() if xobjects else []:
        obj = ref.get_object()
        if ref.idnum not in seen and obj.get("/Subtype") == "/Form":
            seen.add(ref.idnum)
            count += _strokes(obj.get_data(), obj.get("/Resources"), seen)
    return count


def _internal_links(reader, named: dict, pdf_page) -> list[tuple[list[float], int]]:
    """(rectangle, 1-based target page) of each link to a place in the document."""
    links = []
    for annot in pdf_page.get("/Annots") or []:
        annot = annot.get_object()
        dest = annot.get("/Dest")
        if dest is not None and not isinstance(dest, list):
            dest = named.get("/" + str(dest).lstrip("/"))
        if dest is not None:
            links.append(
                ([float(v) for v in annot["/Rect"]], reader.get_destination_page_number(dest) + 1)
            )
    return links


def _read_pdf(path: Path) -> Pdf:
    from pypdf import PdfReader

    info = dict(
        line.split(":", 1) for line in _run("pdfinfo", str(path)).splitlines() if ":" in line
    )
    info = {k.strip(): v.strip() for k, v in info.items()}
    pages = _word_boxes(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    named = reader.named_destinations  # a property that rebuilds the tree on every call
    for page, pdf_page in zip(pages, reader.pages, strict=True):
        page.strokes = _strokes(
            pdf_page.get_contents().get_data(), pdf_page.get("/Resources"), set()
        )
        page.links = _internal_links(reader, named, pdf_page)
    outline: list[Bookmark] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                number = reader.get_destination_page_number(item)
                outline.append(
                    Bookmark(
                        depth,
                        harness.squash(item.title),
                        number + 1,
                        pages[number].height - float(item.top),
                    )
                )

    walk(reader.outline, 0)
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    return Pdf(path, info, pages, outline, {int(line.split()[0]) for line in images})


@pytest.fixture(scope="module")
def exported(site_pdf):
    """The session's export (conftest.py): the download tests use the same file."""
    return site_pdf


@pytest.fixture(scope="module")
def pdf(exported) -> Pdf:
    return _read_pdf(exported.path)


@functools.cache
def _page_margins_pt() -> dict[str, float]:
    """print.css's @page margins (top right bottom left, in mm), in points."""
    css = PRINT_CSS.read_text(encoding="utf-8")
    match = re.search(
        r"@page\s*\{[^}]*?margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+"
        r"([\d.]+)mm",
        css,
    )
    assert match, "print.css has no @page margin in mm"
    top, right, bottom, left = (float(v) * MM for v in match.groups())
    return {"top": top, "right": right, "bottom": bottom, "left": left}


def _page_ranges(pdf: Pdf, site: list[SitePage]) -> Iterator[tuple[SitePage, int, int]]:
    """Each site page's PDF pages: from its H1's bookmark to the sheet the next one starts on
    (pages of a chapter follow one another on the same sheet)."""
    starts = sorted({b.page for b in pdf.outline if b.depth <= 1})
    by_title = {b.title: b.page for b in pdf.outline if b.depth <= 1}
    for page in site:
        assert page.h1 in by_title, f"{page.path}: no bookmark for its H1"
        first = by_title[page.h1]
        last = next((s for s in starts if s > first), len(pdf.pages))
        yield page, first, last


# ---------------------------------------------------------------------------------------------
# Tests.


def test_default_file_name_carries_the_kubernetes_version(built_site: Path) -> None:
    version = project.versions().latest
    out = exporter.default_output(built_site)
    assert out == built_site / "downloads" / f"kubernetes-field-notes-v{version}.pdf"


def test_toc_cache_is_used_only_for_the_same_targets(tmp_path: Path) -> None:
    cache = tmp_path / "toc.json"
    assert exporter.read_toc_cache(cache, ["a"]) is None  # no file yet
    exporter.write_toc_cache(cache, {"a": 3, "b": 5})
    assert exporter.read_toc_cache(cache, ["b", "a"]) == {"a": 3, "b": 5}
    assert exporter.read_toc_cache(cache, ["a"]) is None  # the pages changed
    assert exporter.read_toc_cache(None, ["a", "b"]) is None
    cache.write_text("{not json")
    assert exporter.read_toc_cache(cache, ["a", "b"]) is None


def test_export_writes_only_the_pdf(exported) -> None:
    """Written atomically: no temporary file is left beside it."""
    assert [p.name for p in exported.path.parent.iterdir() if p.name.startswith(".")] == []
    assert exported.path.is_file()
    assert exported.path.read_bytes()[:5] == b"%PDF-"
    assert exported.pages == int(_run("pdfinfo", str(exported.path)).split("Pages:")[1].split()[0])


def test_a_failed_write_keeps_the_previous_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "book.pdf"
    atomic.write_bytes(out, b"%PDF-old")

    def fail(*_args) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError):
        atomic.write_bytes(out, b"%PDF-new")
    assert out.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]


def test_cli_refuses_a_folder_without_a_print_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exporter.main([str(tmp_path)]) == 2
    assert "print_page.html" in capsys.readouterr().err


def test_page_count_fits_the_site(
    pdf: Pdf, site: list[SitePage], chapters: dict[str, list[str]]
) -> None:
    """The cover, the contents, the home page and every chapter start a new sheet; the pages
    of a chapter follow one another. A dense A4 page holds at most ~900 words; even a
    code-heavy one holds 100."""
    words = sum(p.words for p in site)
    diagrams = sum(len(p.diagrams) for p in site)
    forced = 3 + len(chapters)
    low, high = forced + words // 900, forced + diagrams + math.ceil(words / 100)
    assert low <= len(pdf.pages) <= high


def test_pdf_is_tagged_a4_with_a_title(pdf: Pdf) -> None:
    assert pdf.info["Tagged"] == "yes"
    assert "(A4)" in pdf.info["Page size"]
    assert "Kubernetes" in pdf.info.get("Title", "")


def test_cover_shows_title_version_date_and_revision(pdf: Pdf, built_site: Path) -> None:
    import json

    info = json.loads((built_site / "build-info.json").read_text(encoding="utf-8"))
    cover = pdf.pages[0].text
    for fact in (
        info["site_name"],
        f"v{info['k8s_version']}",
        info["build_date"],
        info["git_revision"],
    ):
        assert fact in cover


def test_outline_has_every_page_nested_in_its_chapter(
    pdf: Pdf, site: list[SitePage], chapters: dict[str, list[str]]
) -> None:
    titles = [b.title for b in pdf.outline]
    assert [p.path for p in site if p.h1 not in titles] == []
    for chapter, h1s in chapters.items():
        at = next(i for i, b in enumerate(pdf.outline) if b.depth == 0 and b.title == chapter)
        children = []
        for mark in pdf.outline[at + 1 :]:
            if mark.depth == 0:
                break
            if mark.depth == 1:
                children.append(mark.title)
        assert children == h1s, chapter


def _squeeze(text: str) -> str:
    """Without any whitespace: a title wrapped after a hyphen ("CRI-" / "O") still matches."""
    return "".join(text.split())


def test_text_contains_every_h1(pdf: Pdf, site: list[SitePage]) -> None:
    text = _squeeze(pdf.text())
    assert [p.h1 for p in site if _squeeze(p.h1) not in text] == []


def test_table_of_contents_page_numbers_match_their_links(
    pdf: Pdf, site: list[SitePage], chapters: dict[str, list[str]]
) -> None:
    """Each contents entry (every page and chapter) prints the page its link goes to."""
    toc = next(b.page for b in pdf.outline if b.title == "Table of Contents")
    end = min(b.page for b in pdf.outline if b.page > toc)
    checked = 0
    for page in pdf.pages[toc - 1 : end - 1]:
        for (x0, y0, x1, y1), target in page.links:
            top, bottom = page.height - y1, page.height - y0
            inside = sorted(
                (
                    w
                    for w in page.words
                    if x0 - 1 <= w.x0 and w.x1 <= x1 + 1 and top - 1 <= w.y0 and w.y1 <= bottom + 1
                ),
                key=lambda w: w.x0,
            )
            assert inside and inside[-1].text == str(target), ([w.text for w in inside], target)
            checked += 1
    assert checked == len(site) + len(chapters)


def test_long_code_lines_are_printed_whole(pdf: Pdf, site: list[SitePage]) -> None:
    """Chromium draws only the visible part of a clipped line (measured: a scrolled <pre>
    prints "...spec.n" and nothing after), so a word box check cannot see it: every code line
    wider than the page's ~90 columns must be in the text in full, wherever it wrapped."""
    text = _squeeze(pdf.text())
    long_lines = [
        line for p in site for block in p.code for line in block.splitlines() if len(line) > 90
    ]
    assert long_lines, "the site has no long code line to check"
    assert [line for line in long_lines if _squeeze(line) not in text] == []


def test_no_word_lies_outside_the_page_area(pdf: Pdf) -> None:
    """Every word lies inside print.css's page area or, for the running head and the page
    number, in the top and bottom margins: nothing runs into the side margins or off the
    sheet."""
    m = _page_margins_pt()
    outside = [
        (page.number, w.text)
        for page in pdf.pages
        for w in page.words
        if w.x0 < m["left"] - TOLERANCE_PT
        or w.x1 > page.width - m["right"] + TOLERANCE_PT
        or w.y0 < 0
        or w.y1 > page.height
    ]
    assert outside == []


def test_page_numbers_print_once(pdf: Pdf) -> None:
    """Footer = the bottom margin. Chromium's own footer would add "N/M" next to print.css's
    number; the cover has none."""
    bottom = _page_margins_pt()["bottom"]
    for page in pdf.pages:
        footer = " ".join(w.text for w in page.words if w.y0 >= page.height - bottom)
        count = len(re.findall(rf"(?<!\d){page.number}(?!\d)", footer))
        assert count == (0 if page.number == 1 else 1), (page.number, footer)


def test_no_diagram_error_or_source_is_printed(pdf: Pdf, site: list[SitePage]) -> None:
    from scripts.snippets.blocks import extract_blocks

    text = pdf.text()
    assert "Syntax error" not in text
    sources = [
        b.text
        for md in sorted((exporter.ROOT / "docs").rglob("*.md"))
        for b in extract_blocks(md)
        if b.lang == "mermaid"
    ]
    declarations = {d.strip().splitlines()[0].strip() for d in sources}
    assert declarations, "the site has no diagram"
    assert [d for d in declarations if d in text] == []
    assert "accTitle" not in text


def test_every_diagram_is_drawn_as_vectors(pdf: Pdf, site: list[SitePage]) -> None:
    """Sound and simple: within a page's PDF pages (its H1 bookmark to the next one),
    (1) every word of its diagrams' labels is real text, so the diagram was drawn, and not as
    a picture; (2) no raster image is there at all, so nothing of it is a picture; (3) there are
    at least as many stroked paths as diagrams: the edges and lifelines, drawn as paths."""
    checked = 0
    for page, first, last in _page_ranges(pdf, site):
        if not page.diagrams:
            continue
        words = _words(pdf.text(first, last))
        labels = _words(" ".join(page.diagrams))
        assert labels, f"{page.path}: no label found in its diagrams"
        assert sorted(labels - words) == [], page.path
        assert not pdf.image_pages & set(range(first, last + 1)), page.path
        assert sum(p.strokes for p in pdf.pages[first - 1 : last]) >= len(page.diagrams)
        checked += 1
    assert checked == len([p for p in site if p.diagrams])


def test_closed_details_are_printed_open(pdf: Pdf, site: list[SitePage]) -> None:
    # External links print their address after the link text on paper: leave those out.
    text = _squeeze(re.sub(r"\s*\(https?://[^)]*\)", "", pdf.text()))
    closed = [d for p in site for d in p.closed_details if d]
    assert closed, "the site has no collapsed block"
    missing = [d for d in closed if _squeeze(d)[:60] not in text]
    assert missing == []


def test_every_page_is_printed_in_the_light_palette(exported, tmp_path: Path) -> None:
    """Mean grey of each page at 10 dpi: the dark palette paints whole pages near black."""
    subprocess.run(
        ["pdftoppm", "-r", "10", "-gray", str(exported.path), str(tmp_path / "p")],
        check=True,
        timeout=300,
    )
    dark = []
    for image in sorted(tmp_path.glob("p-*.pgm")):
        data = image.read_bytes()
        pixels = re.match(rb"P5\s+\d+\s+\d+\s+\d+\s(.*)", data, re.S).group(1)
        if sum(pixels) / len(pixels) < 180:
            dark.append(image.name)
    assert dark == []


def test_no_heading_is_last_on_its_page(
    pdf: Pdf, site: list[SitePage], chapters: dict[str, list[str]]
) -> None:
    """Below each heading (from its bookmark's position) comes more than the heading itself
    before the footer. Page titles flow on within their chapter, so they are checked too;
    the home page, chapter titles and the contents start their sheets."""
    home = {p.h1 for p in site if p.path == "index.html"}
    starters = home | set(chapters) | {"Table of Contents"}
    footer = _page_margins_pt()["bottom"]
    alone = []
    for mark in pdf.outline:
        if mark.title in starters:
            continue
        page = pdf.pages[mark.page - 1]
        below = sorted(
            (w for w in page.words if w.y1 > mark.y and w.y0 < page.height - footer),
            key=lambda w: (round(w.y0), w.x0),
        )
        title, taken = _squeeze(mark.title), ""
        while below and len(taken) < len(title):
            taken += _squeeze(below.pop(0).text)
        if not below:
            alone.append((mark.page, mark.title))
    assert alone == []


# Roboto's ascent + descent (hhea 1900 + 500 of 2048 units): poppler's word box is this many
# ems tall, so a word's font size is its box height divided by it.
BOX_EMS = 2400 / 2048
MIN_DIAGRAM_PT = 7.0


def diagram_word_sizes(pdf: Pdf, site: list[SitePage]) -> dict[str, float]:
    """Smallest font size (pt) of a diagram label word in each page's PDF pages. A label word
    may also appear in the page's prose, at body size: the smallest box of the word counts."""
    sizes: dict[str, float] = {}
    for page, first, last in _page_ranges(pdf, site):
        labels = _words(" ".join(page.diagrams))
        found = [
            (w.y1 - w.y0) / BOX_EMS
            for p in pdf.pages[first - 1 : last]
            for w in p.words
            if _words(w.text) & labels
        ]
        if page.diagrams and found:
            sizes[page.path] = min(found)
    return sizes


def test_diagram_text_is_at_least_7_pt(pdf: Pdf, site: list[SitePage]) -> None:
    """Read with poppler (`pdftotext -bbox`): no word on a page with a diagram is smaller
    than 7 pt, so no diagram label is."""
    sizes = diagram_word_sizes(pdf, site)
    assert sizes, "no diagram label found in the PDF"
    small = {path: round(pt, 1) for path, pt in sizes.items() if pt < MIN_DIAGRAM_PT}
    assert small == {}


def test_word_size_reading_is_calibrated(pdf: Pdf) -> None:
    """Sanity of the BOX_EMS reading: body text (the median word) reads as a body size, 8 to
    12 pt, so the 7 pt check above measures points, not box heights."""
    heights = sorted((w.y1 - w.y0) / BOX_EMS for p in pdf.pages[3:] for w in p.words)
    median = heights[len(heights) // 2]
    assert 8 <= median <= 12, median


# ---------------------------------------------------------------------------------------------
# A PDF that reads like a book: running heads, full sheets, link addresses on paper.

# A sheet with fewer body lines than this is near-empty (a full one holds 45-60).
NEAR_EMPTY_LINES = 10


def _nav_titles() -> dict[str, str]:
    """Built page path -> its title in mkdocs.yml's nav (the contents and the heads use it)."""
    return {p.html: p.title for s in site_nav.load_sections() for p in s.pages if p.title}


def _head(page: PdfPage) -> str:
    top = _page_margins_pt()["top"]
    return harness.squash(
        " ".join(
            w.text for w in sorted(page.words, key=lambda w: w.x0) if w.y1 <= top - TOLERANCE_PT
        )
    )


def _body_lines(page: PdfPage) -> list[str]:
    m = _page_margins_pt()
    return [line for line in page.lines(m["bottom"], m["top"] - TOLERANCE_PT) if line.strip()]


def _sheet_starts(pdf: Pdf, site: list[SitePage]) -> dict[str, int]:
    pages = {b.title: b.page for b in pdf.outline if b.depth <= 1}
    return {p.path: pages[p.h1] for p in site}


def test_body_pages_carry_a_running_head(
    pdf: Pdf, site: list[SitePage], chapters: dict[str, list[str]]
) -> None:
    """Every sheet from the home page on names its chapter and page ("Workloads · Pods..."):
    the first page that starts on the sheet, else the one running on from before. Cover and
    contents carry none."""
    titles, starts = _nav_titles(), _sheet_starts(pdf, site)
    chapter_of = {h1: c for c, h1s in chapters.items() for h1 in h1s}
    by_sheet = sorted(
        ((sheet, path) for path, sheet in starts.items()),
        key=lambda s: (
            s[0],
            next(
                b.y
                for b in pdf.outline
                if b.page == s[0] and b.depth <= 1 and b.title == _h1(site, s[1])
            ),
        ),
    )
    first_body = starts["index.html"]
    assert all(_head(p) == "" for p in pdf.pages[: first_body - 1])
    wrong = []
    for page in pdf.pages[first_body - 1 :]:
        current = [path for sheet, path in by_sheet if sheet == page.number][:1] or [
            path for sheet, path in by_sheet if sheet < page.number
        ][-1:]
        path = current[0]
        chapter = chapter_of.get(_h1(site, path), "")
        expected = " · ".join(x for x in (chapter, titles.get(path, "")) if x)
        head = _head(page)
        if not head or (titles.get(path) and head != expected):
            wrong.append((page.number, head, expected))
    assert wrong == []


def _h1(site: list[SitePage], path: str) -> str:
    return next(p.h1 for p in site if p.path == path)


def test_no_sheet_is_near_empty_but_a_chapter_end(
    pdf: Pdf, site: list[SitePage], chapters: dict[str, list[str]]
) -> None:
    """Pages of a chapter follow one another, so only the sheet before a new chapter (or the
    home page, after the contents) and the last sheet may hold a few lines. A diagram too wide
    for the portrait column takes a landscape sheet of its own (issue #12 allows it): that
    sheet holds a drawing, not lines of text, and it starts on a new sheet like a chapter."""
    breaks = {
        b.page
        for b in pdf.outline
        if b.depth == 0
        and (
            b.title in chapters
            or b.title == "Table of Contents"
            or b.title == _h1(site, "index.html")
        )
    }
    landscape = {p.number for p in pdf.pages if p.width > p.height}
    breaks |= landscape
    near_empty = {
        p.number: len(_body_lines(p))
        for p in pdf.pages[1:]
        if len(_body_lines(p)) < NEAR_EMPTY_LINES and p.number not in landscape
    }
    assert {
        n: lines for n, lines in near_empty.items() if n + 1 not in breaks and n != len(pdf.pages)
    } == {}
    assert len(near_empty) <= len(chapters) + 1  # at most every chapter's end, and the last


def test_external_links_print_their_address(pdf: Pdf, page_html: dict[str, str]) -> None:
    """Paper cannot click: each external link of the pages' "Official documentation" lists is
    followed by its address; links inside the document print no address."""
    text = _squeeze(pdf.text())
    hrefs = {
        h
        for source in page_html.values()
        for block in re.findall(r'id="official-documentation".*?</ul>', source, re.S)
        for h in re.findall(r'<a [^>]*href="(https://[^"]+)"', block)
    }
    assert len(hrefs) > 50
    assert sorted(h for h in hrefs if f"({h})" not in text) == []
    assert "(#" not in text and "print_page.html" not in text


@pytest.mark.parametrize("selector", ["#print-page-toc a", "article abbr"])
def test_contents_and_abbreviations_are_not_underlined_in_print(
    browser, built_site: Path, selector: str
) -> None:
    """Underlined contents entries and dotted abbreviations are noise on paper."""
    with exporter.serve(built_site, exporter.free_port()) as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.emulate_media(media="print")
            page.goto(url + exporter.PRINT_PAGE, wait_until="load")
            page.wait_for_selector("#print-page-toc a", state="attached")
            styles = page.evaluate(
                """(sel) => [...document.querySelectorAll(sel)].map(a => {
                const s = getComputedStyle(a);
                return s.textDecorationLine + "|" + s.borderBottomStyle; })""",
                selector,
            )
        finally:
            context.close()
    assert styles, selector
    assert set(styles) == {"none|none"}


def test_diagram_captions_print_as_on_screen(browser, built_site: Path) -> None:
    """A diagram's caption is short, left-aligned, upright text: the same on paper as on
    screen (the print page keeps `/// caption`'s outer figure, where Material centres it)."""
    captions = """() => [...document.querySelectorAll('figcaption')]
      .filter(c => c.parentElement.querySelector('svg.fn-diagram__svg'))
      .map(c => { const s = getComputedStyle(c); return s.fontStyle + '|' + s.textAlign; })"""
    found = {}
    with exporter.serve(built_site, exporter.free_port()) as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            for media, path in (("screen", "workloads/deployments.html"), ("print", None)):
                page.emulate_media(media=media)
                page.goto(url + (path or exporter.PRINT_PAGE), wait_until="load")
                found[media] = page.evaluate(captions)
        finally:
            context.close()
    figures = (built_site / exporter.PRINT_PAGE).read_text(encoding="utf-8")
    assert len(found["print"]) == figures.count('<figure class="fn-diagram"')
    assert set(found["screen"]) == {"normal|left"}
    assert set(found["print"]) == set(found["screen"])
