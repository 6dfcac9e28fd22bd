"""Every diagram can be read: on a laptop, on a phone, in light and dark.

Measured in Chromium on the built site, the way a reader meets it (scripts/browser/
diagram_metrics.py): the smallest label after the SVG is scaled to the column, the contrast of
every text against the fill under it and of every line and arrowhead against what is under it,
and labels that overlap or that a visible line crosses. Each check is first shown failing on a
planted bad diagram, so a green run means the check can see the fault.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.browser import diagram_metrics as metrics
from scripts.build import diagrams
from scripts.snippets.blocks import extract_blocks

pytestmark = pytest.mark.browser

DESKTOP_MIN_PX = 12.0
PHONE_MIN_PX = 11.0
TEXT_CONTRAST = 4.5
LINE_CONTRAST = 3.0
CSS = Path(diagrams.__file__).resolve().parents[2] / "docs/assets/stylesheets/diagrams.css"


def problems(row: dict) -> list[str]:
    """What keeps one measured diagram from being readable."""
    where = f"{row['page']}: {row['title'][:50]!r}"
    found = []
    if row["desktop_px"] is None or row["desktop_px"] < DESKTOP_MIN_PX:
        found.append(
            f"{where}: smallest label {row['desktop_px']} px at desktop "
            f"({row['desktop_smallest']!r})"
        )
    if row.get("button_covers"):
        found.append(f"{where}: the full-screen button covers the drawing ({row['button_covers']})")
    if row["desktop_scrolls"]:
        found.append(f"{where}: scrolls sideways at desktop (the scroll box is for phones only)")
    phone_ok = row["phone_px"] is not None and row["phone_px"] >= PHONE_MIN_PX
    if not phone_ok:
        found.append(f"{where}: smallest label {row['phone_px']} px on a phone")
    elif row["phone_scrolls"] and not row["phone_cue"]:
        found.append(f"{where}: scrolls sideways on a phone without a visible cue")
    for palette in ("light", "dark"):
        if row[f"{palette}_text"] < TEXT_CONTRAST:
            found.append(
                f"{where}: text {row[f'{palette}_text_worst']!r} at "
                f"{row[f'{palette}_text']}:1 in {palette}"
            )
        if row[f"{palette}_line"] < LINE_CONTRAST:
            found.append(
                f"{where}: {row[f'{palette}_line_worst']} at "
                f"{row[f'{palette}_line']}:1 in {palette}"
            )
    found += [f"{where}: {o}" for o in row["overlaps"]]
    found += [f"{where}: {c}" for c in row["crossings"]]
    found += [f"{where}: {o}" for o in row["overflows"]]
    return found


# ------------------------------------------------------------------ planted bad diagrams


def _figure(svgs: dict[str, str], n: int) -> str:
    inner = "".join(
        diagrams.finish_svg(svgs[p], f"fn-planted-d{n}-{p}", p) for p in diagrams.THEMES
    )
    return f'<figure class="fn-diagram"><div class="fn-diagram__scroll">{inner}</div></figure>'


def _page(tmp: Path, figures: list[str]) -> str:
    """A stand-in for a site page: the column width, the page backgrounds and diagrams.css;
    the palette follows the system preference, as Material's does, and a toggle in Material's
    markup switches it (the measurement clicks it to see the other palette)."""
    page = tmp / "planted.html"
    page.write_text(
        "<!doctype html><html><head><meta charset=utf-8><style>"
        f"[data-md-color-scheme=default] {{ --md-default-bg-color: {diagrams.PAGE_BG['light']}; }}"
        f"[data-md-color-scheme=slate] {{ --md-default-bg-color: {diagrams.PAGE_BG['dark']}; }}"
        "body { margin: 0; background: var(--md-default-bg-color); }"
        "article { width: min(688px, calc(100vw - 32px)); margin: 0 auto; }"
        f"</style><link rel=stylesheet href='{CSS.as_uri()}'></head><body><script>"
        "document.body.dataset.mdColorScheme = matchMedia('(prefers-color-scheme: dark)')"
        ".matches ? 'slate' : 'default';</script>"
        '<form data-md-component=palette><label onclick="const b = document.body.dataset;'
        " b.mdColorScheme = b.mdColorScheme === 'slate' ? 'default' : 'slate'\">palette"
        "</label></form>"
        f"<article>{''.join(figures)}</article></body></html>",
        encoding="utf-8",
    )
    return page.as_uri()


PLANTED = {
    "wide": """flowchart LR
  accTitle: wide
  accDescr: a long left-to-right chain
  A[kubectl apply] --> B[kube-apiserver] --> C[admission webhooks] --> D[etcd write]
  D --> E[controller manager] --> F[scheduler binds] --> G[kubelet starts it]
