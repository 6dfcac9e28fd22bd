"""The site's own screen stylesheets, shipped to readers as one file.

Why: every stylesheet linked in the head blocks the first paint, costs one more request, and
restyles the whole page when it arrives. The sources stay one file per role in
`docs/assets/stylesheets/` (fonts, layout fixes, diagrams), listed in `mkdocs.yml`
`extra_css`; the build joins them, in that order, into `assets/stylesheets/site.css` and links
that one file in their place, so the cascade is unchanged. Measured (Lighthouse mobile, text
page, the same build with and without the join and the shim move of `overrides/main.html`,
interleaved runs): DESIGN.md, "Patches".

A sheet with a media of its own (`print.css`, linked `media="print"` by the build hook) is not
joined: it must not block the screen. Nor are sheets outside `assets/stylesheets/`. The
sources are still copied to the site (the PDF's running heads load `fonts.css` by itself); no
page links them.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

SITE_CSS = "assets/stylesheets/site.css"


class StylesheetError(ValueError):
    """`extra_css` names a sheet the join cannot take in without changing what it means."""


def joined_sources(extra_css: list[str], keep_apart: set[str]) -> list[str]:
    """The `extra_css` entries to join, in order: those in the joined file's folder (so their
    relative `url(...)`s still resolve), but not those in `keep_apart`. Entries elsewhere
    (print-site adds its own CSS, which the build hook cuts from normal pages) stay links."""
    folder = PurePosixPath(SITE_CSS).parent
    sources = []
    for entry in map(str, extra_css):
        if entry == SITE_CSS:
            raise StylesheetError(f"mkdocs.yml extra_css: {SITE_CSS} is written by the build")
        if PurePosixPath(entry).parent == folder and entry not in keep_apart:
            sources.append(entry)
    return sources


def link_joined(extra_css: list[str], sources: list[str]) -> list[str]:
    """`extra_css` with the joined file where the first source was and the others gone."""
    if not sources:
        return list(extra_css)
    out: list[str] = []
    for entry in extra_css:
        if str(entry) == sources[0]:
            out.append(SITE_CSS)
        elif str(entry) not in sources:
            out.append(entry)
    return out


# Valid only at the very start of a stylesheet: inside the joined file a browser drops them.
_START_ONLY = re.compile(r"@(?:import|charset)\b", re.IGNORECASE)


def join(texts: list[tuple[str, str]]) -> str:
    """The joined stylesheet: each source's text under a comment naming it."""
    for name, text in texts:
        if _START_ONLY.search(re.sub(r"/\*.*?\*/", "", text, flags=re.S)):
            raise StylesheetError(
                f"{name}: @import and @charset only work at the start of a file; joined into "
                f"{SITE_CSS} they would be dropped"
            )
    return "".join(f"/* {name} */\n{text.rstrip()}\n" for name, text in texts)
