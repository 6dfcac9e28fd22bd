"""The version-prose lint (scripts/content/version_prose): a typed state with a release fails
at its line unless the release comes from a token or the sentence links a primary source."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.content import version_prose as vp


@pytest.mark.parametrize(
    "sentence",
    [
        "The API is stable since v1.21.",
        "The flag was deprecated in 1.14.",
        "The field is GA in v1.30.",
        "It became generally available in Kubernetes 1.29.",
        "The add-on is removed in v1.37.",
        "The field was introduced in v1.25.",
        "The field was added in v1.8.",
        "The feature graduated to beta in v1.33.",
        "The gate is locked on since v1.35.",
        "It defaults to 50 s since v1.32.",
        "| kube-dns | deprecated since v1.37 |",
        "- Alpha in v1.35, beta in v1.36.",
        # a release as a point in time, with no state word
        "kubectl has built-in Kustomize since v1.14.",
        "Since v1.28 it applies only the changes.",
        "The skew window grew from two to three minor versions in v1.28.",
        "Tokens are not created automatically since 1.24.",
        "The packages exist from v1.24.0 on.",
        "The examples upgrade from v1.36 to v1.37.",
        '??? question "Can you upgrade from v1.35 directly to v1.37?"',
        "Nothing changed in v1.37.",
        "| Mode | State in v1.37 |",
        "The API was served from Kubernetes v1.8 on.",
        "Patch support became one year starting with v1.19.",
        "As of 1.30 the field replaced the annotation.",
    ],
)
def test_planted_state_with_a_typed_release_fails_at_its_line(sentence: str):
    page = f"---\ntitle: x\n---\n# Page\n\nIntro.\n\n{sentence}\n"
    findings = vp.check(page, "docs/x.md")
    assert [f.line for f in findings][:1] == [8]
    assert "docs/x.md:8: version stated as prose" in str(findings[0])


@pytest.mark.parametrize(
    "sentence",
    [
        "The field is [[fact:seccomp-profile-field]].",
        "The gate `ImageVolume` is [[gate:ImageVolume]].",
        "These are on by default in v[[version:latest]].",
        "Removed in v1.24 ([release notes](https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/CHANGELOG-1.24.md)).",
        "Deprecated in v1.33 ([PR](https://github.com/kubernetes/kubernetes/pull/130972)).",
        "Stable in v1.29 ([blog](https://kubernetes.io/blog/2023/12/13/kubernetes-v1-29-release/)).",
        "Beta in v1.33 ([KEP](https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/1287-in-place-update-pod-resources)).",
        "GA in v1.1.0 ([release](https://github.com/kubernetes-sigs/gateway-api/releases/tag/v1.1.0)).",
        "The flag `--since v1.20 deprecated` is code.",
        "Kubernetes v1.37 is the latest release.",
        "The default is 1.5 CPUs.",
        "The examples upgrade from v[[version:exam]] to v[[version:latest]].",
        "Nothing changed since `v1.37`.",
        "Since v1.28 it applies only the changes ([PR](https://github.com/kubernetes/kubernetes/pull/112394)).",
        "The cache lasts 30 s in 1.5 seconds of load.",
        "Record the reason upgrade to 1.28 in the history.",
        "See the [Deprecated API Migration Guide: v1.22](https://kubernetes.io/docs/x/).",
        "<!-- removed in v1.24 -->",
        "**Checked on** kubectl v1.35 (client dry-run), deprecated fields none.",
    ],
)
def test_tokens_links_code_and_plain_versions_pass(sentence: str):
    assert vp.check(f"# Page\n\n{sentence}\n", "docs/x.md") == []


def test_fenced_code_and_version_headings_pass():
    page = (
        "## v1.36\n\n## From 1.35 to 1.37\n\n```yaml\n# removed in v1.24\n```\n\n"
        "~~~\ndeprecated since v1.33\n~~~\n"
    )
    assert vp.check(page, "docs/x.md") == []


def test_pending_sentences_are_reported_with_their_reason(tmp_path: Path):
    pending = tmp_path / "pending.yaml"
    pending.write_text(
        "- page: docs/x.md\n  text: The API is stable since v1.21.\n  reason: no source yet\n"
    )
    findings = vp.check("The API is stable since v1.21.\n", "docs/x.md", vp.load_pending(pending))
    assert [f.pending for f in findings] == ["no source yet"]
    assert str(findings[0]).endswith("[pending: no source yet]")
