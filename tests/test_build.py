"""The strict build is the gate: a broken internal link or anchor must fail it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests import harness

COPIED = ("mkdocs.yml", "docs", "overrides", "data", "scripts", "notes")


@pytest.fixture()
def site_copy(tmp_path: Path) -> Path:
    for name in COPIED:
        src = harness.ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(harness.ROOT / "node_modules")
    # The snippet checks' results, keyed by each snippet's text: the copy's pages are the
    # real ones, so it reuses them instead of re-running ~500 kubectl commands per build.
    (harness.ROOT / ".cache").mkdir(exist_ok=True)
    (tmp_path / ".cache").symlink_to(harness.ROOT / ".cache")
    return tmp_path


def _plant(copy: Path, page: str, text: str) -> None:
    path = copy / "docs" / page
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + text + "\n", encoding="utf-8")


# A missing page and a missing anchor, each planted on its own page: strict mode reports every
# warning of the build before it aborts, so one build shows both (a build costs ~15 s).
PLANTED_LINKS = {
    "reference/glossary.md": ("[gone](../networking/no-such-page.md)", "no-such-page.md"),
    "reference/ports.md": (
        "[bad anchor](../networking/services.md#no-such-heading)",
        "no-such-heading",
    ),
}


def test_broken_internal_link_fails_build(site_copy: Path) -> None:
    for page, (link, _) in PLANTED_LINKS.items():
        _plant(site_copy, page, link)
    result = harness.build_site(
        site_copy / "out", "http://127.0.0.1:8000/", config=site_copy / "mkdocs.yml"
    )
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    for page, (_, complaint) in PLANTED_LINKS.items():
        assert any(page in line and complaint in line for line in lines), (page, complaint)


def test_print_site_assets_only_on_the_print_page(
    built_site: Path, page_html: dict[str, str]
) -> None:
    """print-site adds its CSS and JS to every page; the hook keeps them on its page only
    (three requests, two render-blocking, that normal pages never use)."""
    marker = ("css/print-site.css", "css/print-site-material.css", "js/print-site.js")
    carrying = [p for p, text in page_html.items() if any(m in text for m in marker)]
    assert carrying == []
    printed = (built_site / "print_page.html").read_text(encoding="utf-8")
    assert all(m in printed for m in marker)


_PRINT_CSS_LINK = re.compile(
    r'<link rel="stylesheet" href="[^"]*assets/stylesheets/print\.css"([^>]*)>'
)


def test_print_css_does_not_block_the_screen(built_site: Path, page_html: dict[str, str]) -> None:
    """print.css is linked `media="print"` on every page (fetched without blocking the first
    paint); print-site's page, the PDF source, keeps its plain link."""
    wrong = {
        page: links
        for page, text in {**page_html, "404.html": (built_site / "404.html").read_text()}.items()
        if (links := _PRINT_CSS_LINK.findall(text)) != [' media="print"']
    }
    assert wrong == {}
    printed = (built_site / "print_page.html").read_text(encoding="utf-8")
    assert _PRINT_CSS_LINK.findall(printed) == [""]


def test_print_css_has_print_rules_only() -> None:
    """Linked for print only, so a screen rule in it would silently stop applying."""
    css = (harness.ROOT / "docs/assets/stylesheets/print.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S).strip()
    assert css.startswith("@media print {")
    depth = 0
    for i, char in enumerate(css):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and char == "}":
            assert css[i + 1 :].strip() == "", "a rule after the @media print block"
            break


_HEAD = re.compile(r"<head>(.*?)</head>", re.S)
_SHEET = re.compile(r'<link rel="stylesheet" href="[^"]*?(assets/stylesheets/[^"]+|css/[^"]+)"')
_SCRIPT_TAG = re.compile(r'<script ((?:defer )?)src="[^"]*?([^"/]+\.js)"')


def test_screen_styles_are_one_file_of_our_own(built_site: Path, page_html: dict[str, str]) -> None:
    """A text page's head blocks its first paint on Material's two sheets and one of ours
    (scripts/build/stylesheets.py), plus print.css for paper; the joined file holds every
    screen source of ours in mkdocs.yml order, and no page links a source by itself."""
    page = page_html["start-here/namespaces.html"]
    sheets = _SHEET.findall(_HEAD.search(page).group(1))
    assert [s.split("/")[-1].split(".")[0] for s in sheets] == ["main", "palette", "site", "print"]
    config = (harness.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    sources = re.findall(r"^  - (assets/stylesheets/(?!print\.css)\S+\.css)", config, re.M)
    assert len(sources) >= 3, sources
    joined = (built_site / "assets/stylesheets/site.css").read_text(encoding="utf-8")
    at = [
        joined.find((harness.ROOT / "docs" / s).read_text(encoding="utf-8").strip())
        for s in sources
    ]
    assert -1 not in at and at == sorted(at), dict(zip(sources, at, strict=True))
    linking = {p: s for p, text in page_html.items() for s in sources if s in _SHEET.findall(text)}
    assert linking == {}


def test_no_script_file_blocks_the_first_paint(page_html: dict[str, str]) -> None:
    """No page loads a script file in its head (the iframe-worker shim was there, on every
    page, for file:// only), and every script file in the body is deferred (overrides/main.html:
    at the end of the body, Material's bundle ran before the first paint whenever it arrived in
    time). Deferred scripts run in document order: the shim, then search.js, which must wrap the
    Worker before Material's bundle creates it."""
    in_head = {
        p: found
        for p, t in page_html.items()
        if (found := _SCRIPT_TAG.findall(_HEAD.search(t).group(1)))
    }
    assert in_head == {}
    for path, text in page_html.items():
        tags = _SCRIPT_TAG.findall(text)
        assert [defer for defer, _ in tags if not defer] == [], (path, tags)
        order = [name for _, name in tags]
        assert order[:2] == ["shim.js", "search.js"] and order[2].startswith("bundle."), (
            path,
            order,
        )
