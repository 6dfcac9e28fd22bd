"""Feature-gate data, wording, [[gate:Name]] syntax and prose check (scripts/content/feature_gates).

The expected wording was checked by hand against the primary sources recorded in
data/feature-gates.yaml: kubernetes/kubernetes versioned_feature_list.yaml (ImageVolume: alpha
1.31, beta off 1.33, beta on 1.35, GA locked 1.36) and the kubernetes/website page of
MaxUnavailableStatefulSet (beta on in v1.35.0-v1.35.3, off from v1.35.4 to v1.36, on in v1.37).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.content import feature_gates as fg


@pytest.fixture(scope="module")
def data() -> fg.GateData:
    return fg.load()


def test_committed_data_loads_with_source_commits(data):
    kk = data.sources["kubernetes"]
    assert re.fullmatch(r"[0-9a-f]{40}", str(kk["commit"]))
    assert str(kk["describes"]).startswith("1.37")
    website = data.sources["website"]
    assert website["commits"]
    assert all(re.fullmatch(r"[0-9a-f]{40}", str(c)) for c in website["commits"])
    assert len(data.gates) >= 200
    assert str(data.latest) == "1.37"


def test_image_volume_is_stable_and_locked_since_1_36(data):
    assert fg.render("ImageVolume", data=data) == "stable since v1.36 (locked on)"
    history = fg.render("ImageVolume", history=True, data=data)
    assert history == (
        "alpha in v1.31\u2013v1.32, off by default; beta in v1.33\u2013v1.35, "
        "off by default, on by default from v1.35; stable since v1.36 (locked on)"
    )
    assert fg.render("ImageVolume", "1.34", data=data) == "beta since v1.33, off by default"


def test_max_unavailable_statefulset_patch_release_switch_off(data):
    gate = data.find("MaxUnavailableStatefulSet")
    assert fg.render(gate, "1.35") == (
        "beta since v1.35, on by default, off by default since v1.35.4"
    )
    assert fg.render(gate, "1.37", history=True).endswith(
        "beta since v1.35, on by default, off by default from v1.35.4, on by default since v1.37"
    )
    assert gate.at(fg.Version.parse("1.35.3")).default is True
    assert gate.at(fg.Version.parse("1.35.4")).default is False


def test_removed_gate_and_fill_source(data):
    gate = data.find("SidecarContainers")
    assert fg.render(gate) == "stable since v1.33 (locked on); the gate was removed in v1.37"
    assert fg.render(gate, "1.36") == "stable since v1.33 (locked on)"
    assert "pull/137755" in gate.source
    assert fg.gate_url(gate).endswith("/feature-gates-removed/#SidecarContainers")
    assert fg.gate_url(data.find("ImageVolume")).endswith("/feature-gates/#ImageVolume")


def test_syntax_expands_to_linked_state(data):
    out, problems = fg.expand("Image volumes: [[gate:ImageVolume]].\n", "docs/x.md", data)
    assert problems == []
    assert out == (
        "Image volumes: [stable since v1.36 (locked on)](https://kubernetes.io/docs/"
        "reference/command-line-tools-reference/feature-gates/#ImageVolume "
        '"Feature gate ImageVolume").\n'
    )


def test_code_blocks_and_inline_code_are_not_touched(data):
    page = (
        "# T\n\n"
        "```yaml\n"
        "# config: Helm values\n"
        "image: {{ .Values.image }}  # [[gate:ImageVolume]] [[gate:NoSuchGate]]\n"
        "```\n\n"
        "    ~~~text\n"
        "    InPlacePodVerticalScaling is beta since v1.36\n"
        "    ~~~\n\n"
        "Write `[[gate:ImageVolume]]` in a page.\n"
    )
    out, problems = fg.expand(page, "docs/x.md", data)
    assert out == page
    assert problems == []
    assert fg.check(page, "docs/x.md", data) == []


def test_planted_contradiction_fails_with_file_and_line(data):
    page = (
        "# T\n\n## Version notes\n\n"
        "- In-place resize (`InPlacePodVerticalScaling`) is beta since v1.36.\n"
    )
    problems = fg.check(page, "docs/planted.md", data)
    assert [str(p).split(": ")[0] for p in problems] == ["docs/planted.md:5"]
    assert 'InPlacePodVerticalScaling: "beta since v1.36" contradicts the data' in str(problems[0])
    assert "stable since v1.35 (locked on)" in str(problems[0])


def test_unknown_gate_fails_with_file_and_line(data):
    page = "# T\n\nState: [[gate:NoSuchGate]].\n"
    assert [str(p) for p in fg.check(page, "docs/x.md", data)] == [
        "docs/x.md:3: unknown feature gate NoSuchGate"
    ]


def test_alias_and_true_statements(data):
    assert [
        p.line for p in fg.check("# T\n\nImage volumes are beta since v1.33.\n", "docs/x.md", data)
    ] == [3]
    true = (
        "# T\n\n"
        "- Native sidecar containers (feature `SidecarContainers`): alpha in v1.28, beta in\n"
        "  v1.29, **stable since v1.33**.\n"
        "- `Endpoints` API: deprecated since v1.33 in favour of EndpointSlice (stable since\n"
        "  v1.21).\n"
        "- `KubeProxyIPVS` is deprecated in v1.37; `NFTablesProxyMode` is GA since v1.33.\n"
    )
    assert fg.check(true, "docs/x.md", data) == []


def test_pending_entry_is_reported_not_failing(data):
    page = "# T\n\n`ImageVolume` is beta since v1.33.\n"
    pending = {("docs/x.md", "ImageVolume", "beta since v1.33"): "page under audit"}
    problems = fg.check(page, "docs/x.md", data, pending)
    assert [p.pending for p in problems] == ["page under audit"]


def test_generator_merges_sources_and_records_commits(tmp_path: Path):
    website = tmp_path / "website"
    website.mkdir()
    (website / "Demo.md").write_text(
        "---\ntitle: Demo\ncontent_type: feature_gate\nstages:\n"
        '  - stage: alpha\n    defaultValue: false\n    fromVersion: "1.30"\n'
        '    toVersion: "1.31"\n'
        '  - stage: beta\n    defaultValue: true\n    fromVersion: "1.32.0"\n'
        '    toVersion: "1.32.2"\n'
        '  - stage: beta\n    defaultValue: false\n    fromVersion: "1.32.3"\n---\nText.\n'
    )
    (website / "Old.md").write_text(
        "---\ntitle: Old\nstages:\n"
        '  - stage: stable\n    defaultValue: true\n    fromVersion: "1.20"\n'
        '    toVersion: "1.22"\nremoved: true\n---\n'
    )
    (website / "commits.yaml").write_text(f"Demo.md: {'a' * 40}\nOld.md: {'b' * 40}\n")
    feature_list = tmp_path / "versioned_feature_list.yaml"
    feature_list.write_text(
        "- name: Demo\n  versionedSpecs:\n"
        '  - default: false\n    lockToDefault: false\n    preRelease: Alpha\n    version: "1.30"\n'
        '  - default: false\n    lockToDefault: false\n    preRelease: Beta\n    version: "1.32"\n'
        '  - default: true\n    lockToDefault: true\n    preRelease: GA\n    version: "1.34"\n'
    )
    out = tmp_path / "feature-gates.yaml"
    fg.generate(
        website,
        feature_list,
        "kubernetes/kubernetes",
        "c" * 40,
        out=out,
        fills_path=tmp_path / "none.yaml",
        aliases_path=tmp_path / "none.yaml",
        latest="1.34",
    )
    data = fg.load(out, aliases_path=tmp_path / "none.yaml")
    assert data.sources["kubernetes"]["commit"] == "c" * 40
    assert sorted(data.sources["website"]["commits"]) == ["a" * 40, "b" * 40]
    assert fg.render("Demo", "1.34", history=True, data=data) == (
        "alpha in v1.30\u2013v1.31, off by default; beta in v1.32\u2013v1.33, on by default, "
        "off by default from v1.32.3; stable since v1.34 (locked on)"
    )
    assert fg.render("Old", "1.34", data=data) == (
        "stable since v1.20; the gate was removed in v1.23"
    )
    assert not list(tmp_path.glob(".feature-gates.yaml.*.tmp"))


def _spec(default: bool, stage: str, version: str, extra: str = "") -> str:
    return (
        f"  - default: {str(default).lower()}\n    lockToDefault: false\n"
        f'    preRelease: {stage}\n    version: "{version}"\n{extra}'
    )


def _generate(tmp_path: Path, feature_list: str, pages: dict[str, str], **kwargs) -> fg.GateData:
    website = tmp_path / "website"
    website.mkdir()
    for name, front in pages.items():
        (website / f"{name}.md").write_text(f"---\ntitle: {name}\n{front}---\nText.\n")
    (website / "commits.yaml").write_text(
        "".join(f"{name}.md: {'a' * 40}\n" for name in pages) or "{}\n"
    )
    (tmp_path / "list.yaml").write_text(feature_list)
    out = tmp_path / "feature-gates.yaml"
    fg.generate(
        website,
        tmp_path / "list.yaml",
        "kubernetes/kubernetes",
        "c" * 40,
        out=out,
        fills_path=kwargs.pop("fills", tmp_path / "none.yaml"),
        aliases_path=tmp_path / "none.yaml",
        **kwargs,
    )
    return fg.load(out, aliases_path=tmp_path / "none.yaml")


def test_backfilled_stable_from_1_0_is_not_shown(tmp_path: Path):
    # KubeProxyIPVS in the kubernetes list: GA "1.0", deprecated 1.37; its website page: the
    # gate starts, deprecated, in v1.37. A reader must not read "stable until v1.36".
    data = _generate(
        tmp_path,
        "- name: KubeProxyIPVS\n  versionedSpecs:\n"
        + _spec(True, "GA", "1.0")
        + _spec(True, "Deprecated", "1.37"),
        {
            "KubeProxyIPVS": "stages:\n  - stage: deprecated\n    defaultValue: true\n"
            '    fromVersion: "1.37"\n'
        },
        latest="1.37",
    )
    gate = data.find("KubeProxyIPVS")
    assert fg.render(gate, "1.37", history=True) == "deprecated since v1.37, on by default"
    assert not fg.check("The gate `KubeProxyIPVS` is deprecated since v1.37.\n", "x.md", data)
    assert fg.check("`KubeProxyIPVS` is stable since v1.11.\n", "x.md", data)
    assert any("backfills" in n for n in gate.notes)


def test_later_releases_and_min_compatibility_version(tmp_path: Path):
    # A copy from master after the cut: 1.38 entries are dropped; an entry that needs
    # minCompatibilityVersion 1.37 holds by default only from v1.38.
    data = _generate(
        tmp_path,
        "- name: Frac\n  versionedSpecs:\n"
        + _spec(False, "Beta", "1.37")
        + _spec(True, "Beta", "1.37", '    minCompatibilityVersion: "1.37"\n')
        + "- name: Next\n  versionedSpecs:\n"
        + _spec(False, "Alpha", "1.36")
        + _spec(True, "GA", "1.38"),
        {},
        latest="1.37",
    )
    assert fg.render("Frac", "1.37", data=data) == "beta since v1.37, off by default"
    assert fg.render("Next", "1.37", history=True, data=data) == "alpha since v1.36, off by default"
    assert str(data.sources["kubernetes"]["describes"]).startswith("1.37")


def test_gate_only_in_the_earlier_copy_is_kept(tmp_path: Path):
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text("- name: Gone\n  versionedSpecs:\n" + _spec(True, "GA", "1.35"))
    fills = tmp_path / "fills.yaml"
    fills.write_text('- name: Gone\n  removedIn: "1.38"\n  source: "a PR merged after v1.37.0"\n')
    data = _generate(
        tmp_path,
        "- name: Kept\n  versionedSpecs:\n" + _spec(True, "Beta", "1.30"),
        {},
        latest="1.37",
        fills=fills,
        earlier=(earlier, "fork/kubernetes", "d" * 40),
    )
    gone = data.find("Gone")
    assert fg.render(gone, "1.37") == "stable since v1.35"
    assert fg.render(gone, "1.38") == "stable since v1.35; the gate was removed in v1.38"
    assert fg.gate_url(gone, "1.37").endswith("/feature-gates/#Gone")
    assert data.sources["kubernetes-earlier"]["commit"] == "d" * 40


def test_removed_gate_without_removal_version_fails_on_a_page(data, tmp_path: Path):
    # The Job gates once read "the gate has since been removed": a page naming a gate whose
    # removal version is unknown now fails until a sourced fill gives it.
    planted = fg.GateData(
        {
            "JobSuccessPolicy": fg.Gate(
                "JobSuccessPolicy", data.find("JobSuccessPolicy").entries, True
            )
        },
        data.latest,
        data.sources,
    )
    problems = fg.check("Success policy: [[gate:JobSuccessPolicy]].\n", "docs/x.md", planted)
    assert [p.line for p in problems] == [1]
    assert "does not say when" in problems[0].message
    assert fg.check("Success policy: [[gate:JobSuccessPolicy]].\n", "docs/x.md", data) == []


def test_job_gates_say_when_they_were_removed(data):
    for name, removed in {
        "JobPodFailurePolicy": "1.33",
        "JobBackoffLimitPerIndex": "1.37",
        "JobSuccessPolicy": "1.37",
        "JobPodReplacementPolicy": "1.37",
    }.items():
        assert str(data.find(name).removed_in) == removed, name
        assert fg.render(name, data=data).endswith(f"the gate was removed in v{removed}")


# ImageVolume: alpha v1.31, beta off v1.33, beta on v1.35, stable (locked) v1.36.
@pytest.mark.parametrize(
    "sentence",
    [
        "The `ImageVolume` gate is beta, enabled by default, since v1.33.",
        "`ImageVolume` graduated to stable in v1.35.",
        "`ImageVolume` graduated to GA in 1.35.",
        "`ImageVolume` is generally available since 1.35.",
        "`ImageVolume` is GA as of v1.34.",
        "Image volumes are stable from 1.35.",
        "`ImageVolume` was promoted to beta (on by default) in v1.32.",
    ],
)
def test_wider_phrasings_are_checked(data, sentence):
    problems = fg.check(f"# T\n\n{sentence}\n", "docs/x.md", data)
    assert [(p.line, p.gate) for p in problems] == [(3, "ImageVolume")], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "`ImageVolume` graduated to stable in v1.36.",
        "`ImageVolume` is generally available since 1.36.",
        "`ImageVolume` was beta (on by default) in v1.35.",
        "`ImageVolume` is GA as of v1.37.",
        "Image volumes are beta, off by default, from 1.33.",
    ],
)
def test_wider_phrasings_pass_when_true(data, sentence):
    assert fg.check(f"# T\n\n{sentence}\n", "docs/x.md", data) == [], sentence
