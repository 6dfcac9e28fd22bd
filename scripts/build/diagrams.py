"""Mermaid diagrams rendered to inline SVG at build time, once per palette (light and dark).

Why build time: readers get plain SVG in the page (no mermaid JavaScript, about 1 MiB over gzip,
no render race, no closed shadow root), and the same SVG serves the hosted site, file://, the
offline zip and the PDF. Every colour is decided here, per palette, where the tests can check it.

How: `prepare()` (called by the build hook before any page is rendered) collects every ```mermaid
block of the pages with the one block extractor, renders the ones not in `.cache/diagrams/` in
one Chromium session (the project's browser, mermaid from the pinned npm copy), and keeps the
SVGs in memory. `fence()` is the superfences formatter (mkdocs.yml `custom_fences`): it puts a
`<figure class="fn-diagram">` with both SVGs in the page; CSS shows the one of the palette.

Each SVG is rendered under a placeholder id; `fence()` replaces it with an id unique in the
page and in the print page (page slug + diagram number + palette), and every internal id of the
SVG (markers, edges, title/desc) is prefixed with it, so mermaid's `#id`-scoped <style> and the
`url(#...)` references never reach another copy.

Status colours: pages write `class A ok` (or risk, lost, muted) and never a colour; the renderer
injects a `classDef` with this palette's pair for each class into every flowchart.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.build import vendor
from scripts.snippets.blocks import Block, extract_blocks

CACHE_DIR = project.CACHE / "diagrams"
MERMAID_JS = project.NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js"
FONT_FILES = {weight: vendor.label_font(weight) for weight in vendor.LABEL_WEIGHTS}
PLACEHOLDER = "fndiagramplaceholder"
# Labels are laid out at build time in Roboto and must be drawn in it: "Roboto Diagram" is the
# face the pages with diagrams carry (diagram-fonts.css, cut to the labels' characters); plain
# "Roboto" (fonts.css, whole files) is the same font where that face is absent (paper, EPUB).
DIAGRAM_FONT = "Roboto Diagram"
FONT_FAMILY = f'"{DIAGRAM_FONT}", "Roboto", "Helvetica Neue", Arial, sans-serif'
FONT_SIZE = 16

# Page backgrounds: Material's default (white) and slate (hsl(225, 15%, 14%) = #1e2129).
PAGE_BG = {"light": "#ffffff", "dark": "#1e2129"}

# Text >= 4.5:1 on every fill, lines >= 3:1 on the page background (tests/test_diagram_legibility
# measures it on the built site). Light: near-black on pale indigo; dark: near-white on deep
# indigo, lines light grey.
_LIGHT = {
    "background": "#ffffff",
    "fontFamily": FONT_FAMILY,
    "fontSize": f"{FONT_SIZE}px",
    "primaryColor": "#e8eaf6",
    "primaryTextColor": "#1a1a1a",
    "primaryBorderColor": "#3f51b5",
    "secondaryColor": "#f3f4f9",
    "secondaryTextColor": "#1a1a1a",
    "secondaryBorderColor": "#5c6bc0",
    "tertiaryColor": "#f5f5f5",
    "tertiaryTextColor": "#1a1a1a",
    "tertiaryBorderColor": "#757575",
    "mainBkg": "#e8eaf6",
    "nodeBorder": "#3f51b5",
    "nodeTextColor": "#1a1a1a",
    "lineColor": "#424242",
    "textColor": "#1a1a1a",
    "titleColor": "#1a1a1a",
    "clusterBkg": "#f5f5f5",
    "clusterBorder": "#757575",
    "edgeLabelBackground": "#ffffff",
    "actorBkg": "#e8eaf6",
    "actorBorder": "#3f51b5",
    "actorTextColor": "#1a1a1a",
    "actorLineColor": "#616161",
    "signalColor": "#212121",
    "signalTextColor": "#1a1a1a",
    "labelBoxBkgColor": "#e8eaf6",
    "labelBoxBorderColor": "#3f51b5",
    "labelTextColor": "#1a1a1a",
    "loopTextColor": "#1a1a1a",
    "noteBkgColor": "#fff8e1",
    "noteTextColor": "#1a1a1a",
    "noteBorderColor": "#8d6e00",
    "activationBkgColor": "#c5cae9",
    "activationBorderColor": "#3f51b5",
    "sequenceNumberColor": "#ffffff",
}
_DARK = {
    "background": "#1e2129",
    "fontFamily": FONT_FAMILY,
    "fontSize": f"{FONT_SIZE}px",
    "darkMode": True,
    "primaryColor": "#2c3358",
    "primaryTextColor": "#eceff1",
    "primaryBorderColor": "#9fa8da",
    "secondaryColor": "#262a36",
    "secondaryTextColor": "#eceff1",
    "secondaryBorderColor": "#9fa8da",
    "tertiaryColor": "#262a36",
    "tertiaryTextColor": "#eceff1",
    "tertiaryBorderColor": "#90a4ae",
    "mainBkg": "#2c3358",
    "nodeBorder": "#9fa8da",
    "nodeTextColor": "#eceff1",
    "lineColor": "#b0bec5",
    "textColor": "#eceff1",
    "titleColor": "#eceff1",
    "clusterBkg": "#262a36",
    "clusterBorder": "#90a4ae",
    "edgeLabelBackground": "#1e2129",
    "actorBkg": "#2c3358",
    "actorBorder": "#9fa8da",
    "actorTextColor": "#eceff1",
    "actorLineColor": "#90a4ae",
    "signalColor": "#cfd8dc",
    "signalTextColor": "#eceff1",
    "labelBoxBkgColor": "#2c3358",
    "labelBoxBorderColor": "#9fa8da",
    "labelTextColor": "#eceff1",
    "loopTextColor": "#eceff1",
    "noteBkgColor": "#3d3620",
    "noteTextColor": "#f5f5f5",
    "noteBorderColor": "#ffd54f",
    "activationBkgColor": "#3949ab",
    "activationBorderColor": "#c5cae9",
    "sequenceNumberColor": "#1e2129",
}
THEMES = {"light": _LIGHT, "dark": _DARK}

#: The site's status classes: (fill, text, border) per palette. The label says the status too;
#: colour is never the only carrier of meaning.
STATUS = {
    "ok": {"light": ("#c8e6c9", "#1b3a1d", "#2e7d32"), "dark": ("#1f4d2b", "#e8f5e9", "#81c784")},
    "risk": {"light": ("#fff3c4", "#3d2f00", "#9a7500"), "dark": ("#4d4000", "#fff8e1", "#ffd54f")},
    "lost": {"light": ("#ffcdd2", "#4a0c0c", "#c62828"), "dark": ("#5c1a1a", "#ffebee", "#ef9a9a")},
    "muted": {
        "light": ("#eeeeee", "#333333", "#9e9e9e"),
        "dark": ("#2a2d35", "#e0e0e0", "#90a4ae"),
    },
}

_CLASSDEF_KINDS = ("flowchart", "graph", "stateDiagram")


def mermaid_config(palette: str) -> dict[str, object]:
    return {
        "startOnLoad": False,
        "securityLevel": "strict",
        "theme": "base",
        "themeVariables": THEMES[palette],
        "fontFamily": FONT_FAMILY,
        "flowchart": {"useMaxWidth": False, "htmlLabels": True, "padding": 12},
        "sequence": {"useMaxWidth": False, "mirrorActors": False, "wrap": False},
        "state": {"useMaxWidth": False},
    }


def status_classdefs(palette: str) -> list[str]:
    return [
        f"  classDef {name} fill:{pair[palette][0]},color:{pair[palette][1]},"
        f"stroke:{pair[palette][2]},stroke-width:2px"
        for name, pair in STATUS.items()
    ]


def normalise(source: str) -> str:
    """The key of a diagram's source: superfences and the block extractor differ in trailing
    white space only."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines())


