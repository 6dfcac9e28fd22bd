"""Front-end files the site ships from npm (package-lock.json pins them).

They are copied into the build output by the MkDocs hook, never committed, so one list here is
the only place that says which npm file lands where in the site.
"""

from __future__ import annotations

from pathlib import Path

from scripts import project

ROOT = project.ROOT
NODE_MODULES = ROOT / "node_modules"

_FONTS = [f"roboto-latin-{w}-normal.woff2" for w in (300, 400, 700)]

#: site path -> path under node_modules
VENDOR_FILES: dict[str, str] = {
    "assets/vendor/iframe-worker/shim.js": "iframe-worker/shim/index.js",
    **{f"assets/vendor/fonts/{name}": f"@fontsource/roboto/files/{name}" for name in _FONTS},
    "assets/vendor/fonts/roboto-mono-latin-400-normal.woff2":
        "@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2",
}


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
