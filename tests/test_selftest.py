"""Self-test in a real browser: test mode, marks, pages read, progress, export and import.

One page with questions and the questions index, over http and from the unzipped offline
copy (file://), with no network: what a learner does in one sitting, reloads included. The
controls are written into the HTML at build time; these tests also check that applying the
stored state moves nothing (no layout shift from them) and that axe finds nothing with every
control in its "on" state, in both palettes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests import a11y, harness

pytestmark = pytest.mark.browser

PAGE = "workloads/pods.html"
INDEX = "reference/questions.html"
KEY = "k8s-field-notes/selftest/v1"

# How many answers are on screen: a question's answer is every child but the summary and the
# control row, so look at the first such child.
VISIBLE_ANSWERS = """() => [...document.querySelectorAll('details.question')].filter(d => {
    const answer = [...d.children].find(c => !c.matches('summary, .qz-row'));
    return d.open && !d.hidden && answer && answer.checkVisibility(); }).length"""

# Layout shifts since the page loaded that moved one of the self-test controls.
SHIFTS = """() => new Promise(done => {
    const ours = (n) => { const el = n && (n.closest ? n : n.parentElement);
                          return !!(el && el.closest('.qz-bar, .qz-row, .qz-read')); };
    const po = new PerformanceObserver(list => done(list.getEntries()
        .filter(e => !e.hadRecentInput && e.sources.some(s => ours(s.node)))
        .map(e => e.value)));
    po.observe({type: 'layout-shift', buffered: true});
    setTimeout(() => done([]), 1500); })"""


def _status(page) -> str:
    return harness.squash(page.locator(".qz-bar[data-qz-bar=page] .qz-status").inner_text())


def _row(page, section: str) -> list[str]:
    """The progress table's cells for one section of the index."""
    row = page.locator("article table tr", has=page.locator(f'a[href$="#{section}"]'))
    return [harness.squash(c) for c in row.locator("td").all_inner_texts()]


def _pressed(locator) -> str | None:
    return locator.get_attribute("aria-pressed")


