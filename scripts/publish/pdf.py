"""Print the whole site to one PDF: `python -m scripts.publish.pdf SITE_DIR [--out PATH]`.

Why this route: mkdocs-print-site-plugin already assembles every page, a cover and a table of
contents into `print_page.html`; headless Chromium lays it out with real CSS (paged media,
margin boxes), prints the diagrams (inline SVG rendered at build time) as vectors, and writes
the bookmarks (outline) and the tag tree from the page's headings. The page is served over http
on 127.0.0.1, not opened from file://, because print-site renders it with the 404 context and
its asset paths are absolute ("/"). This script's job is to bring the page to its final printed
state first (the light palette, so each diagram's light copy prints; collapsed blocks opened;
chapters nesting their pages), then to print twice: Chromium cannot compute "which page is this
on" in CSS, so the table of contents gets its page numbers from the first print's link targets.
The numbers found are kept in .cache/pdf-toc.json: the next export of unchanged pages starts
from them and prints once (each print's targets are read back, so stale numbers only cost
another print).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.browser.site import chromium, free_port, is_local, serve
from scripts.build import build_info
from scripts.common import atomic
from scripts.publish import pdf_headers

ROOT = project.ROOT
PRINT_PAGE = "print_page.html"
# The print page holds the whole site and every diagram; loading and rendering it takes a while
# on 2 shared cores (measured: 75 s to "load" at a load average of 30; whole exports took
# 80-250 s at load averages 5-30).
LOAD_TIMEOUT_MS = 300_000
# Requests the printed page has no use for: search (index and worker) and instant navigation's
# sitemap cost seconds of CPU on a page this size.
UNUSED = ("/search/search_index.json", "/workers/search.", "/sitemap.xml")
# A diagram never gets taller than this, so that it and its caption fit on one A4 page (the
# content box is 259 mm tall with print.css's margins) instead of leaving a page-sized gap...
DIAGRAM_MAX_HEIGHT_MM = 215
# ...unless its labels would print under the PDF's 7 pt bar (issue #12): then it may grow to
# this height (a two-line caption still fits below it).
DIAGRAM_TALL_MM = 248
# Labels print at least this size (the bar is 7 pt; measured, poppler reads some diagrams'
# labels up to 3% under the size set here)...
MIN_LABEL_PT = 7.25
# ...and at most this one (the body text prints at 10.8 pt): at their natural size mermaid's
# 16 px labels print at 12 pt, and a diagram that big leaves the text before it alone on a
# sheet (measured: the sidecar diagram, 187 mm tall, left 7 lines on the sheet before it).
MAX_LABEL_PT = 9
# print.css's content width on an A4 portrait sheet (210 mm - 2 x 16 mm). A diagram that would
# need more to print its labels at MIN_LABEL_PT is marked `fn-diagram--wide`: print.css gives it
# a landscape sheet of its own (265 mm wide), at most this tall so that the heading above it
# and its caption fit on that sheet too (measured: at 145 mm a two-line caption's second line
# went to a sheet of its own).
PORTRAIT_WIDTH_MM = 178
LANDSCAPE_MAX_HEIGHT_MM = 130
DIAGRAM_SIZES = [
    DIAGRAM_MAX_HEIGHT_MM,
    DIAGRAM_TALL_MM,
    PORTRAIT_WIDTH_MM,
    LANDSCAPE_MAX_HEIGHT_MM,
    MIN_LABEL_PT,
    MAX_LABEL_PT,
]
# Code blocks of up to this many lines are never split across pages.
SHORT_CODE = 12
# Adding page numbers to the table of contents cannot move a page (each entry already has its
# line), but the export checks that and prints again if it did.
MAX_PRINTS = 3
TOC_CACHE = ROOT / ".cache" / "pdf-toc.json"
PDF_OPTIONS = {
    "format": "A4",
    "print_background": True,
    "prefer_css_page_size": True,
    "outline": True,
    "tagged": True,
    # print.css prints the page number through an @page margin box: Chromium's own footer would
    # print it a second time.
    "display_header_footer": False,
}
DRAFT_OPTIONS = {**PDF_OPTIONS, "outline": False, "tagged": False}

# Runs in the print page once it has loaded. Why each step:
# - the light palette: code takes its colours from Material's CSS variables, and diagrams.css
#   shows each diagram's light copy;
# - <details> open: print.css's ::details-content rule already prints a closed body in this
#   Chromium; the attribute also makes the block "expanded" in the PDF's tag tree;
# - aria-level: Chromium builds the outline from heading levels and print-site gives a chapter's
#   title page and each page in it the same <h1>; one level down per enclosing chapter nests
#   the pages under their chapter in the bookmarks and the tag tree (the look stays);
# - whitespace at either end of a heading would print as blank lines under print.css's
#   `white-space: pre-wrap` (which keeps the spaces of wrapped titles in the bookmarks);
# - links to other files of the site (the downloads) would point at this temporary server:
#   they are pointed at the build's site_url (the page's canonical URL) instead;
# - short code blocks kept whole: print.css lets blocks break (a long one would otherwise jump
#   to the next page and leave a gap), but a heading followed by a short block that cannot
#   split was measured to stay behind alone at the bottom of the page;
# - diagrams: each one's smallest label (its font size, in the SVG's own units) gives the scale
#   it needs to print at minPt, and the most it may take (maxPt); one taller than maxHeight at
#   maxPt prints at minPt (up to tallHeight), a wide one is marked for a landscape sheet
#   (print.css) and capped at wideHeight there;
# - a diagram without its <svg> would print as a blank figure: counted, and the export fails.
PREPARE_PAGE = """([title, sizes, shortLines]) => {
  const [maxHeight, tallHeight, portraitWidth, wideHeight, minPt, maxPt] = sizes;
  document.title = title;
  document.body.setAttribute("data-md-color-scheme", "default");
  document.querySelectorAll("details:not([open])").forEach(d => d.setAttribute("open", ""));
  document.querySelectorAll("#print-site-page section.md-section section.print-page")
    .forEach(section => {
      let depth = 0;
      for (let s = section.parentElement.closest("section.md-section"); s;
           s = s.parentElement.closest("section.md-section")) depth += 1;
      section.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(h => {
        h.setAttribute("aria-level", String(Math.min(6, Number(h.tagName[1]) + depth)));
      });
    });
  document.querySelectorAll("#print-site-page :is(h1, h2, h3, h4, h5, h6)").forEach(h => {
    const [first, last] = [h.firstChild, h.lastChild];
    const text = node => node && node.nodeType === Node.TEXT_NODE;
    if (text(first)) first.textContent = first.textContent.trimStart();
    if (text(last)) last.textContent = last.textContent.trimEnd();
  });
  const siteUrl = document.querySelector("link[rel=canonical]").href.replace(/[^/]*$/, "");
  document.querySelectorAll("#print-site-page a[href]").forEach(a => {
    if (a.origin === location.origin && a.pathname !== location.pathname) {
      a.href = siteUrl + a.pathname.slice(1) + a.search + a.hash;
    }
  });
  document.querySelectorAll("#print-site-page pre").forEach(pre => {
    if (pre.textContent.split("\\n").length <= shortLines) pre.style.breakInside = "avoid";
  });
  let diagrams = 0, broken = 0;
  document.querySelectorAll("#print-site-page figure.fn-diagram").forEach(figure => {
    const svg = figure.querySelector("svg.fn-diagram__svg--light");
    if (!svg || svg.querySelector(".error-icon, .error-text")) { broken += 1; return; }
    let px = Infinity;
    svg.querySelectorAll("text, tspan, foreignObject *").forEach(t => {
      if (t.childElementCount === 0 && t.textContent.trim())
        px = Math.min(px, parseFloat(getComputedStyle(t).fontSize));
    });
    const mm = 96 / 25.4, box = svg.viewBox.baseVal;
    const scale = Number.isFinite(px) ? Math.min(1, minPt / (px * 0.75)) : 0;
    if (Number.isFinite(px) && px * 0.75 > maxPt)
      svg.style.width = `${Math.ceil(box.width * maxPt / (px * 0.75))}px`;
    if (box.width * scale / mm > portraitWidth) {
      figure.classList.add("fn-diagram--wide");
      // print_page.html keeps `/// caption`'s outer <figure> (the build unwraps it on the
      // pages only): that one holds the caption, so it is what goes to the landscape sheet.
      let block = figure;
      while (block.parentElement.tagName === "FIGURE") block = block.parentElement;
      block.classList.add("fn-diagram--wide-block");
      // The heading above it goes to its sheet too, with a paragraph between the two.
      let lead = block.previousElementSibling;
      const heading = e => e && /^H[2-6]$/.test(e.tagName);
      if (lead && lead.tagName === "P" && heading(lead.previousElementSibling)) {
        lead.classList.add("fn-wide-lead");
        lead = lead.previousElementSibling;
      }
      for (; heading(lead); lead = lead.previousElementSibling) lead.classList.add("fn-wide-lead");
      svg.style.maxHeight = `${wideHeight}mm`;
    } else {
      // Too tall for maxHeight at maxPt: it takes (nearly) a page anyway, so it prints at
      // minPt and leaves room for the text before it on that page.
      const least = box.height * scale / mm;
      const height = box.height * Math.min(1, maxPt / (px * 0.75)) / mm > maxHeight
        ? Math.min(tallHeight, least) : maxHeight;
      svg.style.maxHeight = `${Math.ceil(height)}mm`;
    }
    diagrams += 1;
  });
  return [diagrams, broken];
}"""
# Material rewrites the TOC's "#id" links to absolute URLs of this page: read their hash.
TOC_LINKS = "#print-page-toc a[href*='#']"
TOC_TARGETS = f"""() => [...document.querySelectorAll("{TOC_LINKS}")]
  .map(a => decodeURIComponent(a.hash.slice(1)))"""
SET_TOC_PAGES = f"""(pages) => {{
  document.querySelectorAll("{TOC_LINKS}").forEach(a => {{
    const page = pages[decodeURIComponent(a.hash.slice(1))];
    if (page) a.setAttribute("data-page", String(page)); else a.removeAttribute("data-page");
  }});
}}"""


@dataclass(frozen=True)
class PdfResult:
    """What one export produced, for the CLI line and for `make bench`."""

    path: Path
    pages: int
    diagrams: int
    prints: int
    seconds: float
    size_bytes: int


def default_output(site_dir: Path, info: dict[str, str] | None = None) -> Path:
    version = (info or build_info.read(site_dir))["k8s_version"]
    return Path(site_dir) / "downloads" / project.download_name("pdf", version)


def destination_pages(pdf: bytes, names: list[str]) -> dict[str, int]:
    """1-based page of each named destination (Chromium names one per linked element id)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    dests = reader.named_destinations
    found = {}
    for name in names:
        dest = dests.get("/" + name, dests.get(name))
        if dest is not None:
            found[name] = reader.get_destination_page_number(dest) + 1
    return found


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _route(route) -> None:
    """The PDF is built offline: only the local site is fetched, and only what prints."""
    url = route.request.url
    if is_local(url) and not any(part in url for part in UNUSED):
        route.continue_()
    else:
        route.abort()


