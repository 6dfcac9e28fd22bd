"""The whole site as one EPUB 3 for e-readers: `python -m scripts.publish.epub SITE_DIR`.

Why from the built site: the pages are already Markdown rendered with every extension, the
generated pages (exam guide, ports table, glossary) are filled in and the tokens expanded;
re-rendering the Markdown would give a second, different copy of the site. Each page's
`<article>` is taken, cleaned of what only a browser uses (header links, line anchors of code,
scripts, forms), made XHTML and written as one file per page, in the site's own folder
structure so relative links keep working once `.html` becomes `.xhtml`. Sections of the
navigation become chapters: a title page per section, then its pages, and the navigation
document nests the pages under their section. A cover page names the Kubernetes version, the
build date and the git revision.

Diagrams: the built pages carry each diagram as build-time SVG in both palettes; the book
takes the light copy (explicit colours, no site stylesheet needed), made valid for EPUB's SVG
rules by `epub_svg`. No browser is needed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import posixpath
import re
import sys
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from scripts import project
from scripts.build import build_info, vendor
from scripts.common import atomic
from scripts.content import site_nav

XHTML_NS = "http://www.w3.org/1999/xhtml"
OEBPS = "OEBPS"
TEXT = "text"  # page files live in OEBPS/text/<site path>.xhtml
# What an e-reader needs of the site's look: readable code that wraps, visible admonitions
# and questions, diagrams that fit the screen.
STYLE = """\
@font-face { font-family: "Roboto"; font-weight: 400; src: url(fonts/roboto-400.woff2); }
@font-face { font-family: "Roboto"; font-weight: 700; src: url(fonts/roboto-700.woff2); }
body { font-family: serif; line-height: 1.45; margin: 0 0.5em; }
h1, h2, h3, h4 { font-family: sans-serif; line-height: 1.2; page-break-after: avoid; }
code, pre, kbd { font-family: monospace; font-size: 0.85em; }
pre { white-space: pre-wrap; word-wrap: break-word; overflow-wrap: break-word;
      background: #f2f2f2; padding: 0.5em; border-left: 3px solid #bbb; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
.admonition, details { border-left: 4px solid #3f51b5; padding: 0.2em 0.8em; margin: 1em 0; }
.admonition.warning { border-left-color: #ff9100; }
.admonition.danger { border-left-color: #ff1744; }
.admonition-title, summary { font-weight: bold; font-family: sans-serif; }
figure { margin: 1em 0; text-align: center; }
figcaption { font-size: 0.9em; font-style: italic; }
svg { max-width: 100%; height: auto; }
.cover { text-align: center; margin-top: 20%; }
.section-pages { list-style: none; padding: 0; }
"""
# HTML's parser lowercases attribute names; SVG needs these in camelCase.
SVG_TAGS = (
    "foreignObject",
    "linearGradient",
    "radialGradient",
    "clipPath",
    "textPath",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feBlend",
    "feColorMatrix",
)
SVG_ATTRS = (
    "viewBox",
    "preserveAspectRatio",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "markerUnits",
    "gradientUnits",
    "gradientTransform",
    "patternUnits",
    "clipPathUnits",
    "textLength",
    "lengthAdjust",
    "stdDeviation",
)
DROP = (
    "script",
    "style",
    "form",
    "nav",
    "button",
    "input[type=radio]",
    "a.headerlink",
    "a.md-content__button",
    ".md-source-file",
    "a[id^=__codelineno]",
    ".md-annotation__index",
    "aside.md-source-file",
)
PLACEHOLDER = "EPUB-DIAGRAM-{}"
# Diagram labels were measured in the site's font (Roboto, from npm): with the same font in the
# book they fit their boxes; with a reader's fallback font they are cut off.
FONTS = {f"fonts/roboto-{w}.woff2": vendor.label_font(w) for w in vendor.LABEL_WEIGHTS}


@dataclass
class Page:
    src: str  # docs path, "workloads/pods.md"
    site_path: str  # built file, "workloads/pods.html"
    title: str
    section: str
    body: str = ""  # XHTML of the cleaned article
    ids: set[str] = field(default_factory=set)
    has_svg: bool = False

    @property
    def epub_path(self) -> str:
        return f"{TEXT}/{self.site_path.removesuffix('.html')}.xhtml"


# ---------------------------------------------------------------------------------------------
# Diagrams: the built pages carry each diagram as inline SVG (light and dark copies)


def epub_svg(figure) -> str | None:
    """The light-palette SVG of one `figure.fn-diagram` as XML an EPUB accepts, or None.

    What EPUB's SVG schema refuses: ARIA roles other than img on the root, `name` attributes,
    <rect> without a size, a <p> inside an SVG label's <span>. The root keeps <title>/<desc>."""
    svg = figure.select_one("svg.fn-diagram__svg--light") or figure.find("svg")
    if svg is None:
        return None
    for el in svg.find_all(attrs={"role": True}):
        del el["role"]
    svg["role"] = "img"
    for el in svg.find_all(attrs={"name": True}):
        del el["name"]
    for name in ("focusable", "style"):
        if svg.has_attr(name):
            del svg[name]
    for rect in svg.find_all("rect"):
        for size in ("width", "height"):
            if not rect.has_attr(size):
                rect[size] = "0"
    for para in svg.select("foreignObject p"):
        para.name = "span"
    from bs4 import BeautifulSoup

    holder = BeautifulSoup("<div></div>", "html.parser").div
    holder.append(svg.extract())
    return to_xhtml(holder)


# ---------------------------------------------------------------------------------------------
# Pages: built HTML -> clean XHTML


def _article(source: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source, "html.parser")
    article = soup.select_one("article.md-content__inner") or soup.select_one("article")
    if article is None:
        raise ValueError("no <article> in the page")
    return soup, article


def _title(article) -> str:
    h1 = article.find("h1")
    return " ".join(h1.get_text().split()) if h1 else ""


def clean(article) -> list[str]:
    """Remove browser-only parts in place; open every <details>; return each diagram's SVG
    (light palette), the diagram replaced by a placeholder paragraph."""
    svgs: list[str] = []
    for i, figure in enumerate(article.select("figure.fn-diagram")):
        svg = epub_svg(figure)
        if svg is None:
            raise RuntimeError("a diagram figure without an SVG")
        svgs.append(svg)
        for node in figure.find_all(["svg", "button", "div"]):
            node.decompose()
        figure.insert(0, PLACEHOLDER.format(i))
    for selector in DROP:
        for node in article.select(selector):
            node.decompose()
    for details in article.find_all("details"):
        details["open"] = "open"
    for tag in article.find_all(True):
        for name in [a for a in tag.attrs if a.startswith(("data-md", "tabindex"))]:
            del tag[name]
        if tag.name == "a" and tag.has_attr("name"):
            del tag["name"]
    return svgs


def to_xhtml(node) -> str:
    """The children of a bs4 node as XML: void elements closed, entities as characters."""
    out = "".join(
        child.decode(formatter="minimal")
        if hasattr(child, "decode")
        else html.escape(str(child), quote=False)
        for child in node.children
    )
    for name in SVG_ATTRS:
        out = out.replace(f" {name.lower()}=", f" {name}=")
    for name in SVG_TAGS:  # html.parser lower-cases tag names; SVG's are case-sensitive
        low = name.lower()
        out = out.replace(f"<{low}", f"<{name}").replace(f"</{low}>", f"</{name}>")
    return out


def _rewrite_links(page: Page, article, pages: dict[str, Page], site_url: str) -> None:
    for a in article.find_all("a", href=True):
        href = a["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):
            continue
        path, _, anchor = href.partition("#")
        target_path = (
            posixpath.normpath(posixpath.join(posixpath.dirname(page.site_path), path))
            if path
            else page.site_path
        )
        target = pages.get(target_path)
        if target is None:  # downloads, assets, the print page: the hosted copy
            a["href"] = site_url + target_path + (f"#{anchor}" if anchor else "")
            continue
        if anchor and anchor not in target.ids:
            anchor = ""
        rel = posixpath.relpath(target.epub_path, posixpath.dirname(page.epub_path))
        a["href"] = ("" if target is page else rel) + (f"#{anchor}" if anchor else "")
        if not a["href"]:
            a["href"] = posixpath.basename(page.epub_path)


def build_pages(site_dir: Path, sections: list[site_nav.Section], site_url: str) -> list[Page]:
    """Every nav page as clean XHTML, diagrams inlined, links rewritten."""
    pages: list[Page] = []
    parsed = {}
    svgs: dict[str, list[str]] = {}
    for section in sections:
        for nav_page in section.pages:
            _, article = _article((site_dir / nav_page.html).read_text(encoding="utf-8"))
            svgs[nav_page.html] = clean(article)
            title = _title(article) or nav_page.title or nav_page.src
            page = Page(nav_page.src, nav_page.html, title, section.title)
            page.ids = {tag["id"] for tag in article.find_all(id=True)}
            parsed[page.site_path] = article
            pages.append(page)
    by_site_path = {p.site_path: p for p in pages}
    for page in pages:
        article = parsed[page.site_path]
        _rewrite_links(page, article, by_site_path, site_url)
        body = to_xhtml(article)
        for i, svg in enumerate(svgs.get(page.site_path, [])):
            body = body.replace(PLACEHOLDER.format(i), svg, 1)
            page.has_svg = True
        if PLACEHOLDER.format(0)[:-1] in body:
            raise RuntimeError(f"{page.site_path}: a diagram has no rendered SVG")
        page.body = body
    return pages


# ---------------------------------------------------------------------------------------------
# The package


def _document(title: str, body: str, depth: int, extra_ns: bool = False) -> str:
    css = "../" * depth + "style.css"
    epub_ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if extra_ns else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}"{epub_ns} xml:lang="en" lang="en">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{html.escape(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="{css}"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _section_path(index: int, title: str) -> str:
    return f"{TEXT}/sections/{index:02d}-{_slug(title)}.xhtml"


def _nav(sections: list[tuple[str, str, list[Page]]]) -> str:
    items = []
    for title, path, pages in sections:
        inner = "".join(
            f'<li><a href="{p.epub_path}">{html.escape(p.title)}</a></li>' for p in pages
        )
        items.append(f'<li><a href="{path}">{html.escape(title)}</a><ol>{inner}</ol></li>')
    body = (
        '<nav epub:type="toc" id="toc">\n<h1>Contents</h1>\n<ol>\n'
        '<li><a href="cover.xhtml">Cover</a></li>\n' + "\n".join(items) + "\n</ol>\n</nav>\n"
        '<nav epub:type="landmarks" hidden="hidden">\n<ol>\n'
        '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>\n'
        '<li><a epub:type="toc" href="nav.xhtml">Contents</a></li>\n'
        f'<li><a epub:type="bodymatter" href="{sections[0][1]}">Start</a></li>\n'
        "</ol>\n</nav>"
    )
    return _document("Contents", body, 0, extra_ns=True)


def _opf(
    info: dict[str, str],
    identifier: str,
    modified: str,
    items: list[tuple[str, str, str, str]],
    spine: list[str],
) -> str:
    manifest = "\n".join(
        f'    <item id="{i}" href="{h}" media-type="{m}"'
        + (f' properties="{p}"' if p else "")
        + "/>"
        for i, h, m, p in items
    )
    itemrefs = "\n".join(f'    <itemref idref="{i}"/>' for i in spine)
    title = html.escape(f"{info['site_name']} (Kubernetes v{info['k8s_version']})")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id"
         xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">{identifier}</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:language>en</dc:language>
    <dc:creator>{html.escape(info["site_name"])} team</dc:creator>
    <dc:date>{info["build_date"]}</dc:date>
    <dc:description>Kubernetes study notes checked against Kubernetes v{info["k8s_version"]}; \
built {info["build_date"]} from revision {html.escape(info["git_revision"])}.</dc:description>
    <meta property="dcterms:modified">{modified}</meta>
  </metadata>
  <manifest>
{manifest}
  </manifest>
  <spine>
{itemrefs}
  </spine>
</package>
"""


CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass(frozen=True)
class EpubResult:
    path: Path
    pages: int
    sections: int
    diagrams: int
    seconds: float
    size_bytes: int


def default_output(site_dir: Path, info: dict[str, str]) -> Path:
    return Path(site_dir) / "downloads" / project.download_name("epub", info["k8s_version"])


def _cover(info: dict[str, str]) -> str:
    return _document(
        info["site_name"],
        (
            '<section class="cover">\n'
            f"<h1>{html.escape(info['site_name'])}</h1>\n"
            "<p>Kubernetes study notes, one page per concept, each statement checked against "
            "the official documentation.</p>\n"
            "<p><strong>Verified against Kubernetes "
            f"v{html.escape(info['k8s_version'])}</strong></p>\n"
            f"<p>Built {html.escape(info['build_date'])} from revision "
            f"{html.escape(info['git_revision'])}</p>\n</section>"
        ),
        0,
    )


@dataclass
class Book:
    """Everything that goes into the package: files by path, manifest items, reading order."""

    files: dict[str, str] = field(default_factory=dict)
    items: list[tuple[str, str, str, str]] = field(default_factory=list)
    spine: list[str] = field(default_factory=list)
    diagrams: int = 0


def _add_section(book: Book, index: int, section, pages: list[Page]) -> tuple:
    """A section's title page and its pages; returns its nav entry."""
    members = [p for p in pages if p.section == section.title]
    path = _section_path(index, section.title)
    listing = "".join(
        f'<li><a href="{posixpath.relpath(p.epub_path, posixpath.dirname(path))}">'
        f"{html.escape(p.title)}</a></li>"
        for p in members
    )
    book.files[path] = _document(
        section.title,
        (
            f'<section epub:type="part">\n<h1>{html.escape(section.title)}</h1>\n'
            f'<ol class="section-pages">{listing}</ol>\n</section>'
        ),
        2,
        extra_ns=True,
    )
    book.items.append((f"s{index:02d}", path, "application/xhtml+xml", ""))
    book.spine.append(f"s{index:02d}")
    for n, page in enumerate(members, 1):
        depth = page.epub_path.count("/")
        book.files[page.epub_path] = _document(page.title, page.body, depth)
        item_id = f"s{index:02d}p{n:02d}"
        properties = "svg" if page.has_svg else ""
        book.items.append((item_id, page.epub_path, "application/xhtml+xml", properties))
        book.spine.append(item_id)
        book.diagrams += page.body.count("<svg") if page.has_svg else 0
    return (section.title, path, members)


def _check_well_formed(files: dict[str, str]) -> None:
    for name, text in files.items():
        if name.endswith(".xhtml"):
            try:
                ET.fromstring(text.encode("utf-8"))
            except ET.ParseError as exc:
                raise ValueError(f"{name}: not well-formed XML: {exc}") from exc


def _write_package(out: Path, files: dict[str, str]) -> None:
    with atomic.replacing(out) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        # The mimetype comes first and is stored uncompressed (OCF).
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        for name, text in files.items():
            archive.writestr(f"{OEBPS}/{name}", text, compress_type=zipfile.ZIP_DEFLATED)
        for name, source in FONTS.items():
            archive.write(source, f"{OEBPS}/{name}", compress_type=zipfile.ZIP_STORED)


def export_epub(
    site_dir: Path,
    out_path: Path | None = None,
    mkdocs_yml: Path = project.MKDOCS_YML,
) -> EpubResult:
    start = time.perf_counter()
    site_dir = Path(site_dir)
    info = build_info.read(site_dir)
    out = Path(out_path) if out_path else default_output(site_dir, info)
    sections = site_nav.load_sections(mkdocs_yml)
    pages = build_pages(site_dir, sections, build_info.site_url(site_dir))

    book = Book(
        files={"style.css": STYLE, "cover.xhtml": _cover(info)},
        items=[
            ("nav", "nav.xhtml", "application/xhtml+xml", "nav"),
            ("style", "style.css", "text/css", ""),
            ("cover", "cover.xhtml", "application/xhtml+xml", ""),
            *((f"font{i}", name, "font/woff2", "") for i, name in enumerate(FONTS)),
        ],
        spine=["cover", "nav"],
    )
    nav_sections = [_add_section(book, i, s, pages) for i, s in enumerate(sections, 1)]
    book.files["nav.xhtml"] = _nav(nav_sections)
    _check_well_formed(book.files)
    identifier = "urn:uuid:" + str(
        uuid.uuid5(
            uuid.NAMESPACE_URL, f"{info['site_name']}/{info['k8s_version']}/{info['git_revision']}"
        )
    )
    modified = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    book.files["content.opf"] = _opf(info, identifier, modified, book.items, book.spine)
    _write_package(out, book.files)
    return EpubResult(
        out,
        len(pages),
        len(sections),
        book.diagrams,
        time.perf_counter() - start,
        out.stat().st_size,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.publish.epub", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("site_dir", type=Path, nargs="?", default=project.SITE)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        result = export_epub(args.site_dir, args.out)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{result.path}: {result.pages} pages in {result.sections} sections, "
        f"{result.diagrams} diagrams, {result.size_bytes / 1_048_576:.1f} MiB; "
        f"{result.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
