"""Front-end files the site ships from npm (package-lock.json pins them).

They are copied into the build output by the MkDocs hook, never committed, so one list here is
the only place that says which npm file lands where in the site.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scripts import project

ROOT = project.ROOT
NODE_MODULES = ROOT / "node_modules"

_FONTS = [f"roboto-latin-{w}-normal.woff2" for w in (300, 400, 700)]

#: site path -> path under node_modules
VENDOR_FILES: dict[str, str] = {
    "assets/vendor/iframe-worker/shim.js": "iframe-worker/shim/index.js",
    **{f"assets/vendor/fonts/{name}": f"@fontsource/roboto/files/{name}" for name in _FONTS},
    "assets/vendor/fonts/roboto-mono-latin-400-normal.woff2": (
        "@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2"
    ),
}


# The weights the diagrams' labels are laid out and drawn in (the build's renderer, the pages'
# diagram-fonts.css, the EPUB). DESIGN.md, "Fonts".
LABEL_WEIGHTS = (400, 700)
# Font files diagram-fonts.css inlines as data: URIs (the diagrams' labels on screen; fonts.css
# names the same files for paper, where they stay separate files).
INLINE_FONTS = tuple(f"roboto-latin-{w}-normal.woff2" for w in LABEL_WEIGHTS)


def font_file(name: str) -> Path:
    """The npm file behind the site's `assets/vendor/fonts/<name>`."""
    return NODE_MODULES / VENDOR_FILES[f"assets/vendor/fonts/{name}"]


def label_font(weight: int) -> Path:
    """The npm file of the labels' Roboto face of `weight` (one of LABEL_WEIGHTS)."""
    return font_file(INLINE_FONTS[LABEL_WEIGHTS.index(weight)])


class MissingVendorFile(RuntimeError):
    """An npm file the site needs is absent: `npm ci` has not run."""


def vendor_sources() -> dict[str, Path]:
    """Map each site path to its file in node_modules, failing loudly if one is missing."""
    sources = {dest: NODE_MODULES / src for dest, src in VENDOR_FILES.items()}
    missing = [str(p) for p in sources.values() if not p.is_file()]
    if missing:
        raise MissingVendorFile(
            "missing front-end files (run `npm ci`, or `make build` which does it): "
            + ", ".join(missing)
        )
    return sources


def inline_fonts(
    css: str,
    names: tuple[str, ...] = INLINE_FONTS,
    shape: Callable[[bytes], bytes] = lambda font: font,
) -> str:
    """`css` with each `url("../vendor/fonts/<name>")` of `names` replaced by the font itself
    (passed through `shape` first: the build gives a subsetter, font_subset.subset_woff2).

    Why: a font file is a cross-origin request on file:// (the offline copy), which Chromium
    refuses; inside the stylesheet it is there with the CSS, on http and on file://. Gzip
    takes back most of base64's third (6 bits a character).
    """
    import base64

    for name in names:
        url = f'url("../vendor/fonts/{name}")'
        if url not in css:
            raise MissingVendorFile(f"the stylesheet no longer names {url}")
        path = font_file(name)
        if not path.is_file():
            raise MissingVendorFile(f"missing front-end file (run `npm ci`): {path}")
        data = base64.b64encode(shape(path.read_bytes())).decode("ascii")
        css = css.replace(url, f'url("data:font/woff2;base64,{data}")')
    return css