def read_toc_cache(path: Path | None, targets: list[str]) -> dict[str, int] | None:
    """The page of every TOC target from the last export, if it had exactly these targets."""
    if path is None:
        return None
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or sorted(cached) != sorted(set(targets)):
        return None
    return cached if all(isinstance(v, int) for v in cached.values()) else None


def write_toc_cache(path: Path | None, toc: dict[str, int]) -> None:
    if path is not None:
        atomic.write_bytes(path, json.dumps(toc, sort_keys=True).encode())


def _print(
    site_dir: Path, title: str, browser=None, toc_cache: Path | None = None
) -> tuple[bytes, int, int]:
    """Serve the site, bring the print page to its printed state, print until TOC is stable.

    `browser`: a Playwright Chromium the caller already runs (the tests share one; a second
    sync Playwright cannot start inside the first). Without one, Debian's Chromium is launched.
    """
    with serve(site_dir, free_port()) as url:
        if browser is not None:
            return _print_with(browser, url, title, toc_cache)
        with chromium() as own:
            return _print_with(own, url, title, toc_cache)


def _print_with(browser, url: str, title: str, toc_cache: Path | None) -> tuple[bytes, int, int]:
    context = browser.new_context(color_scheme="light")
    try:
        context.route("**/*", _route)
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT_MS)
        page.goto(url + PRINT_PAGE, wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        diagrams, broken = page.evaluate(PREPARE_PAGE, [title, DIAGRAM_SIZES, SHORT_CODE])
        if broken:
            raise RuntimeError(f"{broken} diagram(s) did not render: not printing them")
        targets = page.evaluate(TOC_TARGETS)
        # The last export's page numbers, or a draft (no tags, no outline: measured ~25%
        # faster than a full print) finds the TOC's pages.
        prints, toc = 0, read_toc_cache(toc_cache, targets) or {}
        if targets and not toc:
            prints, toc = 1, destination_pages(page.pdf(**DRAFT_OPTIONS), targets)
        while True:
            page.evaluate(SET_TOC_PAGES, toc)
            pdf, prints = page.pdf(**PDF_OPTIONS), prints + 1
            found = destination_pages(pdf, targets)
            if found == toc or prints >= MAX_PRINTS:
                write_toc_cache(toc_cache, found)
                # Running heads (section and page title) are laid over the final print.
                pdf = pdf_headers.add_running_heads(
                    context, url, pdf, page.evaluate(pdf_headers.TOC_ENTRIES), found, PDF_OPTIONS
                )
                return pdf, diagrams, prints
            toc = found
    finally:
        context.close()


def export_pdf(
    site_dir: Path, out_path: Path | None = None, browser=None, toc_cache: Path | None = None
) -> PdfResult:
    """Print `site_dir`'s print page to `out_path` (default: SITE_DIR/downloads/...), with
    the caller's Playwright `browser` if it gives one, starting from the TOC page numbers in
    `toc_cache` if it names a file from an export of the same pages."""
    site_dir = Path(site_dir)
    if not (site_dir / PRINT_PAGE).is_file():
        raise FileNotFoundError(f"{site_dir / PRINT_PAGE} not found: build the site first")
    info = build_info.read(site_dir)
    out = Path(out_path) if out_path else default_output(site_dir, info)
    start = time.perf_counter()
    pdf, diagrams, prints = _print(
        site_dir, f"{info['site_name']} (Kubernetes v{info['k8s_version']})", browser, toc_cache
    )
    seconds = time.perf_counter() - start
    atomic.write_bytes(out, pdf)
    return PdfResult(out, page_count(pdf), diagrams, prints, seconds, len(pdf))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.publish.pdf", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("site_dir", type=Path, help="a built site (make html writes site/)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the PDF (default: SITE_DIR/downloads/"
        "kubernetes-field-notes-v<k8s_version>.pdf)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"ignore {TOC_CACHE.relative_to(ROOT)} (print a draft first)",
    )
    args = parser.parse_args(argv)
    try:
        result = export_pdf(args.site_dir, args.out, toc_cache=None if args.no_cache else TOC_CACHE)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{result.path}: {result.pages} pages, {result.diagrams} diagrams, "
        f"{result.size_bytes / 1_048_576:.1f} MiB; exported in {result.seconds:.1f} s "
        f"({result.prints} print{'' if result.prints == 1 else 's'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
