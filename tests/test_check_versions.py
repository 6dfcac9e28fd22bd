"""Three versions: every manifest and fragment against the schemas of
every supported minor, every kubectl command through every installed kubectl minor; each
block records which minors it holds on and, when not all, why (field path + minor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import project
from scripts.snippets import check_paths, commands, manifests
from scripts.snippets.blocks import Block

LATEST = project.versions().latest
SUPPORTED = project.versions().supported
OLDEST = SUPPORTED[0]

# admissionregistration.k8s.io/v1 MutatingAdmissionPolicy: served from v1.36 in the
# schemas kubernetes-validate 1.37.0 ships (not in its v1.35 definitions).
MAP = """apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicyBinding
metadata:
  name: team-label
spec:
  policyName: team-label
"""
POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
"""
# batch/v1 JobSpec.scheduling exists in the v1.37 schema, not in v1.35's.
JOB_FRAGMENT = "# fragment: io.k8s.api.batch.v1.JobSpec\nscheduling: {}\n"


def check(text: str) -> manifests.BlockResult:
    return manifests.check(Block(Path("x.yaml"), "yaml", {}, 1, text))


def test_every_supported_minor_is_checked() -> None:
    result = check(POD)
    assert result.issues == []
    assert result.valid_on() == list(SUPPORTED)


def test_kind_missing_in_an_older_minor_is_recorded_not_an_error() -> None:
    result = check(MAP)
    assert result.issues == []
    assert OLDEST not in result.valid_on() and LATEST in result.valid_on()
    assert result.versions[OLDEST] == [
        f"admissionregistration.k8s.io/v1 MutatingAdmissionPolicyBinding is not served in v{OLDEST}"
    ]


def test_field_missing_in_an_older_minor_names_the_field() -> None:
    result = check(JOB_FRAGMENT)
    assert result.issues == []
    (why,) = result.versions[OLDEST]
    assert why.startswith("scheduling: unknown field")


def test_invalid_on_the_latest_is_invalid_everywhere() -> None:
    result = check(POD.replace("image: nginx:1.27", "image: nginx:1.27\n    imagePullPolicy: x"))
    assert result.issues and result.valid_on() == []


def test_report_lists_the_differences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# P\n\n```yaml\n{MAP}```\n\n```yaml\n{POD}```\n")
    report = check_paths([page], use_cache=False)
    assert report.errors == []
    assert "1 of 2 checked blocks valid on every minor" in report.version_summary()
    (detail,) = report.version_details()
    assert detail.startswith(f"{page.name}:4: valid on ") or ":4: valid on " in detail
    assert f"v{OLDEST}: admissionregistration.k8s.io/v1 MutatingAdmissionPolicyBinding" in detail


def test_versions_survive_the_cache(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# P\n\n```yaml\n{MAP}```\n")
    cache = tmp_path / "cache.json"
    cold = check_paths([page], cache_file=cache)
    warm = check_paths([page], cache_file=cache)
    assert cold.versioned == warm.versioned and cold.versioned


# --------------------------------------------------------------------------- kubectl


@pytest.mark.skipif(len(commands.kubectl_versions()) < 2, reason="run `make setup` (kubectl 1.36)")
def test_kubectl_runs_on_every_installed_minor(tmp_path: Path) -> None:
    assert commands.kubectl_versions() == [v for v in SUPPORTED if v != OLDEST]
    text = "kubectl get pods\nkubectl explain pods --recursive --max-depth=1\n"
    block = Block(tmp_path / "p.md", "bash", {}, 1, text)
    result = commands.check_blocks([block])[block]
    assert result.issues == []  # --max-depth is valid in kubectl v1.37
    assert result.versions[LATEST] == []
    (why,) = result.versions["1.36"]  # ... and new: kubectl v1.36 has no such flag
    assert why == "line 2: unknown flag: --max-depth"
    assert result.valid_on() == [LATEST]


@pytest.mark.skipif(len(commands.kubectl_versions()) < 2, reason="run `make setup` (kubectl 1.36)")
def test_older_kubectl_path_is_its_own_directory() -> None:
    path = commands.kubectl_path("1.36")
    assert path.parent.parent.name == "kubectl-1.36" and path.is_file()
