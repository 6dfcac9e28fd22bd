"""Kubernetes patch releases typed on pages (in commands, manifests and output that tokens
cannot reach: `kubeadm upgrade apply v1.37.1`, `kubernetesVersion: v1.37.0`, apt pins) belong
to the latest minor in data/versions.yaml.

Why: fenced code is shown exactly as written, so these cannot come from `[[version:...]]`.
When `latest` moves, this test names every line that still shows the old minor, instead of a
page whose text (from tokens) and commands (typed) quietly disagree. Versions of other
software on the same pages (an nginx image tag, a chart's appVersion) are not Kubernetes
releases and are left alone: only lines that name a Kubernetes component count.
"""

from __future__ import annotations

import re

from scripts import project

# Two-digit minors only: add-on releases such as Gateway API v1.6.3 are left out.
RELEASE = re.compile(r"(?<![\w.])v?1\.(\d{2})\.\d+(?![\w.])")
KUBERNETES_CONTEXT = re.compile(
    r"kubeadm|kubelet|kubectl|kube-apiserver|kubernetesVersion|Client Version|Server Version"
    r"|dl\.k8s\.io|VERSION column|cluster was upgraded",
    re.I,
)


def stale_releases(text: str, path: str, latest_minor: int) -> list[str]:
    """`path:line: release` for each typed Kubernetes patch release of another minor."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not KUBERNETES_CONTEXT.search(line):
            continue
        for match in RELEASE.finditer(line):
            if int(match.group(1)) != latest_minor:
                found.append(f"{path}:{number}: {match.group(0)} (latest is 1.{latest_minor})")
    return found


def _latest_minor() -> int:
    return int(project.versions().latest.split(".")[1])


def test_typed_kubernetes_releases_are_of_the_latest_minor() -> None:
    latest = _latest_minor()
    found = []
    for page in sorted(project.DOCS.rglob("*.md")):
        rel = page.relative_to(project.ROOT).as_posix()
        found += stale_releases(page.read_text(encoding="utf-8"), rel, latest)
    assert found == []


def test_a_stale_release_is_named_with_its_line() -> None:
    latest = _latest_minor()
    text = (
        "Upgrade the control plane:\n\n"
        f"    sudo kubeadm upgrade apply v1.{latest - 7}.2\n"
        f"    sudo apt-get install -y kubelet='1.{latest}.1-*'\n"
        "    image: nginx:1.27.3\n"
    )
    assert stale_releases(text, "docs/x.md", latest) == [
        f"docs/x.md:3: v1.{latest - 7}.2 (latest is 1.{latest})"
    ]


def test_the_scan_covers_the_pages_that_type_releases() -> None:
    """The rule must see the pages it exists for: a scan that matched nothing would pass."""
    pages = {
        p.relative_to(project.DOCS).as_posix()
        for p in project.DOCS.rglob("*.md")
        if any(
            KUBERNETES_CONTEXT.search(line) and RELEASE.search(line)
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    }
    assert {"maintenance/kubeadm-upgrade.md", "drills/maintenance.md"} <= pages
