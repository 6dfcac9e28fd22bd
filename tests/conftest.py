"""Session fixtures: one strict build, one http server, one Chromium for the whole run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import a11y, harness


@pytest.fixture(scope="session")
def site_port() -> int:
    return harness.free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The real site, built once per run with `site_url` on the port the tests serve it on."""
    dest = tmp_path_factory.mktemp("build") / "site"
    result = harness.build_site(dest, f"http://127.0.0.1:{site_port}/")
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


@pytest.fixture(scope="session")
def offline_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip of the build, unzipped elsewhere: what a reader opens from disk."""
    import zipfile

    from scripts.publish.offline_zip import make_offline_zip

    archive = make_offline_zip(built_site)
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archive) as z:
        z.extractall(dest)
    (top,) = dest.iterdir()
    return top


@pytest.fixture(scope="session")
def site_url(built_site: Path, site_port: int):
    with harness.serve(built_site, site_port) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with harness.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def pages(built_site: Path) -> list[str]:
    found = harness.page_paths(built_site)
    assert len(found) > 1, "the build produced no pages"
    return found


@pytest.fixture(scope="session")
def page_html(built_site: Path, pages: list[str]) -> dict[str, str]:
    """Every built page's HTML, read once: tests pick pages by what they contain."""
    return {p: (built_site / p).read_text(encoding="utf-8") for p in pages}


@pytest.fixture(scope="session")
def http_tour(
    browser, site_url: str, page_html: dict[str, str], pages: list[str]
) -> dict[str, a11y.PageAudit]:
    """Every page over http, loaded once, checked for everything a page load can show.

    Why one tour: loading 61 pages is the costliest thing the tests do; the checks that a page
    loads cleanly (test_site_browser) and the axe audit in both palettes with the diagrams'
    names (test_accessibility) all read the same load. Each page is audited with every rule
    in the palette it loaded in, then with the colour rules in the other (Material follows
    the system preference live: measured, the same computed colours as a fresh load); the next
    page loads in the palette audited last, so half the pages load fresh in each. Layout
    shifts are recorded from the first paint and read once both audits are done (by then the
    page's scripts have all run).
    """
    order = list(a11y.PALETTES)
    found: dict[str, a11y.PageAudit] = {}
    for path, page, record in harness.tour(
        browser,
        site_url,
        pages,
        init_script=a11y.AXE,
        color_scheme=order[0],
        init_js=harness.LAYOUT_SHIFTS_INIT,
    ):
        problems, diagrams = harness.page_problems(path, page, record)
        violations = a11y.audit_both_palettes(page, path, order)
        order.reverse()
        expected = a11y.diagram_sources(path)
        found[path] = a11y.PageAudit(
            problems,
            diagrams,
            violations,
            a11y.diagram_problems(page, path, expected),
            len(expected),
            harness.layout_shift(page),
        )
    return found


# The downloads a build publishes besides the HTML, made once per run from the shared build,
# into its downloads/ folder as `make build` does: the download-link and study-pack tests need
# them where the site links them.


@pytest.fixture(scope="session")
def site_pdf(built_site: Path, browser):
    from scripts.publish import pdf

    return pdf.export_pdf(built_site, browser=browser)


@pytest.fixture(scope="session")
def site_flashcards(built_site: Path):
    """(apkg path, csv path, notes per deck) of the build."""
    from scripts.publish import flashcards

    return flashcards.export(built_site)


@pytest.fixture(scope="session")
def site_epub(built_site: Path):
    from scripts.publish import epub

    return epub.export_epub(built_site)
