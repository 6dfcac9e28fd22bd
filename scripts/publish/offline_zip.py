"""The offline study pack: the built site as a zip that works unzipped anywhere, opened from
disk, with every download beside it (PDF, EPUB, Anki flashcards and their CSV, the ports
table as CSV and JSON) and a README.txt that lists them.

Why a separate step after the build: the zip must hold the finished site and the downloads
made from it, and a build cannot zip itself. The same bytes that are hosted are zipped (the
site is built once for both uses), minus the print page, which only serves the PDF export and
needs a web server. `make build` runs this last; its CLI refuses to write a pack that misses a
download, so a failed export cannot ship a pack without it.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from scripts import project
from scripts.build import build_info
from scripts.common import atomic

EXCLUDED = {"print_page.html", "sitemap.xml.gz"}
# What README.txt says each download is, in the order it lists them (keys of
# project.DOWNLOADS; the zip itself is not in the zip).
PACKED = {
    "pdf": "the whole site as one PDF (table of contents, bookmarks, vector diagrams)",
    "epub": "the whole site as an EPUB 3 e-book, for e-readers",
    "flashcards-apkg": "flashcards for Anki (File > Import): one deck per section; importing "
    "a newer copy updates the cards you already study",
    "flashcards-csv": "the same flashcards as CSV (front, back, deck, tags) for other apps",
    "ports-csv": "the ports table as CSV",
    "ports-json": "the ports table as JSON",
}


def zip_name(info: dict[str, str]) -> str:
    return project.download_name("offline-zip", info["k8s_version"])


def packed_downloads(site_dir: Path, info: dict[str, str]) -> dict[str, Path]:
    """Key -> path under SITE_DIR/downloads/ of every download the pack should carry."""
    return {
        key: Path(site_dir) / "downloads" / project.download_name(key, info["k8s_version"])
        for key in PACKED
    }


def readme_text(info: dict[str, str], present: list[str]) -> str:
    lines = [
        f"{info['site_name']}, offline study pack",
        f"Verified against Kubernetes v{info['k8s_version']}",
        f"Built {info['build_date']} from revision {info['git_revision']}",
        "",
        "Open index.html in a browser. No network is needed.",
        "",
        "Downloads, in the downloads/ folder:",
    ]
    for key in present:
        lines.append(
            f"- downloads/{project.download_name(key, info['k8s_version'])}: {PACKED[key]}"
        )
    return "\n".join(lines) + "\n"


def make_offline_zip(site_dir: Path, require_downloads: bool = False) -> Path:
    """Write site/downloads/<name>-offline.zip atomically; return its path. With
    `require_downloads`, every download of PACKED must be there (FileNotFoundError)."""
    info = build_info.read(site_dir)
    out = Path(site_dir) / "downloads" / zip_name(info)
    top = out.name.removesuffix(".zip")
    downloads = packed_downloads(site_dir, info)
    missing = [str(p) for p in downloads.values() if not p.is_file()]
    if require_downloads and missing:
        raise FileNotFoundError(f"not in the build: {', '.join(missing)} (run make build)")
    readme = readme_text(info, [k for k, p in downloads.items() if p.is_file()])
    # The zip closes before `replacing` moves it into place.
    with (
        atomic.replacing(out) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        archive.writestr(f"{top}/README.txt", readme)
        for path in sorted(Path(site_dir).rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if path.is_dir() or rel in EXCLUDED or rel.endswith((".zip", ".tmp")):
                continue
            archive.write(path, f"{top}/{rel}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, nargs="?", default=Path("site"))
    args = parser.parse_args(argv)
    try:
        out = make_offline_zip(args.site_dir, require_downloads=True)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
