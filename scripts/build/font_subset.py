"""The two faces inside diagram-fonts.css cut down to the characters the diagrams show.

Why: diagram-fonts.css is render-blocking on every page with a diagram, and Roboto 400 and
700 whole are 44 KB (vendor.inline_fonts, DESIGN.md "Fonts": inlined so that the offline copy
draws the labels in the font they were sized for). The labels use a small part of the Latin
range. The characters come from every diagram figure of every written page (HTML entities
decoded) plus ASCII always, so a label can never show a character the subset lacks.

Each subset is kept in `.cache/fonts/` under a hash of the font file, the character set, the
fontTools version and the options, so a build whose diagrams did not change only reads the
pages.
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
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
# Named and numeric references (`&rsquo;`, `&#8212;`) stand for other characters.
_REFERENCE = re.compile(r"&#?[0-9A-Za-z]+;")
ASCII = frozenset(chr(c) for c in range(0x20, 0x7F))
# Bumped when the subsetting options below change (part of the cache key).
_OPTIONS_TAG = "layout-all/no-hinting/woff2/v2"
# TrueType hinting (instructions and the tables of hinted advances) is a third of each subset
# (measured: 12.3 -> 8.2 KB for the 400 face) and changes no advance width: Chromium lays text
# out with the unhinted advances on every platform, as the build measured the labels.
_UNHINTED_TABLES = ["hdmx", "LTSH", "VDMX", "cvt", "fpgm", "prep"]


_FIGURE = re.compile(r'<figure class="fn-diagram".*?</figure>', re.S)


def diagram_characters(site_dir: Path) -> frozenset[str]:
    """Every character inside a diagram figure of every written page, with ASCII.

    Over-counts on purpose (ids, the caption, both palettes' copies): a needless glyph costs a
    few bytes, a missing one shows in a fallback font.
    """
    chars: set[str] = set(ASCII)
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'class="fn-diagram"' not in text:
            continue
        for figure in _FIGURE.findall(text):
            chars.update(_ASCII_RUN.sub("", figure))  # ASCII is in already
            chars.update(html.unescape("".join(set(_REFERENCE.findall(figure)))))
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
    ligatures: the text is shaped as with the whole font), no hinting. Cached by
    `cache_key`."""
    cached = cache_dir / f"{cache_key(font, chars)}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False
    options.drop_tables += _UNHINTED_TABLES
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
