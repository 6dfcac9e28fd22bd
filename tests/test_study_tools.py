"""Study tools on the built site: glossary anchors and tooltips, page footer facts, and the
ports table on a phone.

Expectations come from the data files, git and mkdocs.yml, never from the code that renders
them: a glossary term's anchor is checked against the term's name, a page's date against
`git log -1 -- docs/<page>`, the edit link against `repo_url` + `edit_uri`.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts import project
from scripts.build import page_facts
from tests import a11y, harness

GLOSSARY = "reference/glossary.html"
PORTS = "reference/ports.html"
# A page that uses glossary abbreviations (PV, PVC) in its text.
ABBR_PAGE = "storage/persistent-volumes.html"
PHONE = {"width": 390, "height": 844}


def _terms() -> list[str]:
    return [
        row["term"]
        for path in sorted((project.DATA / "glossary").glob("*.yaml"))
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def _slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def _mkdocs_config() -> dict:
    text = project.MKDOCS_YML.read_text(encoding="utf-8")
    return {k: v for k, v in re.findall(r"^(repo_url|edit_uri):\s*(\S+)", text, re.M)}


# ---------------------------------------------------------------- glossary (static)


def test_every_glossary_term_has_its_own_stable_anchor(page_html: dict[str, str]) -> None:
    source = page_html[GLOSSARY]
    ids = re.findall(r'\sid="([^"]+)"', source)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    terms = _terms()
    dts = dict(re.findall(r'<dt id="([^"]+)"><strong>(.*?)</strong></dt>', source))
    # Every term is a bold <dt> whose id is its name, lower case and hyphenated.
    assert {i: re.sub(r"<[^>]+>", "", t) for i, t in dts.items()} == {_slug(t): t for t in terms}


def test_the_a_to_z_bar_links_every_letter_heading(page_html: dict[str, str]) -> None:
    source = page_html[GLOSSARY]
    bar = re.search(r'<nav [^>]*class="fn-glossary-az"[^>]*>(.*?)</nav>', source, re.S)
    assert bar, "no A-Z bar"
    targets = re.findall(r'href="#([^"]+)"', bar.group(1))
    letters = sorted({t[0].upper() for t in _terms()})
    assert targets == [f"letter-{x.lower()}" for x in letters]
    for target in targets:
        assert f'id="{target}"' in source


def test_glossary_definitions_link_the_page_that_explains_them(page_html: dict[str, str]) -> None:
    source = page_html[GLOSSARY]
    dds = re.findall(r"<dd>(.*?)</dd>", source, re.S)
    assert len(dds) == len(_terms())
    assert [d for d in dds if not re.search(r'Explained in <a href="\.\./[^"]+">', d)] == []


# ---------------------------------------------------------------- glossary (browser)


@pytest.mark.browser
def test_a_term_link_lands_on_the_term(browser, site_url: str) -> None:
    with harness.visit(browser, site_url + GLOSSARY + "#persistentvolumeclaim") as (page, _):
        term = page.locator("#persistentvolumeclaim")
        assert term.is_visible()
        box, height = term.bounding_box(), page.viewport_size["height"]
        assert 0 <= box["y"] < height / 2, box
        weight = term.evaluate("dt => getComputedStyle(dt.querySelector('strong')).fontWeight")
        assert int(weight) >= 700


def _tooltip(page) -> str:
    """Text of the visible Material tooltip, or ""."""
    page.wait_for_timeout(400)  # Material shows it after a short delay
    return page.evaluate("""() => [...document.querySelectorAll('.md-tooltip2--active')]
        .map(t => t.innerText.trim()).join(' ')""")


@pytest.mark.browser
def test_tapping_an_abbreviation_shows_its_definition(browser, site_url: str) -> None:
    context = browser.new_context(has_touch=True, is_mobile=True, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(site_url + ABBR_PAGE, wait_until="load")
        abbr = page.locator("article abbr").first
        name = abbr.inner_text()
        assert abbr.get_attribute("title") is not None
        abbr.scroll_into_view_if_needed()
        abbr.tap()
        shown = _tooltip(page)
        definition = {
            t["term"]: t["definition"]
            for path in (project.DATA / "glossary").glob("*.yaml")
            for t in yaml.safe_load(path.read_text())
        }[name]
        assert harness.squash(definition)[:40] in harness.squash(shown), (name, shown)
    finally:
        context.close()


@pytest.mark.browser
def test_keyboard_focus_on_an_abbreviation_shows_its_definition(browser, site_url: str) -> None:
    with harness.visit(browser, site_url + ABBR_PAGE) as (page, _):
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "ABBR":
                break
        else:
            pytest.fail("no abbreviation is reachable with Tab")
        assert page.evaluate("document.activeElement.matches(':focus-visible')")
        assert len(_tooltip(page)) > 20


@pytest.mark.browser
@pytest.mark.parametrize("path", [GLOSSARY, PORTS, ABBR_PAGE])
def test_study_pages_are_axe_clean_in_both_palettes(browser, site_url: str, path: str) -> None:
    context = browser.new_context()
    context.add_init_script(path=str(a11y.AXE))
    try:
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        found = []
        for palette in a11y.PALETTES:
            found += a11y.axe_violations(page, path, palette)
        assert found == []
    finally:
        context.close()


# ---------------------------------------------------------------- ports on a phone


@pytest.mark.browser
def test_ports_table_reads_on_a_phone_without_sideways_scrolling(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site_url + PORTS, wait_until="load")
        tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
            const wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
            const head = [...t.querySelectorAll('th')].map(th => th.innerText.trim());
            const purpose = head.indexOf('Purpose');
            return {head, wrapScroll: wrap.scrollWidth, wrapWidth: wrap.clientWidth,
                    right: t.getBoundingClientRect().right,
                    purposeRight: Math.max(...[...t.querySelectorAll('tbody tr')].map(
                        tr => tr.children[purpose].getBoundingClientRect().right))};
        })""")
        assert len(tables) == 3
        for table in tables:
            assert table["head"] == ["Port/protocol", "Component", "Purpose"]
            assert table["purposeRight"] <= PHONE["width"], table
            assert table["wrapScroll"] <= table["wrapWidth"] + 1, table
    finally:
        context.close()