def _settle(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.querySelector('.qz-btn') !== null")
    page.wait_for_timeout(200)  # selftest.js runs on Material's document$ right after load


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_self_test_marks_progress_and_files(  # noqa: PLR0915 - one reader session, in steps
    browser, site_url: str, offline_site: Path, tmp_path: Path, scheme: str
) -> None:
    base = harness.base_for(scheme, site_url, offline_site)
    with harness.visit(browser, base + PAGE) as (page, record):
        _settle(page)
        questions = page.locator("details.question")
        count = questions.count()
        assert count >= 3 and page.evaluate(VISIBLE_ANSWERS) == 0
        questions.nth(2).locator("summary").click()  # a reader opens one while reading
        assert page.evaluate(VISIBLE_ANSWERS) == 1

        # Test yourself, from the keyboard: every question shown, no answer.
        mode = page.locator(".qz-bar button.qz-mode")
        mode.focus()
        page.keyboard.press("Enter")
        assert _pressed(mode) == "true"
        assert page.evaluate(
            "[...document.querySelectorAll('details.question')].every(d => d.open)"
        )
        assert page.evaluate(VISIBLE_ANSWERS) == 0
        reveal = questions.nth(0).locator("button.qz-reveal")
        reveal.focus()
        page.keyboard.press("Space")
        assert page.evaluate(VISIBLE_ANSWERS) == 1
        assert reveal.get_attribute("aria-expanded") == "true"

        questions.nth(0).locator("button[data-qz-mark=known]").click()
        questions.nth(1).locator("button[data-qz-mark=review]").click()
        assert _status(page).startswith(f"1 of {count} known, 1 to review.")
        page.locator("button.qz-read-toggle").click()

        page.reload()
        _settle(page)
        assert _pressed(mode) == "false" and page.evaluate(VISIBLE_ANSWERS) == 0
        assert _pressed(questions.nth(0).locator("[data-qz-mark=known]")) == "true"
        assert _pressed(questions.nth(1).locator("[data-qz-mark=review]")) == "true"
        assert _pressed(questions.nth(1).locator("[data-qz-mark=known]")) == "false"
        assert _status(page).startswith(f"1 of {count} known, 1 to review.")
        assert _pressed(page.locator("button.qz-read-toggle")) == "true"
        assert page.evaluate(SHIFTS) == [], "applying the stored marks moved the controls"

        key = questions.nth(0).get_attribute("data-qz-key")
        assert key and key.startswith("workloads/pods.md#q-")

        # The index, reached by the bar's link (instant navigation over http).
        page.evaluate("window.__same_document = true")
        page.locator(".qz-bar a[href*='questions.html']").click()
        page.wait_for_function("() => location.pathname.endsWith('/reference/questions.html')")
        _settle(page)
        page.wait_for_function(
            "() => document.querySelector("
            "'[data-qz-count=known][data-qz-section=workloads]')"
            ".textContent === '1'"
        )
        if scheme == "http":
            assert page.evaluate("window.__same_document === true"), "not instant navigation"
        workloads = _row(page, "workloads")
        assert workloads[2:4] == ["1", "1"] and workloads[4].startswith("1 of ")
        on_index = page.locator(f'details.question[data-qz-key="{key}"]')
        assert _pressed(on_index.locator("[data-qz-mark=known]")) == "true"

        # Filters: a section, then the questions to review.
        page.select_option("[data-qz-filter=section]", "workloads")
        shown = page.evaluate(
            "[...document.querySelectorAll('details.question')].filter(d => !d.hidden).length"
        )
        assert shown == int(workloads[1])
        page.select_option("[data-qz-filter=state]", "review")
        assert page.locator(".qz-bar--index .qz-status").inner_text().startswith("Showing 1 of")

        # Export, clear the browser's storage, import into it.
        with page.expect_download() as download:
            page.locator("button.qz-export").click()
        saved = tmp_path / "progress.json"
        download.value.save_as(saved)
        data = json.loads(saved.read_text(encoding="utf-8"))
        assert data["format"] == "k8s-field-notes-progress" and data["version"] == 1
        assert sorted(data["marks"].values()) == ["known", "review"]
        assert data["read"] == {"workloads/pods.md": True}

        page.evaluate("localStorage.clear()")
        page.reload()
        _settle(page)
        assert _row(page, "workloads")[2:4] == ["0", "0"]
        with page.expect_file_chooser() as chooser:
            page.locator("button.qz-import").click()
        chooser.value.set_files(str(saved))
        page.wait_for_function(
            "() => /^Imported 2 marks/.test(document.querySelector('.qz-message').textContent)"
        )
        page.reload()
        _settle(page)
        assert _row(page, "workloads")[2:4] == ["1", "1"]
        stored = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
        assert stored["marks"] == data["marks"] and stored["read"] == data["read"]

        assert record.problems() == []
        if scheme == "file":
            assert record.off_disk() == []


@pytest.mark.parametrize("path", [PAGE, INDEX])
def test_axe_finds_nothing_with_every_control_on(browser, site_url: str, path: str) -> None:
    with harness.visit(browser, site_url + path) as (page, _):
        _settle(page)
        page.add_script_tag(path=str(a11y.AXE))
        page.locator("button.qz-mode").first.click()
        first = page.locator("details.question").first
        first.locator("button.qz-reveal").click()
        first.locator("button[data-qz-mark=known]").click()
        page.locator("details.question").nth(1).locator("[data-qz-mark=review]").click()
        if path == PAGE:
            page.locator("button.qz-read-toggle").click()
        violations = [
            v for palette in a11y.PALETTES for v in a11y.axe_violations(page, path, palette)
        ]
    assert violations == []


def test_every_built_question_has_an_anchor_and_is_in_the_index(page_html: dict[str, str]) -> None:
    """The built HTML, end to end: ids on the pages, the same keys on the index."""
    details = re.compile(r'<details class="question"([^>]*)>')
    index_keys = re.findall(r'data-qz-key="([^"]+)"', page_html[INDEX])
    on_pages = []
    for path, text in page_html.items():
        if path == INDEX:
            continue
        for attrs in details.findall(text):
            ident = re.search(r' id="([^"]+)"', attrs)
            key = re.search(r' data-qz-key="([^"]+)"', attrs)
            assert ident and key, f"{path}: a question without id or key: {attrs}"
            assert key[1] == f"{path.removesuffix('.html')}.md#{ident[1]}"
            on_pages.append(key[1])
    assert len(on_pages) > 250
    assert sorted(on_pages) == sorted(index_keys)
