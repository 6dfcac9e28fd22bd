"""The copies of Material's partials in overrides/ are upstream plus exactly the documented
change (docs/decisions.md). When the pinned Material changes one of these files, this fails and
names the file to re-copy, instead of the site silently keeping an old template."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from scripts import project

UPSTREAM = Path(material.__file__).parent / "templates" / "partials"
GENERATED = "{#-\n  This file was automatically generated - do not edit\n-#}\n"


def _without_leading_comment(text: str) -> str:
    """Drop a leading Jinja comment (ours says why; upstream's says "generated")."""
    if text.startswith("{#-"):
        text = text[text.index("-#}") + 3 :].lstrip("\n")
    return text


# override -> (upstream partial, the edit that turns upstream into ours)
COPIES = {
    "partials/search.html": (
        "search.html",
        lambda t: t.replace(
            'role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">', 1
        ),
    ),
    "partials/source.html": (
        "source.html",
        lambda t: t.replace(' data-md-component="source"', "", 1),
    ),
    "partials/javascripts/content.html": (
        "javascripts/content.html",
        lambda t: (
            t
            + _without_leading_comment(
                (project.OVERRIDES / "partials/javascripts/content.html").read_text()
            ).split("</script>\n", 2)[2]
        ),
    ),
}


@pytest.mark.parametrize("override", sorted(COPIES))
def test_override_is_upstream_plus_the_documented_change(override: str) -> None:
    upstream_name, edit = COPIES[override]
    upstream = (UPSTREAM / upstream_name).read_text(encoding="utf-8")
    assert upstream.startswith(GENERATED), upstream_name
    ours = _without_leading_comment((project.OVERRIDES / override).read_text(encoding="utf-8"))
    expected = edit(_without_leading_comment(upstream))
    assert expected != _without_leading_comment(upstream), f"{override}: the change is gone"
    assert ours == expected, f"{override} no longer matches Material's {upstream_name}: re-copy"


def test_every_override_file_is_listed_in_the_decisions() -> None:
    decisions = (project.ROOT / "DESIGN.md").read_text(encoding="utf-8")
    for path in sorted(project.OVERRIDES.rglob("*.*")):
        assert f"overrides/{path.relative_to(project.OVERRIDES).as_posix()}" in decisions, path


def test_pages_carry_link_preview_tags(page_html: dict[str, str]) -> None:
    for path, html in page_html.items():
        title = re.search(r'<meta property="og:title" content="([^"]*)">', html)
        assert title and title.group(1), path
        assert '<meta name="twitter:card" content="summary">' in html, path


def test_every_page_names_the_verified_version(page_html: dict[str, str]) -> None:
    banner = f"verified against <strong>Kubernetes v{project.versions().latest}</strong>"
    missing = [p for p, html in page_html.items() if banner not in html]
    assert missing == []
