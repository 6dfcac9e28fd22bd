"""Every download the site links exists in the build, and the offline study pack carries the
site with every download and a README.txt that lists them.

The PDF, EPUB and flashcards are made by the session fixtures (conftest.py) into the shared
build's downloads/ folder, as `make build` does, then the pack is zipped from it.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from scripts import project
from scripts.publish import offline_zip

pytestmark = pytest.mark.browser

HREF = re.compile(r'href="([^"#?]*downloads/[^"#?]+)"')


@pytest.fixture(scope="module")
def pack(built_site: Path, site_pdf, site_epub, site_flashcards) -> Path:
    return offline_zip.make_offline_zip(built_site, require_downloads=True)


def test_every_download_link_resolves(built_site: Path, pack: Path, page_html) -> None:
    linked: dict[str, list[str]] = {}
    for page, source in page_html.items():
        for href in HREF.findall(source):
            if re.match(r"^[a-z]+:", href):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            linked.setdefault(target, []).append(page)
    missing = [
        f"{t} (linked from {', '.join(p)})"
        for t, p in linked.items()
        if not (built_site / t).is_file()
    ]
    assert not missing, "\n".join(missing)
    home = {t for t, pages in linked.items() if "index.html" in pages}
    expected = {f"downloads/{project.download_name(key)}" for key in project.DOWNLOADS}
    assert expected <= home, f"the home page does not link {sorted(expected - home)}"


def test_study_pack_carries_every_download(built_site: Path, pack: Path) -> None:
    info = json.loads((built_site / "build-info.json").read_text(encoding="utf-8"))
    top = pack.name.removesuffix(".zip")
    with zipfile.ZipFile(pack) as archive:
        names = set(archive.namelist())
        readme = archive.read(f"{top}/README.txt").decode()
    assert f"{top}/index.html" in names
    assert f"Kubernetes v{info['k8s_version']}" in readme
    for key in offline_zip.PACKED:
        name = f"downloads/{project.download_name(key, info['k8s_version'])}"
        assert f"{top}/{name}" in names, name
        assert f"- {name}: " in readme, name
    assert not any(n.endswith(".zip") for n in names), "the pack does not hold itself"


def test_pack_refuses_to_miss_a_download(tmp_path: Path, built_site: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "build-info.json").write_bytes((built_site / "build-info.json").read_bytes())
    with pytest.raises(FileNotFoundError, match="epub"):
        offline_zip.make_offline_zip(site, require_downloads=True)
