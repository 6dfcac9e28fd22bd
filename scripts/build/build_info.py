"""What a build is (site name, Kubernetes version, date, git revision), kept beside it.

Why a file in the built site: the steps that run after the build (the PDF cover and file
name, the offline zip's name and README.txt) must describe the very build they package, not
whatever mkdocs.yml or git say later. The build hook writes it; those steps read it here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

FILE = "build-info.json"


def write(site_dir: Path | str, info: dict[str, str]) -> None:
    Path(site_dir, FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def read(site_dir: Path | str) -> dict[str, str]:
    """The build's record; FileNotFoundError names a folder that is not a finished build."""
    path = Path(site_dir, FILE)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: build the site first (make html)")
    return json.loads(path.read_text(encoding="utf-8"))


def site_url(site_dir: Path | str) -> str:
    """The build's site_url (with a trailing slash), from the home page's canonical link:
    the formats made from a built site link back to the hosted copy with it."""
    html = (Path(site_dir) / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    url = match[1] if match else ""
    return url if url.endswith("/") else url + "/"
