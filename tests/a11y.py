"""What the accessibility checks share: axe-core in the page, and diagrams' names.

Why a module of its own: the tour of every page over http (tests/conftest.py) audits each
page while it has it open, instead of loading every page a second time for axe; the tests in
test_accessibility.py read the results and drive the keyboard checks.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scripts.snippets.blocks import extract_blocks
from tests import harness


@dataclass(frozen=True)
class PageAudit:
    """One page's load over http: what went wrong loading it, its diagram count, axe's
    violations in both palettes, its diagrams' naming problems (of `named` checked), and how
    far its content moved after the first paint (layout shift, tests/test_layout_shift.py)."""

    problems: list[str]
    diagrams: int
    axe: list[str]
    names: list[str]
    named: int
    shift: harness.LayoutShift


AXE = harness.ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe's rules for WCAG 2.0/2.1 levels A and AA, plus its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Material follows the system preference; body[data-md-color-scheme] names the palette used.
PALETTES = {"light": "default", "dark": "slate"}

# The rules whose outcome depends on colour: all a palette switch can change (it swaps the
# colour custom properties on <body>; markup, names and roles stay as they are).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

RUN_AXE = """async ([type, values]) => {
  const result = await axe.run(document, {runOnly: {type, values},
                                          resultTypes: ["violations"]});
  return result.violations.flatMap(v => v.nodes.map(n => ({
    rule: v.id, impact: v.impact, target: n.target.join(" "), summary: n.failureSummary})));
}"""

# ---------------------------------------------------------------- diagrams


def diagram_sources(path: str) -> list[dict[str, str]]:
    """accTitle and accDescr of each diagram of a built page (path relative to the site), in
    page order, from its Markdown source (the built page holds only the rendered SVG)."""
    md = harness.ROOT / "docs" / (path.removesuffix(".html") + ".md")
    if not md.is_file():
        return []
    found = []
    for block in extract_blocks(md):
        if block.lang != "mermaid":
            continue
        source = block.text
        title = re.search(r"^\s*accTitle\s*:(.+)$", source, re.M)
        desc = re.search(r"^\s*accDescr\s*:(.+)$", source, re.M) or re.search(
            r"^\s*accDescr\s*\{(.*?)\}", source, re.M | re.S
        )
        found.append(
            {
                "title": harness.squash(title.group(1)) if title else "",
                "desc": harness.squash(desc.group(1)) if desc else "",
            }
        )
    return found


def diagram_problems(page, path: str, expected: list[dict[str, str]]) -> list[str]:
    """Each rendered diagram must be a graphic named and described by the accTitle and
    accDescr of its source. A diagram without them is a content bug in its page."""
    rendered = harness.diagram_svgs(page)
    if len(rendered) != len(expected):
        return [f"{path}: {len(expected)} diagrams in the page, {len(rendered)} rendered"]
    problems = []
    for i, (svg, source) in enumerate(zip(rendered, expected, strict=True)):
        where = f"{path}: diagram {i + 1}"
        if not svg["svg"]:
            problems.append(f"{where}: no <svg> rendered")
            continue
        if not source["title"] or not source["desc"]:
            problems.append(f"{where}: the source has no accTitle or no accDescr")
        if not {"img", "graphics-document"} & set(svg["role"].split()):
            problems.append(f"{where}: <svg> role is {svg['role']!r}, not a graphic")
        if not svg["roledescription"]:
            problems.append(f"{where}: <svg> has no aria-roledescription")
        if harness.squash(svg["title"]) != source["title"]:
            problems.append(f"{where}: its <title> {svg['title']!r} is not the accTitle")
        if harness.squash(svg["desc"]) != source["desc"]:
            problems.append(f"{where}: its <desc> {svg['desc']!r} is not the accDescr")
    return problems


def axe_violations(page, path: str, palette: str, colour_only: bool = False) -> list[str]:
    """Audit the page in the palette the system preference asks for, once Material shows it:
    every rule of AXE_TAGS, or (``colour_only``) the rules a palette switch can change."""
    page.emulate_media(color_scheme=palette)
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "(scheme) => document.body.dataset.mdColorScheme === scheme",
            arg=PALETTES[palette],
            timeout=10000,
        )
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    assert scheme == PALETTES[palette], f"{path}: prefers {palette}, shows palette {scheme!r}"
    run = ["rule", COLOUR_RULES] if colour_only else ["tag", AXE_TAGS]
    return [
        f"{path} [{palette}]: {v['rule']} ({v['impact']}) at {v['target']}: {v['summary']}"
        for v in page.evaluate(RUN_AXE, run)
    ]


def audit_both_palettes(page, path: str, order: list[str]) -> list[str]:
    """Every rule in the palette the page loaded in (``order[0]``), then the colour rules in
    the other: measured on the tour, the second full run cost 22 s of 69 and can only differ
    in colour."""
    first, second = order
    return [*axe_violations(page, path, first), *axe_violations(page, path, second, True)]