""",
    "tiny": """%%{init: {"themeVariables": {"fontSize": "7px"}}}%%
flowchart TB
  accTitle: tiny
  accDescr: labels at 7 px
  A[kube-apiserver] --> B[etcd]
""",
    "white-on-yellow": """flowchart TB
  accTitle: white on yellow
  accDescr: a hand-written colour
  A[quorum at risk] --> B[fine]
  classDef bad fill:#ffeb3b,color:#ffffff
  class A bad
""",
    # mermaid wraps a loop's condition to the width between the two lifelines it spans and
    # centres it there: its lines run across the API server's lifeline.
    "loop-label": """sequenceDiagram
  accTitle: loop label
  accDescr: a long loop condition over two participants
  participant K as kubelet
  participant A as API server
  participant E as etcd
  loop every ten seconds while this kubelet still holds the node lease object
    K->>A: renew lease
  end
  A->>E: write
""",
    # A word mermaid cannot wrap: the note is drawn narrower than its text.
    "long-note-word": """sequenceDiagram
  accTitle: long note word
  accDescr: a note holding one long word
  participant K as kubelet
  participant A as API server
  K->>A: watch
  Note right of A: kube-apiserver.kube-system.svc.cluster.local.example.internal.address
""",
}

# Two labels drawn on top of each other, and an edge drawn over a label: mermaid lays out
# its own diagrams without either, so these are drawn by hand as mermaid would mark them up.
HAND_DRAWN = """<svg id="{id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"
 class="flowchart"><title>hand</title><g class="nodes">
<g class="node"><rect x="20" y="20" width="200" height="60" style="fill:#e8eaf6"/>
<text x="40" y="55" style="font-size:16px;fill:#1a1a1a">overlapping label one</text>
<text x="50" y="58" style="font-size:16px;fill:#1a1a1a">overlapping label two</text></g>
<text x="60" y="150" style="font-size:16px;fill:#1a1a1a">label under an edge</text></g>
<path class="flowchart-link" d="M 40 145 L 380 145"
 style="stroke:#424242;stroke-width:2;fill:none"/>
</svg>"""


# Sequence-diagram texts that a line crosses, marked up as mermaid does (data-et, classes):
# a lifeline drawn over two notes' texts, a message line over a note's text, an alt block's
# dashed separator through its condition; and a node whose label is wider than its box.
HAND_DRAWN_SEQUENCE = """<svg id="{id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 460 340"
 class="sequence"><title>hand sequence</title>
<g data-et="note"><rect x="20" y="20" width="260" height="40" class="note"
 style="fill:#fff8e1;stroke:#8d6e00"/>
<text x="40" y="46" class="noteText" style="font-size:16px;fill:#1a1a1a"
 >note under a lifeline</text></g>
<g data-et="note"><rect x="20" y="80" width="260" height="40" class="note"
 style="fill:#fff8e1;stroke:#8d6e00"/>
<text x="100" y="106" class="noteText" style="font-size:16px;fill:#1a1a1a">note message</text></g>
<line x1="120" y1="0" x2="120" y2="330" class="actor-line" style="stroke:#424242;stroke-width:1"/>
<line x1="150" y1="101" x2="440" y2="101" class="messageLine0"
 style="stroke:#424242;stroke-width:2"/>