# ---------------------------------------------------------------- page footer facts


def _facts(source: str) -> str:
    block = re.search(r'<aside class="md-source-file fn-page-facts">(.*?)</aside>', source, re.S)
    return block.group(1) if block else ""


def test_every_page_names_its_version_date_and_edit_link(
    page_html: dict[str, str], built_site: Path
) -> None:
    config, version = _mkdocs_config(), project.versions().latest
    checked = 0
    for path, source in page_html.items():
        facts = _facts(source)
        assert f"Verified against Kubernetes v{version}" in facts, path
        src = path[: -len(".html")] + ".md"
        if not (project.DOCS / src).is_file():  # generated: no file to edit, no history
            assert "Edit this page" not in facts and "<time" not in facts, path
            continue
        edit = config["repo_url"].rstrip("/") + "/" + config["edit_uri"] + src
        assert f'<a href="{edit}">Edit this page</a>' in facts, path
        if src in page_facts.GENERATED_FROM:
            continue
        date = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", f"docs/{src}"],
            cwd=project.ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if date:
            assert f'<time datetime="{date}">{date}</time>' in facts, path
            checked += 1
    assert checked > 40


def test_generated_pages_date_follows_their_data(page_html: dict[str, str]) -> None:
    def last(*paths: str) -> str:
        return subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", *paths],
            cwd=project.ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()

    assert f'datetime="{last("docs/reference/ports.md", "data/ports.yaml")}"' in _facts(
        page_html[PORTS]
    )
    assert f'datetime="{last("docs/reference/glossary.md", "data/glossary")}"' in _facts(
        page_html[GLOSSARY]
    )


def test_no_date_in_a_shallow_clone_or_outside_git(tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{project.ROOT}", str(shallow)],
        check=True,
        capture_output=True,
    )
    assert page_facts.last_updated(shallow) == {}
    plain = tmp_path / "plain"
    (plain / "docs").mkdir(parents=True)
    (plain / "docs" / "a.md").write_text("# A\n")
    assert page_facts.last_updated(plain) == {}
    assert page_facts.last_updated(project.ROOT)  # the checkout itself has dates


def test_one_git_log_gives_every_file_its_newest_date() -> None:
    log = "\0 2026-05-02\n\ndocs/a.md\n\n\0 2026-04-01\n\ndocs/a.md\ndocs/b.md\n"
    assert page_facts.parse_log(log) == {"docs/a.md": "2026-05-02", "docs/b.md": "2026-04-01"}