def with_status_classes(source: str, palette: str) -> str:
    """The source with the status classDefs after its diagram keyword line (flowcharts and
    state diagrams; other kinds have no classDef)."""
    from scripts.snippets.diagrams import _diagram_start

    lines = source.splitlines()
    at = _diagram_start(source)
    if at >= len(lines) or not lines[at].lstrip().startswith(_CLASSDEF_KINDS):
        return source
    return "\n".join(lines[: at + 1] + status_classdefs(palette) + lines[at + 1 :]) + "\n"


@functools.cache
def salt() -> str:
    """What a rendered SVG depends on besides its source: mermaid's build, the theme and
    status colours (in this file) and the renderer code (this file)."""
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())
    if MERMAID_JS.is_file():
        stat = MERMAID_JS.stat()
        digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
        pkg = MERMAID_JS.parent.parent / "package.json"
        if pkg.is_file():
            digest.update(pkg.read_bytes())
    return digest.hexdigest()


def cache_key(source: str, palette: str) -> str:
    return hashlib.sha256(f"{salt()}\0{palette}\0{normalise(source)}".encode()).hexdigest()[:32]


class DiagramError(RuntimeError):
    """A diagram could not be rendered; the message starts with file:line when known."""


@dataclass(frozen=True)
class Item:
    source: str
    where: str  # "docs/page.md:12" (the fence's first content line)