<g data-et="control-structure">
<line x1="140" y1="140" x2="440" y2="140" class="loopLine" style="stroke:#3f51b5"/>
<line x1="140" y1="140" x2="140" y2="240" class="loopLine" style="stroke:#3f51b5"/>
<line x1="440" y1="140" x2="440" y2="240" class="loopLine" style="stroke:#3f51b5"/>
<line x1="140" y1="240" x2="440" y2="240" class="loopLine" style="stroke:#3f51b5"/>
<line x1="140" y1="189" x2="440" y2="189" class="loopLine" style="stroke:#3f51b5"/>
<text x="160" y="194" class="loopText" style="font-size:16px;fill:#1a1a1a"
 >[the lease has expired]</text>
</g>
<g class="node" transform="translate(20, 270)"><rect x="0" y="0" width="90" height="50"
 style="fill:#e8eaf6;stroke:#3f51b5"/>
<text x="8" y="31" style="font-size:16px;fill:#1a1a1a">a label wider than its box</text></g>
</svg>"""


@pytest.fixture(scope="module")
def planted(browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("planted")
    items = [diagrams.Item(src, f"planted:{name}") for name, src in PLANTED.items()]
    rendered = diagrams.render_sources(items, browser)
    figures = [
        _figure({p: rendered[(diagrams.normalise(src), p)] for p in diagrams.THEMES}, n)
        for n, src in enumerate(PLANTED.values())
    ]
    for drawn in (HAND_DRAWN, HAND_DRAWN_SEQUENCE):
        hand = {p: drawn.replace("{id}", diagrams.PLACEHOLDER) for p in diagrams.THEMES}
        figures.append(_figure(hand, len(figures)))
    names = [*PLANTED, "hand-drawn", "hand-drawn-sequence"]
    url = _page(tmp, figures)
    return {
        name: {"page": "planted", **row}
        for name, row in zip(names, metrics.measure_page(browser, url), strict=True)
    }


def test_planted_wide_diagram_fails_at_desktop(planted: dict) -> None:
    """A long left-to-right chain is readable at desktop only in the scroll box: a failure."""
    found = problems(planted["wide"])
    assert any("scrolls sideways at desktop" in p for p in found), found


def test_planted_tiny_labels_fail(planted: dict) -> None:
    found = problems(planted["tiny"])
    assert any("px at desktop" in p for p in found), found
    assert any("on a phone" in p for p in found), found


def test_planted_white_on_yellow_fails(planted: dict) -> None:
    found = problems(planted["white-on-yellow"])
    assert any("quorum at risk" in p and "in light" in p for p in found), found


def test_planted_text_dark_on_the_dark_page_fails_in_dark_only(planted: dict) -> None:
    """Near-black text straight on the page: fine in light, lost in dark. Proves the dark
    figures come from the page after the palette toggle, not from the light pass again."""
    found = [p for p in problems(planted["hand-drawn"]) if ":1 in " in p]
    assert any("'label under an edge'" in p and p.endswith("in dark") for p in found), found
    assert not any(p.endswith("in light") for p in found), found


def test_planted_overlap_and_crossing_fail(planted: dict) -> None:
    row = planted["hand-drawn"]
    assert any("overlapping label" in o for o in row["overlaps"]), row
    assert any("label under an edge" in c for c in row["crossings"]), row


def test_planted_loop_condition_across_a_lifeline_fails(planted: dict) -> None:
    found = problems(planted["loop-label"])
    assert any('actor-line crosses "[every ten seconds' in p for p in found), found


def test_planted_note_text_under_a_line_fails(planted: dict) -> None:
    crossings = planted["hand-drawn-sequence"]["crossings"]
    assert 'actor-line crosses "note under a lifeline"' in crossings, crossings
    assert 'messageLine0 crosses "note message"' in crossings, crossings
    # Every label a line crosses is listed, not only its first.
    assert 'actor-line crosses "note message"' in crossings, crossings


def test_planted_block_separator_through_its_condition_fails(planted: dict) -> None:
    crossings = planted["hand-drawn-sequence"]["crossings"]
    assert 'loopLine crosses "[the lease has expired]"' in crossings, crossings


def test_planted_label_outside_its_shape_fails(planted: dict) -> None:
    note = problems(planted["long-note-word"])
    assert any("sticks out of its note" in p for p in note), note
    node = planted["hand-drawn-sequence"]["overflows"]
    assert any(o.startswith('"a label wider than its box" sticks out of its node') for o in node)
    # Text that stays inside its shape is not reported, the 1 px tolerance included.
    assert not any("note under a lifeline" in o or "lease has expired" in o for o in node), node


def test_a_readable_diagram_passes(planted: dict) -> None:
    """The checks do not fail everything: the planted diagrams' other properties pass."""
    row = planted["white-on-yellow"]
    assert row["desktop_px"] >= DESKTOP_MIN_PX and row["overlaps"] == []
    assert row["dark_line"] >= LINE_CONTRAST
    assert row["crossings"] == [] and row["overflows"] == []
    # The loop's tab ("loop" in its box over the kubelet's lifeline) hides the lifeline, and
    # the mermaid-drawn note and actors hold their text: neither is reported.
    assert not any('"loop"' in c for c in planted["loop-label"]["crossings"])
    assert planted["loop-label"]["overflows"] == []


