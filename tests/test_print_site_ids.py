"""print-site's id rewrite, made fast (scripts/build/print_site_ids.py), gives the plugin's own
output: on every built page and on planted edge cases."""

from __future__ import annotations

import pytest

from scripts.build import print_site_ids

EDGE_CASES = {
    "plain heading": '<h2 id="pods">Pods</h2>',
    "two equal tags": '<li id="a">x</li>\n<li id="a">y</li>',
    "upper-case tag is left": '<H2 id="up">x</H2>',
    "id of a later tag on the line": '<p class="x"><span id="s">a</span></p><h2 id="h">b</h2>',
    "footnote list": '<li id="fn:1"><p>See <a class="fn-back" href="#fnref:1">x</a></p></li>',
    "superscript ref": '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
    "no space after the name": '<li><a id="x">y</a></li>',
    "ID in capitals": '<h3 ID="caps">z</h3>',
    "id value across lines": '<h2 id="a\nb">c</h2>\n<li id="d">e</li>',
    "long line without ids": '<span class="n">x</span> ' * 300 + '\n<h4 id="end">x</h4>',
}


@pytest.mark.parametrize("html", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_planted_cases_match_print_site(html: str) -> None:
    assert print_site_ids.update_anchor_ids(html, "key") == print_site_ids.ORIGINAL(html, "key")


def test_every_built_page_matches_print_site(page_html: dict[str, str]) -> None:
    ours = {path: print_site_ids.update_anchor_ids(html, "k-p") for path, html in page_html.items()}
    differ = [
        path
        for path, html in page_html.items()
        if ours[path] != print_site_ids.ORIGINAL(html, "k-p")
    ]
    assert differ == []
    changed = sum(ours[path] != html for path, html in page_html.items())
    assert changed > len(page_html) // 2  # the comparison saw ids to rewrite, not a no-op


def test_the_build_installs_it() -> None:
    from mkdocs_print_site_plugin import urls

    print_site_ids.install()
    assert urls.update_anchor_ids is print_site_ids.update_anchor_ids
