"""Per-snippet versions line, deprecation radar and the exam-to-latest page: planted
manifests through the real checker, small fixtures for the rest, and one
assertion on the shared built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.build import snippet_versions as sv
from scripts.content.exam_guide import Exam, Note
from scripts.content.feature_gates import Entry, Gate, GateData, Version
from scripts.content.version_facts import Fact, State
from scripts.snippets import check_paths
from scripts.snippets.report import BlockResult, PlacedBlock

EVERYWHERE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  key: value
"""
ONLY_137 = """\
apiVersion: storagemigration.k8s.io/v1
kind: StorageVersionMigration
metadata:
  name: secrets-migration
spec:
  resource:
    group: ""
    resource: secrets
"""
PAGE = f"""\
# Demo

```yaml
{EVERYWHERE}```

!!! tip "Inside an admonition"
    ```yaml
{"".join("    " + line + chr(10) for line in ONLY_137.splitlines())}    ```

Text after.
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sv.Annotated]:
    docs = tmp_path_factory.mktemp("docs")
    (docs / "page.md").write_text(PAGE, encoding="utf-8")
    report = check_paths([docs], cache_file=docs.parent / "cache.json")
    assert not report.errors, report.errors
    blocks = sv.results_by_page(report.placed, docs)["page.md"]
    return docs, sv.annotate(PAGE, "page.md", blocks, [], latest="1.37")


def test_line_under_a_manifest_valid_everywhere(planted: tuple[Path, sv.Annotated]) -> None:
    lines = planted[1].markdown.splitlines()
    at = lines.index(
        "[Checked](reference/how-snippets-are-checked.md) on Kubernetes 1.35 · 1.36 · 1.37"
    )
    assert lines[at - 2] == "```" and lines[at + 1] == "{ .snippet-versions data-search-exclude }"


def test_field_only_in_the_latest_shows_only_and_why(planted: tuple[Path, sv.Annotated]) -> None:
    text = planted[1].markdown
    line = (
        "    [Checked](reference/how-snippets-are-checked.md) on Kubernetes 1.37 only; "
        "not 1.35 · 1.36: storagemigration.k8s.io/v1 StorageVersionMigration is not served"
    )
    assert line in text.splitlines()  # indented: it stays inside the admonition
    assert planted[1].lines == 2


def test_command_line_names_kubectl() -> None:
    result = BlockResult(versions={"1.36": [], "1.37": []})
    assert sv.version_line("bash", result) == "kubectl 1.36 · 1.37"
    assert sv.version_line("yaml", BlockResult()) is None


def test_planted_deprecated_api_gets_a_note_and_a_warning() -> None:
    table = [
        sv.Deprecation(
            "apps/v1",
            ("Deployment",),
            "",
            "1.37",
            "1.40",
            "apps/v2",
            "https://example.invalid/guide",
        )
    ]
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
    markdown = f"# T\n\n```yaml\n{text}```\n"
    placed = PlacedBlock(Path("p.md"), 4, "yaml", text, BlockResult(versions={"1.37": []}))
    out = sv.annotate(markdown, "a/p.md", [placed], table, latest="1.37")
    assert out.deprecations and "Deprecated in 1.37" in out.deprecations[0][1]
    assert "removed in 1.40" in out.markdown
    assert "{ .snippet-deprecated data-search-exclude }" in out.markdown
    assert "(../reference/how-snippets-are-checked.md)" in out.markdown


def test_deprecated_field_and_kubectl_warning() -> None:
    table = sv.load_deprecations()
    svc = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs:\n  - 1.2.3.4\n"
    )
    notes = sv.deprecations_in(svc, "yaml", BlockResult(), table, "1.37")
    assert notes and notes[0].startswith("Deprecated in 1.37: `spec.externalIPs`")
    result = BlockResult()
    result.add(0, "kubectl", "run", "Flag --foo has been deprecated, use --bar", "warning")
    assert sv.deprecations_in("kubectl run x", "bash", result, [], "1.37")


def test_generated_page_lists_a_planted_gate_change(tmp_path: Path) -> None:
    (tmp_path / "topic.md").write_text(
        "# Topic page\n\nThe `FakeGate` gate is [[gate:FakeGate]].\n\n"
        "The fake API is [[fact:fake-api|history]]; the old one [[fact:old-api]].\n"
    )
    facts = {
        "fake-api": Fact(
            "fake-api", (State("beta", (1, 34)), State("stable", (1, 36))), "x", "Fake API"
        ),
        "old-api": Fact("old-api", (State("stable", (1, 20)),), "x", "Old API"),  # no change
        "unused-api": Fact("unused-api", (State("removed", (1, 36)),), "x", "Unused"),  # no page
    }
    gate = Gate(
        "FakeGate",
        [
            Entry(Version.parse("1.34"), "alpha", False, False),
            Entry(Version.parse("1.36"), "beta", True, False),
        ],
    )
    gates = GateData({"FakeGate": gate}, Version.parse("1.37"), {})
    block = PlacedBlock(
        tmp_path / "topic.md",
        5,
        "yaml",
        "x",
        BlockResult(versions={"1.35": ["kind X is not served"], "1.36": [], "1.37": []}),
    )
    exams = [
        Exam("cka", "CKA", "", "", (), (), {}, (Note("A planted note.", "https://x.invalid"),))
    ]
    page = sv.render_exam_page(gates, tmp_path, {"topic.md": [block]}, exams, facts=facts)
    assert (
        "| `FakeGate` | alpha, off by default | beta, on by default | [Topic page](../topic.md) |"
    ) in page
    assert (
        "| Fake API | beta | stable | beta in v1.34\u2013v1.35; stable since v1.36 "
        "| [Topic page](../topic.md) |"
    ) in page
    assert "Old API" not in page and "Unused" not in page
    assert "[Topic page](../topic.md) (line 5) | 1.36 · 1.37 | kind X is not served |" in page
    assert "A planted note." in page


def test_built_site_shows_the_lines(built_site: Path) -> None:
    html = (built_site / "security" / "secrets-security.html").read_text(encoding="utf-8")
    assert (
        '<p class="snippet-versions" data-search-exclude><a href="../reference/'
        'how-snippets-are-checked.html">Checked</a> on Kubernetes 1.37 only'
    ) in html
    assert (built_site / "reference" / "exam-to-latest.html").is_file()