_rendered: dict[tuple[str, str], str] = {}  # (normalised source, palette) -> SVG
_page = {"slug": "page", "count": 0}


def _cache_path(key: str) -> Path:
    return CACHE_DIR / f"{key}.svg"


_RENDER = """async ([config, items]) => {
  mermaid.initialize(config);
  const out = [];
  for (const item of items) {
    try {
      const {svg} = await mermaid.render(item.id, item.text);
      out.push({ok: true, svg});
    } catch (e) {
      out.push({ok: false, message: String((e && e.message) || e)});
    }
    document.querySelectorAll('[id^="d' + item.id + '"], #' + item.id).forEach(n => n.remove());
  }
  return out;
}"""


def _font_faces() -> str:
    faces = []
    for weight, path in FONT_FILES.items():
        if path.is_file():
            data = base64.b64encode(path.read_bytes()).decode()
            faces.append(
                f'@font-face {{ font-family: "{DIAGRAM_FONT}"; font-weight: {weight}; '
                f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}'
            )
    return "\n".join(faces)


def render_sources(items: list[Item], browser=None) -> dict[tuple[str, str], str]:
    """Render every item in both palettes in one Chromium session (the caller's Playwright
    `browser` if it gives one: a second sync Playwright cannot start inside the first)."""
    if not items:
        return {}
    if not MERMAID_JS.is_file():
        raise DiagramError(f"{MERMAID_JS} not found: run `npm ci`")
    from scripts.browser.site import BrowserMissing, chromium

    if browser is not None:
        return _render_in(browser, items)
    try:
        with chromium() as own:
            return _render_in(own, items)
    except BrowserMissing as exc:
        raise DiagramError(f"{exc} (diagrams are rendered at build time)") from None


def _render_in(browser, items: list[Item]) -> dict[tuple[str, str], str]:
    results: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    try:
        page.set_content(
            f"<!doctype html><html><head><style>{_font_faces()}\n"
            f"body {{ font-family: {FONT_FAMILY}; }}</style></head>"
            f"<body></body></html>"
        )
        page.evaluate(
            """(family) => Promise.all([document.fonts.load(`16px "${family}"`),
                                       document.fonts.load(`bold 16px "${family}"`)])""",
            DIAGRAM_FONT,
        )
        page.add_script_tag(path=str(MERMAID_JS))
        for palette in THEMES:
            payload = [
                {"id": PLACEHOLDER, "text": with_status_classes(item.source, palette)}
                for item in items
            ]
            out = page.evaluate(_RENDER, [mermaid_config(palette), payload])
            for item, res in zip(items, out, strict=True):
                if res["ok"]:
                    results[(normalise(item.source), palette)] = res["svg"]
                else:
                    first = res["message"].strip().splitlines()[0] if res["message"] else "?"
                    errors.append(
                        f"{item.where}: mermaid could not render this diagram ({palette}): {first}"
                    )
    finally:
        page.close()
    if errors:
        raise DiagramError("\n".join(dict.fromkeys(errors)))
    return results


def prepare(docs_dir: Path) -> tuple[int, int]:
    """Load or render every diagram of the pages; return (diagrams, rendered now)."""
    docs_dir = Path(docs_dir)
    items: dict[str, Item] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        for block in extract_blocks(path):
            if block.lang == "mermaid":
                rel = os.path.relpath(path, project.ROOT)
                items.setdefault(normalise(block.text), Item(block.text, f"{rel}:{block.line}"))
    todo = []
    for key, item in items.items():
        for palette in THEMES:
            if (key, palette) in _rendered:
                continue
            cached = _cache_path(cache_key(item.source, palette))
            if cached.is_file():
                _rendered[(key, palette)] = cached.read_text(encoding="utf-8")
            elif item not in todo:
                todo.append(item)
    fresh = render_sources(todo)
    from scripts.common import atomic

    for (key, palette), svg in fresh.items():
        _rendered[(key, palette)] = svg
        atomic.write_text(_cache_path(cache_key(key, palette)), svg)
    return len(items), len(todo)


def begin_page(src_uri: str) -> None:
    """Called before a page's Markdown is converted: ids are numbered per page."""
    slug = re.sub(r"[^a-z0-9]+", "-", src_uri.lower().removesuffix(".md")).strip("-")
    _page["slug"], _page["count"] = slug or "page", 0


