"""The EPUB of the whole site (scripts/publish/epub.py): valid for epubcheck, and holding the
site's pages, sections, diagrams and links, checked against the built HTML it is made from."""

from __future__ import annotations

import posixpath
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from scripts.content import site_nav
from scripts.preflight import epubcheck_command

pytestmark = pytest.mark.browser

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}


@pytest.fixture(scope="module")
def book(site_epub) -> dict[str, bytes]:
    with zipfile.ZipFile(site_epub.path) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def xhtml(book) -> dict[str, ET.Element]:
    return {name: ET.fromstring(data) for name, data in book.items() if name.endswith(".xhtml")}


def test_epubcheck_finds_no_errors(site_epub) -> None:
    command = epubcheck_command()
    assert command, "epubcheck is not installed (apt-get install epubcheck)"
    result = subprocess.run(
        [*command, str(site_epub.path)], capture_output=True, text=True, timeout=600, check=False
    )
    output = result.stdout + result.stderr
    summary = re.search(r"Messages: (\d+) fatals / (\d+) errors", output)
    assert summary, output[-2000:]
    assert summary.groups() == ("0", "0"), output[-4000:]
    assert result.returncode == 0, output[-2000:]


def _article_diagrams(source: str) -> int:
    article = re.search(r"<article[^>]*>(.*)</article>", source, re.S)
    return len(re.findall(r'<pre class="mermaid"', article.group(1) if article else ""))


def test_every_nav_page_in_its_section_with_its_diagrams(built_site: Path, book, xhtml) -> None:
    sections = site_nav.load_sections()
    nav = xhtml["OEBPS/nav.xhtml"]
    toc = nav.find(".//x:nav/x:ol", NS)
    entries = toc.findall("x:li", NS)[1:]  # the cover first
    assert [e.find("x:a", NS).text for e in entries] == [s.title for s in sections]
    for section, entry in zip(sections, entries, strict=True):
        links = [a.get("href") for a in entry.findall("x:ol/x:li/x:a", NS)]
        assert len(links) == len(section.pages), section.title
        for page, href in zip(section.pages, links, strict=True):
            assert href == f"text/{page.src.removesuffix('.md')}.xhtml"
            body = book[f"OEBPS/{href}"].decode()
            source = (built_site / page.html).read_text(encoding="utf-8")
            assert body.count("<svg") >= _article_diagrams(source), page.src
            assert 'class="mermaid"' not in body, page.src
            for chrome in ("<script", "headerlink", "__codelineno", "md-sidebar", "md-header"):
                assert chrome not in body, f"{page.src}: {chrome}"


def test_cover_names_version_and_date(built_site: Path, book) -> None:
    import json

    info = json.loads((built_site / "build-info.json").read_text())
    cover = book["OEBPS/cover.xhtml"].decode()
    assert f"Kubernetes v{info['k8s_version']}" in cover
    assert info["build_date"] in cover
    opf = book["OEBPS/content.opf"].decode()
    assert "dcterms:modified" in opf and info["build_date"] in opf


def test_code_wraps_and_details_are_open(book) -> None:
    assert re.search(r"pre \{[^}]*white-space: pre-wrap", book["OEBPS/style.css"].decode())
    pods = book["OEBPS/text/workloads/pods.xhtml"].decode()
    assert re.search(r'<details class="question"[^>]* open="open"', pods)


def test_internal_links_resolve_to_files_and_anchors(xhtml) -> None:
    ids = {
        name: {el.get("id") for el in root.iter() if el.get("id")} for name, root in xhtml.items()
    }
    broken, checked = [], 0
    for name, root in xhtml.items():
        for a in root.iter(f"{{{NS['x']}}}a"):
            href = a.get("href") or ""
            if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue
            path, _, anchor = href.partition("#")
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            )
            checked += 1
            if target not in xhtml:
                broken.append(f"{name}: {href} (no such file)")
            elif anchor and anchor not in ids[target]:
                broken.append(f"{name}: {href} (no such anchor)")
    assert checked > 500, "the pages link to each other"
    assert not broken, "\n".join(broken[:20])
