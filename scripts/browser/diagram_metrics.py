"""How legible each diagram of a built site is, measured in Chromium the way a reader meets it.

`python -m scripts.browser.diagram_metrics SITE_DIR [--legacy] [--json OUT]` prints one row per
diagram: smallest label size at desktop (1440 px wide) and on a phone (390 px), worst text
contrast and worst line contrast in light and dark, overlapping labels, labels crossed by a
line and labels wider or taller than their shape. tests/test_diagram_legibility.py asserts on
the same figures.

What is measured, and why this way:
- label size = computed font size x the scale the SVG is drawn at (getScreenCTM), in the real
  page layout; on a phone a diagram may instead sit at a readable size in a box that scrolls
  sideways, if the box shows the scroll cue (diagrams.css);
- contrast: each text's colour against what is painted under its centre (elementsFromPoint:
  the node fill, the label background, the cluster or the page), semi-transparent layers
  composited; each line's and arrowhead's colour against what is under it; WCAG 2 ratios;
- collisions: label boxes that intersect, and lines (edges, messages, lifelines, the frames
  and separators of a sequence diagram's loop/alt/opt/par/critical/break blocks) that are
  visible (not covered by a fill) at a sampled point inside a label's box: every label a line
  passes through, so a note's text, a block's tab and its condition are each checked;
- overflow: a label's ink (its advance width, and its height less the font's empty space above
  and below the glyphs, read with canvas measureText) outside the shape it is drawn in (a
  note, an actor, a block's tab or frame, a node, a cluster) by more than 1 px.
Contrast and collisions do not change with the scale, so they are measured with every diagram
at its natural size (nothing clipped by the scroll box, all of it inside the viewport).

`--legacy` reads a site built before build-time SVG (mermaid inside Material's closed shadow
root): it opens the roots and waits for mermaid, to measure the "before" figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.browser.server import serve
from scripts.browser.site import chromium
from scripts.common.net import free_port

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
PALETTES = {"light": "default", "dark": "slate"}

OPEN_SHADOW_ROOTS = """(() => { const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, {mode: "open"})); }; })();
  window.__eagerDiagrams = true;"""

# Shared helpers, defined once per page: which SVGs are the diagrams, colours, contrast.
HELPERS = r"""
window.__fnd = (() => {
  const diagrams = () => {
    const found = [];
    document.querySelectorAll('figure.fn-diagram svg.fn-diagram__svg').forEach(svg => {
      if (getComputedStyle(svg).display !== 'none') found.push({svg, root: document});
    });
    document.querySelectorAll('div.mermaid').forEach(host => {
      const svg = host.shadowRoot && host.shadowRoot.querySelector('svg');
      if (svg) found.push({svg, root: host.shadowRoot});
    });
    return found;
  };
  const parse = (c) => {
    if (!c || c === 'none' || c.startsWith('url')) return null;
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {   // composite top (rgba) over under (rgb, opaque)
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const SHAPES = new Set(['rect', 'circle', 'ellipse', 'polygon', 'path']);
  // The colour painted at (x, y) under everything in `skip` (and under text).
  const paintAt = (root, x, y, skip) => {
    const layers = [];
    const svgs = root.querySelectorAll('svg');
    const host = root.host || null;
    for (const el of root.elementsFromPoint(x, y)) {
      if (skip(el)) continue;
      // Only the diagram and what it sits in (a sticky header above it is not its background).
      const inside = el.closest('svg') !== null || (host ? el.contains(host)
        : [...svgs].some(s => el.contains(s)));
      if (!inside) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.display === 'none') continue;
      let c = null;
      if (el instanceof SVGElement) {
        if (!SHAPES.has(el.tagName.toLowerCase())) continue;
        c = parse(s.fill);
        if (c) c[3] *= parseFloat(s.fillOpacity || '1') * parseFloat(s.opacity || '1');
      } else {
        c = parse(s.backgroundColor);
      }
      if (!c || c[3] === 0) continue;
      layers.push(c);
      if (c[3] >= 0.999) break;
    }
    let colour = parse(getComputedStyle(document.body).backgroundColor) || [255, 255, 255, 1];
    if (colour[3] < 1) colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  };
  const textNodes = (svg) => {
    const out = [];
    const walk = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim()) continue;
      const el = n.parentElement;
      if (el.closest('title, desc, style, defs, marker')) continue;
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden') continue;
      const svgEl = el instanceof SVGElement ? el : el.closest('foreignObject');
      if (!svgEl) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = el instanceof SVGElement ? [el.getBoundingClientRect()]
        : [...range.getClientRects()];
      const boxes = rects.filter(r => r.width > 0.5 && r.height > 0.5);
      if (!boxes.length) continue;
      const ctm = svgEl.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      out.push({node: n, el, svgEl, boxes, text: n.textContent.trim(),
                px: parseFloat(s.fontSize) * scale,
                colour: parse(el instanceof SVGElement ? s.fill : s.color)});
    }
    return out;
  };
  const LINES = 'path.flowchart-link, g.edgePaths path, line[class^="messageLine"], ' +
    'path[class^="messageLine"], line.actor-line, .actor-line line, path.relation, path.transition';
  // Lines that cross labels but whose contrast is not a line's: a control block's frame and
  // its dashed separators (loop, alt/else, opt, par/and, critical, break).
  const CROSSING = LINES + ', line.loopLine';
  const rectOf = (els) => {
    const rs = els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0);
    if (!rs.length) return null;
    return {left: Math.min(...rs.map(r => r.left)), right: Math.max(...rs.map(r => r.right)),
            top: Math.min(...rs.map(r => r.top)), bottom: Math.max(...rs.map(r => r.bottom))};
  };
  // The shape a label is drawn inside, or null for a free label (a message, an edge label):
  // a sequence note, actor or control-block tab; a control block's frame for its condition;
  // a flowchart or state node's shape; a cluster's box.
  const owner = (t) => {
    const text = t.el.closest('text');
    const cls = text ? (text.getAttribute('class') || '') : '';
    if (text && /\b(noteText|labelText|actor)\b/.test(cls)) {
      const shape = text.parentElement.querySelector(
        ':scope > rect.note, :scope > polygon.labelBox, :scope > rect.actor');
      return shape ? {what: shape.getAttribute('class').split(' ')[0],
                      box: shape.getBoundingClientRect()} : null;
    }
    if (text && /\bloopText\b/.test(cls)) {
      const frame = rectOf([...text.parentElement.querySelectorAll(':scope > line.loopLine')]);
      return frame ? {what: 'block frame', box: frame} : null;
    }
    const node = t.svgEl.closest('g.node, g.cluster');
    if (!node) return null;
    const shape = [...node.children].find(c => SHAPES.has(c.tagName.toLowerCase())
      || c.matches('g:not(.label):not(.cluster-label)'));
    const box = shape ? rectOf([shape]) : null;
    return box ? {what: node.classList.contains('cluster') ? 'cluster' : 'node', box} : null;
  };
  // The ink of a text box: its advance width, and its height less the font's empty space
  // above the tallest and below the lowest glyph (a box is ascent + descent of the font).
  const ctx = document.createElement('canvas').getContext('2d');
  const ink = (t, b) => {
    const s = getComputedStyle(t.el);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const m = ctx.measureText(t.text);
    const k = t.px / parseFloat(s.fontSize);
    const top = Math.max(0, m.fontBoundingBoxAscent - m.actualBoundingBoxAscent) * k;
    const bottom = Math.max(0, m.fontBoundingBoxDescent - m.actualBoundingBoxDescent) * k;
    return {left: b.left, right: b.right, top: b.top + top, bottom: b.bottom - bottom};
  };
  return {diagrams, parse, ratio, paintAt, textNodes, LINES, CROSSING, owner, ink};
})();
"""

SIZES = """() => window.__fnd.diagrams().map(({svg}) => {
  const texts = window.__fnd.textNodes(svg);
  const box = svg.closest('.fn-diagram__scroll');
  const scrolls = !!box && box.scrollWidth > box.clientWidth + 1;
  const bg = box ? getComputedStyle(box).backgroundImage : 'none';
  const min = texts.length ? Math.min(...texts.map(t => t.px)) : null;
  const smallest = texts.find(t => t.px === min);
  // The full-screen button must sit beside the drawing, never on it.
  const button = svg.closest('figure')?.querySelector('.fn-diagram__open');
  const b = button ? button.getBoundingClientRect() : null;
  const s = svg.getBoundingClientRect();
  const covered = !!b && !(b.bottom <= s.top || b.top >= s.bottom || b.right <= s.left
    || b.left >= s.right);
  return {title: (svg.querySelector('title') || {}).textContent || '',
          min_px: min, smallest: smallest ? smallest.text : '',
          width: s.width, scrolls, covered,
          cue: scrolls && bg.includes('gradient')};
})"""

NATURAL = """(i) => {
  const {svg} = window.__fnd.diagrams()[i];
  const vb = svg.viewBox.baseVal;
  svg.style.setProperty('width', vb.width + 'px', 'important');
  svg.style.setProperty('max-width', 'none', 'important');
  svg.style.setProperty('min-width', '0', 'important');
  svg.style.setProperty('height', vb.height + 'px', 'important');
  const box = svg.closest('.fn-diagram__scroll');
  if (box) box.style.overflow = 'visible';
  return [vb.width, vb.height];
}"""

SCROLL_TO = """(i) => { const {svg} = window.__fnd.diagrams()[i];
  svg.scrollIntoView({block: 'start', inline: 'start'});
  window.scrollBy(0, -100);
  const r = svg.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }"""

NO_POINTER_EVENTS_GAPS = (
    "svg * { pointer-events: visiblePainted !important; } "
    "foreignObject * { pointer-events: auto !important; } "
    ".md-header, .md-tabs, .md-banner, .md-top { visibility: hidden !important; }"
)

DETAILS = """(i) => {
  const F = window.__fnd;
  const {svg, root} = F.diagrams()[i];
  const texts = F.textNodes(svg);
  const isText = (el) => el instanceof SVGElement
    ? ['text', 'tspan', 'foreignObject', 'svg', 'g'].includes(el.tagName) : false;
  let worstText = {ratio: 99, text: ''};
  for (const t of texts) {
    const b = t.boxes[0];
    const under = F.paintAt(root, b.left + b.width / 2, b.top + b.height / 2, isText);
    if (!t.colour) continue;
    const r = F.ratio(t.colour, under);
    if (r < worstText.ratio) worstText = {ratio: r, text: t.text};
  }
  const lines = [...svg.querySelectorAll(F.CROSSING)].filter(l => {
    const s = getComputedStyle(l); return s.display !== 'none' && s.stroke !== 'none'
      && parseFloat(s.strokeWidth) > 0 && s.visibility !== 'hidden';
  });
  let worstLine = {ratio: 99, what: ''};
  const crossings = [];
  const labelBoxes = texts.flatMap(t => t.boxes.map(b => ({t, b})));
  for (const line of lines) {
    const s = getComputedStyle(line);
    const colour = F.parse(s.stroke);
    const len = line.getTotalLength();
    const ctm = line.getScreenCTM();
    const points = [];
    for (let d = 0; d <= len; d += 2) {
      const p = line.getPointAtLength(d);
      points.push(new DOMPoint(p.x, p.y).matrixTransform(ctm));
    }
    if (colour && points.length && line.matches(F.LINES)) {
      const mid = points[Math.floor(points.length / 2)];
      const under = F.paintAt(root, mid.x, mid.y, el => el === line || isText(el));
      const r = F.ratio(colour, under);
      const what = (line.getAttribute('class') || line.tagName).split(' ')[0];
      if (r < worstLine.ratio) worstLine = {ratio: r, what};
      // The arrowhead: the marker's painted colour against what is under the line's end.
      const end = (s.markerEnd && s.markerEnd !== 'none') ? s.markerEnd : null;
      if (end) {
        const id = decodeURIComponent(end.replace(/^url\\("?#?/, '').replace(/"?\\)$/, '')
          .split('#').pop());
        const marker = root.getElementById ? root.getElementById(id) : document.getElementById(id);
        const shape = marker && marker.querySelector('path, polygon, circle');
        if (shape) {
          const ms = getComputedStyle(shape);
          const mc = F.parse(ms.fill) || F.parse(ms.stroke);
          const last = points[points.length - 1];
          const u2 = F.paintAt(root, last.x, last.y, el => el === line || isText(el));
          if (mc) {
            const r2 = F.ratio(mc, u2);
            if (r2 < worstLine.ratio) worstLine = {ratio: r2, what: 'arrowhead'};
          }
        }
      }
    }
    // Every label the line passes through (a point may lie in two boxes: a note's text and
    // the condition of the block around it), each reported once.
    const crossed = new Set();
    for (const p of points) {
      const hits = labelBoxes.filter(({t, b}) => !crossed.has(t) && p.x > b.left + 1.5
        && p.x < b.right - 1.5 && p.y > b.top + 1.5 && p.y < b.bottom - 1.5);
      for (const hit of hits) {
        // Visible there? The line must come before any opaque fill in paint order.
        let visible = false;
        for (const el of root.elementsFromPoint(p.x, p.y)) {
          if (el === line) { visible = true; break; }
          if (isText(el) || hit.t.el.contains(el)) continue;
          const es = getComputedStyle(el);
          const c = el instanceof SVGElement ? F.parse(es.fill) : F.parse(es.backgroundColor);
          if (c && c[3] > 0.9) break;
        }
        if (!visible) continue;
        crossed.add(hit.t);
        const kind = (line.getAttribute('class') || line.tagName).split(' ')[0];
        crossings.push(`${kind} crosses "${hit.t.text}"`);
      }
    }
  }
  // Labels that stick out of the shape they are drawn in (1 px tolerance).
  const overflows = [];
  for (const t of texts) {
    const own = F.owner(t);
    if (!own) continue;
    const o = own.box;
    for (const b of t.boxes.map(b => F.ink(t, b))) {
      const out = Math.max(o.left - b.left, b.right - o.right, o.top - b.top, b.bottom - o.bottom);
      if (out > 1) {
        overflows.push(`"${t.text}" sticks out of its ${own.what} by ${out.toFixed(1)} px`);
        break;
      }
    }
  }
  const overlaps = [];
  for (let a = 0; a < labelBoxes.length; a++) {
    for (let b = a + 1; b < labelBoxes.length; b++) {
      const A = labelBoxes[a], B = labelBoxes[b];
      if (A.t === B.t || A.t.svgEl === B.t.svgEl) continue;
      const w = Math.min(A.b.right, B.b.right) - Math.max(A.b.left, B.b.left) - 2;
      const h = Math.min(A.b.bottom, B.b.bottom) - Math.max(A.b.top, B.b.top) - 2;
      if (w > 0 && h > 0) overlaps.push(`"${A.t.text}" overlaps "${B.t.text}"`);
    }
  }
  return {text_contrast: worstText.ratio, text_worst: worstText.text,
          line_contrast: worstLine.ratio, line_worst: worstLine.what,
          overlaps: [...new Set(overlaps)], crossings: [...new Set(crossings)],
          overflows: [...new Set(overflows)]};
}"""


def _settle(page, legacy: bool) -> None:
    page.wait_for_load_state("load")
    if legacy:
        page.wait_for_function(
            "() => document.querySelectorAll('pre.mermaid').length === 0", timeout=60000
        )
        page.wait_for_timeout(300)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.add_script_tag(content=HELPERS)


def _style_roots(page, css: str | None) -> None:
    """Add ``css`` to the page and every open shadow root; None takes it away again."""
    page.evaluate(
        """(css) => { const roots = [document, ...[...document.querySelectorAll('div.mermaid')]
          .map(h => h.shadowRoot).filter(Boolean)];
      roots.forEach(root => root.querySelectorAll('style[data-fnd]').forEach(s => s.remove()));
      if (css === null) return;
      roots.forEach(root => { const s = document.createElement('style');
        s.dataset.fnd = ''; s.textContent = css; (root.head || root).appendChild(s); }); }""",
        css,
    )


def _show_palette(page, scheme: str) -> None:
    """Click the palette toggle, as a reader does, until the page shows ``scheme``. The
    toggle cycles system preference -> light -> dark; the choice is kept for the next page."""
    for _ in range(3):
        if page.evaluate("document.body.dataset.mdColorScheme") == scheme:
            return
        page.locator("form[data-md-component=palette] label:visible").first.click()
    shown = page.evaluate("document.body.dataset.mdColorScheme")
    assert shown == scheme, (page.url, scheme, shown)


def _measure(page, url: str, legacy: bool) -> list[dict]:
    """One page in an open browser page: sizes once (they do not depend on the palette), then
    contrast and collisions in the palette it opened in and, after a click on the toggle, in
    the other one. One load per page, not one per palette: half the measuring time."""
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    _settle(page, legacy)
    sizes = {"desktop": page.evaluate(SIZES)}
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    sizes["phone"] = page.evaluate(SIZES)
    rows = [{"url": url, "title": d["title"]} for d in sizes["desktop"]]
    for row, desk, phone in zip(rows, sizes["desktop"], sizes["phone"], strict=True):
        row.update(
            desktop_px=desk["min_px"],
            desktop_smallest=desk["smallest"],
            desktop_scrolls=desk["scrolls"],
            phone_px=phone["min_px"],
            phone_smallest=phone["smallest"],
            phone_scrolls=phone["scrolls"],
            phone_cue=phone["cue"],
            button_covers=[w for w, m in (("desktop", desk), ("phone", phone)) if m["covered"]],
        )
    shown = page.evaluate("document.body.dataset.mdColorScheme")
    order = sorted(PALETTES, key=lambda name: PALETTES[name] != shown)  # no click first
    for palette in order:
        _style_roots(page, None)  # the header (and its toggle) back in view
        page.evaluate("window.scrollTo(0, 0)")
        page.set_viewport_size(DESKTOP)
        _show_palette(page, PALETTES[palette])
        _style_roots(page, NO_POINTER_EVENTS_GAPS)
        for i, row in enumerate(rows):
            width, height = page.evaluate(NATURAL, i)
            page.set_viewport_size(
                {"width": max(1440, int(width) + 500), "height": max(900, int(height) + 300)}
            )
            page.evaluate(SCROLL_TO, i)
            found = page.evaluate(DETAILS, i)
            row[f"{palette}_text"] = round(found["text_contrast"], 2)
            row[f"{palette}_text_worst"] = found["text_worst"]
            row[f"{palette}_line"] = round(found["line_contrast"], 2)
            row[f"{palette}_line_worst"] = found["line_worst"]
            if palette == "light":
                row["overlaps"] = found["overlaps"]
                row["crossings"] = found["crossings"]
                row["overflows"] = found["overflows"]
    return rows


def _measure_all(browser, urls: list[str], legacy: bool) -> list[list[dict]]:
    """Every diagram of each page: sizes at desktop and phone, contrast and collisions in light
    and dark. One browser page for them all (a new context per page cost 0.15 s each)."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    if legacy:
        context.add_init_script(OPEN_SHADOW_ROOTS)
    try:
        page = context.new_page()
        return [_measure(page, url, legacy) for url in urls]
    finally:
        context.close()


