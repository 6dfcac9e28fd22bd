"""Package the built site as a zip that works unzipped anywhere, opened from disk.

Why a separate step after the build: the zip must hold the finished site, PDF included, and a
build cannot zip itself. The same bytes that are hosted are zipped (the site is built once for
both uses), minus the print page, which only serves the PDF export and needs a web server.
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


def zip_name(info: dict[str, str]) -> str:
    return project.download_name("offline-zip", info["k8s_version"])


def make_offline_zip(site_dir: Path) -> Path:
    """Write site/downloads/<name>-offline.zip atomically; return its path."""
    info = build_info.read(site_dir)
    out = Path(site_dir) / "downloads" / zip_name(info)
    top = out.name.removesuffix(".zip")
    readme = (
        f"{info['site_name']}, offline copy\n"
        f"Verified against Kubernetes v{info['k8s_version']}\n"
        f"Built {info['build_date']} from revision {info['git_revision']}\n\n"
        "Open index.html in a browser. No network is needed.\n"
    )
    # The zip closes before `replacing` moves it into place.
    with atomic.replacing(out) as tmp, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
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
    out = make_offline_zip(args.site_dir)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