# ------------------------------------------------------------------ the site


@pytest.fixture(scope="module")
def measured(built_site: Path, browser) -> list[dict]:
    rows = metrics.measure_site(built_site, browser=browser)
    assert rows, "no diagram measured"
    return rows


def test_every_diagram_is_measured(measured: list[dict]) -> None:
    sources = [
        b
        for md in sorted(diagrams.project.DOCS.rglob("*.md"))
        for b in extract_blocks(md)
        if b.lang == "mermaid"
    ]
    assert len(measured) == len(sources)


def test_every_diagram_is_legible_in_both_palettes(measured: list[dict]) -> None:
    assert [p for row in measured for p in problems(row)] == []


def test_pages_write_no_colours_in_diagrams() -> None:
    """Colours come from the renderer's palettes and status classes (ok, risk, lost, muted),
    never from a page: a hand-written colour works in one palette only."""
    colour = re.compile(
        r"^\s*(style|classDef|linkStyle)\b.*(#[0-9a-fA-F]{3,8}\b|rgb|hsl|fill:|"
        r"color:|stroke:)",
        re.M,
    )
    found = [
        f"{md.relative_to(diagrams.project.ROOT)}:{b.line}"
        for md in sorted(diagrams.project.DOCS.rglob("*.md"))
        for b in extract_blocks(md)
        if b.lang == "mermaid" and colour.search(b.text)
    ]
    assert found == []


def test_status_classes_keep_contrast_in_both_palettes() -> None:
    """The status pairs themselves: text >= 4.5:1 on its fill, fills tell apart."""

    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def ratio(a: str, b: str) -> float:
        x, y = sorted((lum(a), lum(b)), reverse=True)
        return (x + 0.05) / (y + 0.05)

    for name, pair in diagrams.STATUS.items():
        for palette, (fill, text, _border) in pair.items():
            assert ratio(text, fill) >= TEXT_CONTRAST, (name, palette)
    for palette in ("light", "dark"):
        fills = [pair[palette][0] for pair in diagrams.STATUS.values()]
        assert len(set(fills)) == len(fills)


def test_each_figure_carries_both_palettes_with_unique_ids(page_html: dict[str, str]) -> None:
    for path, text in page_html.items():
        ids = re.findall(r'\sid="([^"]+)"', text)
        dupes = {i for i in ids if ids.count(i) > 1}
        assert not dupes, (path, sorted(dupes)[:5])
        for figure in re.findall(r'<figure class="fn-diagram".*?</figure>', text, re.S):
            assert "fn-diagram__svg--light" in figure and "fn-diagram__svg--dark" in figure
            assert figure.count('role="img"') == 2 and "<figcaption>" in figure, path
