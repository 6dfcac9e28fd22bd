"""One source for paths, versions and download names, and the page tokens that use them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from scripts import project
from scripts.build import build_info, page_vars
from scripts.publish import epub, pdf


def test_versions_reader_agrees_with_a_yaml_parser() -> None:
    """project.versions() parses data/versions.yaml without a YAML library (the preflight
    runs before any is installed); a real parser must read the same values."""
    data = YAML(typ="safe").load(project.VERSIONS_FILE.read_text(encoding="utf-8"))
    v = project.versions()
    assert v.latest == data["latest"]
    assert list(v.supported) == data["supported"]
    assert (v.exam, v.exam_source, v.exam_checked) == (
        data["exam"]["version"],
        data["exam"]["source"],
        str(data["exam"]["checked"]),
    )
    assert v.latest in v.supported and v.exam in v.supported


def test_versions_reader_rejects_a_file_without_latest(tmp_path: Path) -> None:
    bad = tmp_path / "versions.yaml"
    bad.write_text('supported: ["1.37"]\nexam:\n  version: "1.37"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="latest"):
        project.versions.__wrapped__(bad)


def test_tokens_expand_outside_code_only() -> None:
    text = "v[[version:latest]] and [[download:pdf]]\n```yaml\nx: [[version:latest]]\n```\n"
    out = page_vars.expand(text, "docs/a/b.md", "a/b.md")
    first, _, code, _, _ = out.split("\n")
    latest = project.versions().latest
    assert first == f"v{latest} and ../downloads/kubernetes-field-notes-v{latest}.pdf"
    assert code == "x: [[version:latest]]"


def test_supported_reads_as_a_list_in_prose() -> None:
    out = page_vars.expand("[[version:supported]]", "p.md", "p.md")
    assert out.endswith(" and " + project.versions().supported[-1])
    assert project.versions().supported[0] in out


def test_minors_before_the_latest_count_back_from_it() -> None:
    major, minor = project.versions().latest.split(".")
    out = page_vars.expand("from v[[version:latest-2]] to v[[version:latest-1]]", "p.md", "p.md")
    assert out == f"from v{major}.{int(minor) - 2} to v{major}.{int(minor) - 1}"


@pytest.mark.parametrize(
    "token",
    ["[[version:oldest]]", "[[version:latest-0]]", "[[version:latest+1]]", "[[download:mobi]]"],
)
def test_unknown_token_names_file_and_line(token: str) -> None:
    expected = rf"docs/x\.md:3: unknown token {re.escape(token)}"
    with pytest.raises(page_vars.PageVarError, match=expected):
        page_vars.expand(f"a\nb\nsee {token}\n", "docs/x.md", "x.md")


def test_home_page_download_links_resolve(
    built_site: Path, offline_site: Path, site_flashcards
) -> None:
    """Every download link on the built site names a file the build (HTML, zip, PDF, EPUB,
    flashcards) writes: the links are generated, so a version bump moves links and files
    together. The PDF and EPUB are checked by name here (exporting them takes a browser);
    tests/test_downloads.py checks the real files."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(downloads/[^"]+)"', html))
    assert {f"downloads/{project.download_name(k)}" for k in ("pdf", "offline-zip")} <= links
    for link in links:
        name = Path(link).name
        if name.endswith(".pdf"):
            assert name == pdf.default_output(built_site).name
        elif name.endswith(".epub"):
            assert name == epub.default_output(built_site, build_info.read(built_site)).name
        else:
            assert (built_site / link).is_file(), link
    # the zip the offline fixture wrote is the one the home page links
    zipped = built_site / "downloads" / project.download_name("offline-zip")
    with zipfile.ZipFile(zipped) as z:
        assert any(n.endswith("/index.html") for n in z.namelist())
