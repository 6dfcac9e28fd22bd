"""The join of the site's own screen stylesheets (scripts/build/stylesheets.py)."""

from __future__ import annotations

import pytest

from scripts.build import stylesheets

EXTRA = [
    "assets/stylesheets/fonts.css",
    "assets/stylesheets/extra.css",
    "css/print-site.css",
    "assets/stylesheets/diagrams.css",
    "assets/stylesheets/print.css",
]


def test_joins_the_folder_in_order_and_keeps_the_others_apart() -> None:
    sources = stylesheets.joined_sources(EXTRA, {"assets/stylesheets/print.css"})
    assert sources == [EXTRA[0], EXTRA[1], EXTRA[3]]
    assert stylesheets.link_joined(EXTRA, sources) == [
        stylesheets.SITE_CSS,
        "css/print-site.css",
        "assets/stylesheets/print.css",
    ]


def test_nothing_to_join_leaves_the_list_alone() -> None:
    assert stylesheets.link_joined(["css/a.css"], []) == ["css/a.css"]


def test_refuses_a_config_that_links_the_joined_file_itself() -> None:
    with pytest.raises(stylesheets.StylesheetError, match="written by the build"):
        stylesheets.joined_sources([*EXTRA, stylesheets.SITE_CSS], set())


def test_joined_text_names_each_source_in_order() -> None:
    text = stylesheets.join([("a.css", "a { color: red }\n\n"), ("b.css", "b {}")])
    assert text == "/* a.css */\na { color: red }\n/* b.css */\nb {}\n"


@pytest.mark.parametrize("rule", ['@import url("x.css");', '@charset "utf-8";'])
def test_refuses_rules_that_only_work_at_the_start_of_a_file(rule: str) -> None:
    with pytest.raises(stylesheets.StylesheetError, match=r"b\.css: @import and @charset"):
        stylesheets.join([("a.css", "a {}"), ("b.css", f"{rule}\nb {{}}")])
    assert "@import" in stylesheets.join([("c.css", "/* no @import here */ c {}")])
