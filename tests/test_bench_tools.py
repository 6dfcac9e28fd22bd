"""The tools behind `make bench`: the gzip static server, the mermaid2 config variant and the
Lighthouse report reader. No timings here: figures belong to `make bench`, not to tests."""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path

import pytest

from scripts.bench import builds as bench_builds
from scripts.bench import lighthouse
from scripts.browser import server as serve_gzip
from tests import harness

HTML = "<!doctype html><title>t</title>" + "<p>kubectl get pods -A</p>\n" * 400
FONT = bytes(range(256)) * 16


@pytest.fixture(scope="module")
def gzip_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("gzip-site")
    (root / "index.html").write_text(HTML, encoding="utf-8")
    (root / "app.js").write_text("console.log('x');\n" * 300, encoding="utf-8")
    (root / "font.woff2").write_bytes(FONT)
    with serve_gzip.serve(root, harness.free_port()) as url:
        yield root, url


def get(url: str, path: str, accept_encoding: str | None) -> http.client.HTTPResponse:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


@pytest.mark.parametrize(
    "path,name", [("/index.html", "index.html"), ("/", "index.html"), ("/app.js", "app.js")]
)
def test_text_is_gzipped_when_asked(gzip_site, path: str, name: str) -> None:
    root, url = gzip_site
    response = get(url, path, "br, gzip;q=0.8")
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert int(response.getheader("Content-Length")) == len(response.body)
    assert gzip.decompress(response.body) == (root / name).read_bytes()
    assert len(response.body) < (root / name).stat().st_size
    assert "Accept-Encoding" in (response.getheader("Vary") or "")


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_identity_otherwise(gzip_site, accept: str | None) -> None:
    root, url = gzip_site
    response = get(url, "/index.html", accept)
    assert response.status == 200
    assert response.getheader("Content-Encoding") is None
    assert response.body == (root / "index.html").read_bytes()
    assert int(response.getheader("Content-Length")) == len(response.body)


def test_binary_types_are_sent_unchanged(gzip_site) -> None:
    _, url = gzip_site
    response = get(url, "/font.woff2", "gzip")
    assert response.getheader("Content-Encoding") is None
    assert response.body == FONT
    assert int(response.getheader("Content-Length")) == len(FONT)


def test_missing_file_is_404(gzip_site) -> None:
    _, url = gzip_site
    assert get(url, "/nope.html", "gzip").status == 404


def test_mermaid2_variant_of_the_real_config() -> None:
    real = (bench_builds.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    variant = bench_builds.with_mermaid2(real)
    assert bench_builds.NATIVE_FENCE not in variant
    assert bench_builds.MERMAID2_FENCE in variant
    plugins = variant[variant.index("\nplugins:") :]
    assert plugins.index("  - mermaid2:") < plugins.index(bench_builds.PRINT_SITE)
    with pytest.raises(ValueError):
        bench_builds.with_mermaid2(variant)


def test_failing_audits_costliest_first_and_scored_only() -> None:
    report = {
        "categories": {
            "performance": {
                "score": 0.8,
                "auditRefs": [
                    {"id": "lcp", "weight": 25},
                    {"id": "tbt", "weight": 30},
                    {"id": "info", "weight": 0},
                ],
            },
            "seo": {"score": 1.0, "auditRefs": [{"id": "meta", "weight": 1}]},
        },
        "audits": {
            "lcp": {"score": 0.5, "title": "LCP", "displayValue": "3 s"},
            "tbt": {"score": 0.9, "title": "TBT"},
            "info": {"score": 0, "scoreDisplayMode": "informative"},
            "meta": {"score": 1},
        },
    }
    result = lighthouse.parse("http://x/", report)
    assert result.scores == {
        "performance": 80,
        "accessibility": None,
        "best-practices": None,
        "seo": 100,
    }
    assert [a.id for a in result.failing] == ["lcp", "tbt"]


def test_material_reference_has_the_real_extensions_and_nothing_of_ours(tmp_path: Path) -> None:
    config = bench_builds.write_material_config(tmp_path).read_text(encoding="utf-8")
    real = (bench_builds.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for extension in ("pymdownx.superfences", "pymdownx.snippets", "abbr", "toc"):
        assert f"  - {extension}" in config and f"  - {extension}" in real
    assert "  - search\n" in config and "hooks:" not in config and "print-site" not in config
    assert f"base_path: [{bench_builds.ROOT / 'docs'}" in config


def test_material_reference_refuses_a_config_it_cannot_place(tmp_path: Path) -> None:
    real = (bench_builds.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    moved = tmp_path / "mkdocs.yml"
    moved.write_text(real.replace("base_path: [docs, data]", "base_path: [docs]"), "utf-8")
    with pytest.raises(ValueError, match="base_path"):
        bench_builds.write_material_config(tmp_path, moved)