_ID = re.compile(r'\bid="([^"]+)"')
# mermaid writes an unlabelled `par`/`alt` block's label as a lone zero-width space: a text
# element that shows nothing, but reads as a "word" to text extraction (the PDF's text, search).
_EMPTY_LABEL = re.compile(r"<text\b[^>]*>(?:<tspan\b[^>]*>\u200b</tspan>|\u200b)</text>")


def finish_svg(svg: str, new_id: str, palette: str) -> str:
    """Give the SVG its page id, prefix its internal ids, and size it for the page's CSS."""
    svg = _EMPTY_LABEL.sub("", svg.replace(PLACEHOLDER, new_id))
    ids = {i for i in _ID.findall(svg) if new_id not in i}
    for old in sorted(ids, key=len, reverse=True):
        new = f"{new_id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    root = re.match(r"<svg\b[^>]*>", svg)
    if not root:
        raise DiagramError(f"mermaid returned no <svg> for {new_id}")
    tag = root.group(0)
    view = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', tag)
    width = float(view.group(3)) if view else 600.0
    new_tag = re.sub(r'\s(?:width|height|style)="[^"]*"', "", tag)
    new_tag = re.sub(r'\brole="[^"]*"', 'role="img"', new_tag)
    if 'role="img"' not in new_tag:
        new_tag = new_tag.replace("<svg", '<svg role="img"', 1)
    cls = f"fn-diagram__svg fn-diagram__svg--{palette}"
    if re.search(r'\sclass="', new_tag):
        new_tag = re.sub(
            r'\sclass="([^"]*)"', lambda m: f' class="{m.group(1)} {cls}"', new_tag, count=1
        )
    else:
        new_tag = new_tag.replace("<svg", f'<svg class="{cls}"', 1)
    # Rounded up: the CSS floor of 3/4 of this width then keeps 16 px labels >= 12 px.
    new_tag = new_tag[:-1] + f' style="--fn-w: {math.ceil(width)}px" focusable="false">'
    return svg.replace(tag, new_tag, 1)


def _svg_for(source: str, palette: str) -> str:
    key = normalise(source)
    svg = _rendered.get((key, palette))
    if svg is None:
        cached = _cache_path(cache_key(source, palette))
        if cached.is_file():
            svg = cached.read_text(encoding="utf-8")
        else:
            where = f"{_page['slug']}.md"
            svg = render_sources([Item(source, where)])[(key, palette)]
            from scripts.common import atomic

            atomic.write_text(cached, svg)
        _rendered[(key, palette)] = svg
    return svg


def title_of(source: str) -> str:
    m = re.search(r"^\s*accTitle\s*:(.+)$", source, re.M)
    return " ".join(m.group(1).split()) if m else "Diagram"


def fence(src: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """superfences formatter for ```mermaid: the figure with both palettes' SVG."""
    _page["count"] += 1
    base = f"fn-{_page['slug']}-d{_page['count']}"
    svgs = "".join(finish_svg(_svg_for(src, p), f"{base}-{p}", p) for p in THEMES)
    title = html.escape(title_of(src), quote=True)
    return (
        f'<figure class="fn-diagram" id="{base}">'
        f'<div class="fn-diagram__scroll">{svgs}</div>'
        f'<button type="button" class="fn-diagram__open" aria-haspopup="dialog" '
        f'aria-label="Open full screen: {title}" title="Open full screen">'
        f'<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5 5h5v2H7v3H5'
        f'V5m9 0h5v5h-2V7h-3V5m3 9h2v5h-5v-2h3v-3m-7 3v2H5v-5h2v3h3z"/></svg></button>'
        f"</figure>"
    )


_WRAPPED = re.compile(
    r'<figure>\s*(<figure class="fn-diagram"[^>]*>.*?)</figure>\s*(<figcaption>.*?</figcaption>)'
    r"\s*</figure>",
    re.S,
)


def merge_captions(page_html: str) -> str:
    """`/// caption` wraps the diagram's figure in a figure of its own: one figure, holding the
    diagram and its caption, is what a reader (and a screen reader) should get."""
    return _WRAPPED.sub(r"\1\2</figure>", page_html)


__all__ = [
    "CACHE_DIR",
    "PAGE_BG",
    "STATUS",
    "THEMES",
    "Block",
    "DiagramError",
    "begin_page",
    "cache_key",
    "fence",
    "finish_svg",
    "mermaid_config",
    "normalise",
    "prepare",
    "render_sources",
    "status_classdefs",
    "with_status_classes",
]
