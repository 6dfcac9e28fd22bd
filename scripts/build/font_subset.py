"""The two screen faces inside fonts.css cut down to the characters the built site shows.

Why: fonts.css is render-blocking on every page, and it carries Roboto 400 and 700 whole
(vendor.inline_fonts, DESIGN.md "Fonts": inlined so that no late font shifts the layout).
The site uses a small part of their Latin range; a subset keeps the same first paint with
less to download and decode. The characters come from every page the build wrote (HTML
entities decoded, so typographic quotes and dashes that Markdown makes count too) plus the
site's own scripts (text they insert) and ASCII always, so a page can never show a character
the subset lacks. The print page is one of those pages: the PDF gets the same subset.

Each subset is kept in `.cache/fonts/` under a hash of the font file, the character set, the
fontTools version and the options, so a build whose text did not change only reads the pages.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

from scripts import project
from scripts.common import atomic

CACHE_DIR = project.CACHE / "fonts"
#: Text the site's own scripts insert into pages (not in any written page).
SCRIPT_SOURCES = project.DOCS / "assets" / "javascripts"
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
# Named and numeric references (`&rsquo;`, `&#8212;`) stand for other characters.
_REFERENCE = re.compile(r"&#?[0-9A-Za-z]+;")
ASCII = frozenset(chr(c) for c in range(0x20, 0x7F))
# Bumped when the subsetting options below change (part of the cache key).
_OPTIONS_TAG = "layout-all/woff2/v1"


def site_characters(site_dir: Path) -> frozenset[str]:
    """Every character of every written page and of the site's own scripts, with ASCII.

    Over-counts on purpose (attributes, diagram labels, code): a needless glyph costs a few
    bytes, a missing one shows in a fallback font.
    """
    chars: set[str] = set(ASCII)
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        chars.update(_ASCII_RUN.sub("", text))  # ASCII is in already (the fastest scan, measured)
        chars.update(html.unescape("".join(set(_REFERENCE.findall(text)))))
    for path in sorted(SCRIPT_SOURCES.glob("*.js")):
        chars.update(path.read_text(encoding="utf-8"))
    return frozenset(c for c in chars if c.isprintable() or c == "\xa0")


def cache_key(font: bytes, chars: frozenset[str]) -> str:
    from fontTools import version as fonttools_version

    digest = hashlib.sha256()
    for part in (font, "".join(sorted(chars)).encode(), fonttools_version.encode()):
        digest.update(hashlib.sha256(part).digest())
    digest.update(_OPTIONS_TAG.encode())
    return digest.hexdigest()


def subset_woff2(font: bytes, chars: frozenset[str], cache_dir: Path = CACHE_DIR) -> bytes:
    """`font` (woff2) with only the glyphs `chars` need, every layout feature kept (kerning,
    ligatures: the text is shaped as with the whole font). Cached by `cache_key`."""
    cached = cache_dir / f"{cache_key(font, chars)}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    face = TTFont(io.BytesIO(font))
    subsetter.subset(face)
    out = io.BytesIO()
    face.flavor = "woff2"
    face.save(out)
    data = out.getvalue()
    atomic.write_bytes(cached, data)
    return data


def covered(font: bytes) -> frozenset[str]:
    """The characters `font` has a glyph for (its cmap)."""
    from fontTools.ttLib import TTFont

    return frozenset(chr(c) for c in TTFont(io.BytesIO(font)).getBestCmap())
