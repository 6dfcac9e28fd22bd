"""Running heads for the PDF: "Section · Page title" at the top of every body page.

Why a second layer and not CSS: Chromium prints @page margin boxes (print.css puts the page
number in one) but supports neither `string-set` nor running elements, so a margin box cannot
say which chapter and page a sheet belongs to. The export already knows, after its last print,
the sheet every contents entry starts on; this module prints a transparent A4 sheet per page
holding only its running head, and lays each one over its page (pypdf). The heads are marked as
pagination artifacts, so the tag tree and screen readers skip them.

Which title a sheet carries follows LaTeX's book heads: the first page that starts on the
sheet, or else the page still running from an earlier one. Cover and contents carry none.
"""

from __future__ import annotations

import html
import io

# Every contents entry in document order: its target id, title, and its chapter's title
# ("" for a top-level entry such as the home page or a chapter itself).
TOC_ENTRIES = """() => [...document.querySelectorAll("#print-page-toc a[href*='#']")].map(a => {
  const li = a.closest("li"), up = li && li.parentElement.closest("li");
  const chapter = up ? up.querySelector(":scope > a") : null;
  return {target: decodeURIComponent(a.hash.slice(1)), title: a.textContent.trim(),
          chapter: chapter ? chapter.textContent.trim() : "", top: !up};
})"""

SEPARATOR = " \u00b7 "


def running_heads(entries: list[dict], pages: dict[str, int], count: int) -> list[str]:
    """The head of each of `count` sheets ("" for none), from the contents `entries` and the
    1-based sheet each target starts on (`pages`)."""
    chapters = {e["chapter"] for e in entries if e["chapter"]}
    # (sheet, chapter, title) of each page: every entry but the chapters themselves.
    starts = [
        (pages[e["target"]], e["chapter"], e["title"])
        for e in entries
        if e["target"] in pages and not (e["top"] and e["title"] in chapters)
    ]
    starts.sort(key=lambda s: s[0])
    heads = []
    for sheet in range(1, count + 1):
        on = [s for s in starts if s[0] == sheet]
        before = [s for s in starts if s[0] < sheet]
        current = on[0] if on else (before[-1] if before else None)
        if current is None:
            heads.append("")
        else:
            heads.append(SEPARATOR.join(p for p in current[1:] if p))
    return heads


def overlay_html(heads: list[str], fonts_css: str, landscape: list[bool] | None = None) -> str:
    """One A4 sheet per head, transparent but for the head in the top margin (16 mm sides, as
    print.css's @page margins); a landscape sheet where the page is one (a wide diagram's)."""
    turned = landscape or [False] * len(heads)
    sheets = "".join(
        f'<div class="s{" l" if wide else ""}"><div class="h">{html.escape(h)}</div></div>'
        for h, wide in zip(heads, turned, strict=True)
    )
    return f"""<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{fonts_css}">
<style>
@page {{ size: A4 portrait; margin: 0; }}
@page wide {{ size: A4 landscape; margin: 0; }}
html, body {{ margin: 0; background: transparent; }}
.s {{ position: relative; height: 296mm; overflow: hidden; break-after: page; }}
.s.l {{ page: wide; height: 209mm; }}
.s:last-child {{ break-after: auto; }}
.h {{ position: absolute; top: 9mm; left: 16mm; right: 16mm; padding-bottom: 1.2mm;
      border-bottom: 0.4pt solid #c4c7c5; font: 8pt/1.2 "Roboto", sans-serif; color: #5f6368;
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.h:empty {{ display: none; }}
</style></head><body>{sheets}</body></html>"""


def _as_artifact(page) -> None:
    """Wrap a page's content stream in a pagination artifact (PDF 14.8.2.2)."""
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(
        b"/Artifact <</Type /Pagination /Subtype /Header>> BDC\n"
        + page.get_contents().get_data()
        + b"\nEMC\n"
    )
    page[NameObject("/Contents")] = stream


def add_running_heads(
    context, base_url: str, pdf: bytes, entries: list[dict], pages: dict[str, int], options: dict
) -> bytes:
    """Print the heads with a new tab of the Playwright `context` and lay them over `pdf`."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    heads = running_heads(entries, pages, len(reader.pages))
    if not any(heads):
        return pdf
    tab = context.new_page()
    try:
        # Served from the site's origin: web fonts (Roboto, as the pages) load same-origin only.
        sheet_url = base_url + "__running-heads.html"
        body = overlay_html(
            heads,
            base_url + "assets/stylesheets/fonts.css",
            [p.mediabox.width > p.mediabox.height for p in reader.pages],
        )
        tab.route(sheet_url, lambda route: route.fulfill(body=body, content_type="text/html"))
        tab.goto(sheet_url, wait_until="load")
        tab.evaluate("() => document.fonts.ready.then(() => true)")
        overlay = PdfReader(io.BytesIO(tab.pdf(**{**options, "outline": False, "tagged": False})))
    finally:
        tab.close()
    if len(overlay.pages) != len(reader.pages):
        raise RuntimeError(
            f"running heads: {len(overlay.pages)} sheets for {len(reader.pages)} pages"
        )
    turned = [
        (p.mediabox.width > p.mediabox.height, o.mediabox.width > o.mediabox.height)
        for p, o in zip(reader.pages, overlay.pages, strict=True)
    ]
    if any(page != sheet for page, sheet in turned):
        raise RuntimeError("running heads: a sheet's orientation differs from its page's")
    writer = PdfWriter(clone_from=reader)
    for page, head, sheet in zip(writer.pages, heads, overlay.pages, strict=True):
        if head:
            _as_artifact(sheet)
            page.merge_page(sheet, over=True)
            page.compress_content_streams()  # merging writes the page's content uncompressed
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