def measure_page(browser, url: str, legacy: bool = False) -> list[dict]:
    """Every diagram of one page (see _measure_all)."""
    return _measure_all(browser, [url], legacy)[0]


def diagram_pages(site: Path, legacy: bool = False) -> list[str]:
    marker = 'class="mermaid"' if legacy else 'class="fn-diagram"'
    skip = ("print_page.html", "404.html")
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name not in skip and marker in p.read_text(encoding="utf-8")
    )


def measure_site(
    site: Path, legacy: bool = False, browser=None, pages: list[str] | None = None
) -> list[dict]:
    pages = pages if pages is not None else diagram_pages(site, legacy)
    rows: list[dict] = []
    with serve(site, free_port()) as base:
        urls = [base + p for p in pages]
        if browser is None:
            with chromium() as own:
                measured = _measure_all(own, urls, legacy)
        else:
            measured = _measure_all(browser, urls, legacy)
    for p, found in zip(pages, measured, strict=True):
        rows += [{"page": p, **r} for r in found]
    return rows


def table(rows: list[dict]) -> str:
    head = (
        "| page | diagram | desktop px | phone px | light text / line | dark text / line "
        "| overlaps | crossings | overflows |\n|---|---|---|---|---|---|---|---|---|"
    )
    out = [head]
    for r in rows:
        phone = f"{r['phone_px']:.1f}" + (" (scroll box)" if r.get("phone_scrolls") else "")
        out.append(
            f"| {r['page']} | {r['title'][:40]} | {r['desktop_px']:.1f} | {phone} | "
            f"{r['light_text']:.2f} / {r['light_line']:.2f} | "
            f"{r['dark_text']:.2f} / {r['dark_line']:.2f} | {len(r['overlaps'])} | "
            f"{len(r['crossings'])} | {len(r['overflows'])} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.browser.diagram_metrics")
    parser.add_argument("site", type=Path)
    parser.add_argument(
        "--legacy",
        action="store_true",
        help="a site built with in-browser mermaid (the 'before' figures)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--page", action="append", default=None)
    args = parser.parse_args(argv)
    rows = measure_site(args.site, args.legacy, pages=args.page)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
