"""The exam guide: the real curricula load and are fully covered; planted mistakes are reported.

Each check is shown passing on a small good site and failing, at the right file and line, on
the same site with one mistake planted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.content import exam_guide as g

MINI_EXAMS = """\
curriculum_repository: https://github.com/cncf/curriculum
curriculum_commit: f6c7667265fef850daaf93b4e19e919552c67d8c
exams:
  - id: cka
    name: Certified Kubernetes Administrator (CKA)
    curriculum: CKA_Curriculum_v1.35.pdf
    checked: "2026-12-06"
    sources: [https://github.com/cncf/curriculum/blob/main/cka/README.md]
    domains:
      - id: cka-workloads
        name: Workloads & Scheduling
        weight: 60
        competencies:
          - id: cka-workloads/rolling-updates
            text: Understand application deployments and how to perform rolling update and rollbacks
      - id: cka-storage
        name: Storage
        weight: 40
        competencies:
          - id: cka-storage/pv-pvc
            text: Manage persistent volumes and persistent volume claims
    gaps:
      - id: cka-storage/pv-pvc
        reason: No page on volumes yet.
planned:
  workloads/probes.md: [cka-workloads/rolling-updates]
"""

PAGE = """\
---
exams:
  - cka-workloads/rolling-updates
---
# Deployments

Text.
"""

DRILLS = """\
---
drills: true
---
# Workloads drills

### Scale and expose a web Deployment {#drill-web-nodeport data-domains="cka-workloads"}

Create a Deployment `web` in namespace `shop`.

??? tip "Solution"

    ```bash
    ### not a drill: inside a fence
    kubectl create deployment web --image=nginx:1.27 --replicas=3 -n shop
    ```

    See [Deployments](../workloads/deployments.md).
"""

VERSIONS = (
    'latest: "1.37"\nsupported: ["1.35", "1.37"]\n'
    'exam:\n  version: "1.35"\n  source: https://example.org/faq\n  checked: "2026-09"\n'
)


def make_site(
    tmp_path: Path, exams: str = MINI_EXAMS, page: str = PAGE, drills: str | None = DRILLS
) -> tuple[Path, Path, Path]:
    docs = tmp_path / "docs"
    (docs / "workloads").mkdir(parents=True)
    (docs / "workloads" / "deployments.md").write_text(page)
    if drills is not None:
        (docs / "drills").mkdir()
        (docs / "drills" / "workloads.md").write_text(drills)
    data = tmp_path / "exams.yaml"
    data.write_text(exams)
    versions = tmp_path / "versions.yaml"
    versions.write_text(VERSIONS)
    return docs, data, versions


def errors_of(tmp_path: Path, **kwargs: str | None) -> list[str]:
    docs, data, versions = make_site(tmp_path, **kwargs)
    with pytest.raises(g.ExamGuideError) as info:
        g.build(docs, data, versions)
    return info.value.errors


# ---------------------------------------------------------------------------------------------
# The real site


def test_real_curricula_load() -> None:
    curricula = g.load_curricula()
    assert [e.id for e in curricula.exams] == ["cka", "ckad", "cks"]
    for exam in curricula.exams:
        assert sum(d.weight for d in exam.domains) == 100, exam.id
    assert len(curricula.domains) == 16
    assert "cka-workloads/rolling-updates" in curricula.competencies


def test_every_real_competency_is_covered_or_a_gap() -> None:
    """Counts `planned:` pages: they are being written and land with their front matter."""
    curricula = g.load_curricula()
    site = g.collect_site(g.DOCS_DIR, curricula)
    assert g.check_coverage(curricula, site) == []


def test_real_guide_renders() -> None:
    _, _, pages = g.build()
    assert sorted(pages) == [
        "exam-guide/cka.md",
        "exam-guide/ckad.md",
        "exam-guide/cks.md",
        "exam-guide/index.md",
    ]
    assert "[RBAC: who may do what](../security/rbac.md)" in pages["exam-guide/cka.md"]
    assert "Kubernetes v1.35" in pages["exam-guide/cka.md"]


# ---------------------------------------------------------------------------------------------
# The good mini site, then one planted mistake per check


def test_good_mini_site_builds_and_lists_planted_page(tmp_path: Path) -> None:
    docs, data, versions = make_site(tmp_path)
    _, site, pages = g.build(docs, data, versions)
    cka = pages["exam-guide/cka.md"]
    section = cka.split("### Understand application deployments")[1].split("### ")[0]
    assert "- [Deployments](../workloads/deployments.md)" in section
    assert "[Scale and expose a web Deployment](../drills/workloads.md#drill-web-nodeport)" in cka
    gap = cka.split("### Manage persistent volumes")[1]
    assert '!!! warning "Not covered on this site yet"\n    No page on volumes yet.' in gap
    assert "Kubernetes v1.35" in cka and "v1.37" in cka
    assert [d.id for d in site.drills] == ["drill-web-nodeport"]  # not the fenced ### line


def test_tag_row_goes_under_the_title(tmp_path: Path) -> None:
    docs, data, versions = make_site(tmp_path)
    curricula, site, _ = g.build(docs, data, versions)
    out = g.add_tag_row(curricula, site, "workloads/deployments.md", "# Deployments\n\nText.\n")
    assert out.splitlines()[:4] == [
        "# Deployments",
        "",
        'Exams: [CKA](../exam-guide/cka.md "Certified Kubernetes Administrator (CKA): exam guide")',
        "{ .exam-tags data-search-exclude }",
    ]
    assert g.add_tag_row(curricula, site, "other.md", "# Other\n") == "# Other\n"


def test_unknown_competency_in_front_matter_names_file_and_line(tmp_path: Path) -> None:
    bad = PAGE.replace(
        "  - cka-workloads/rolling-updates\n",
        "  - cka-workloads/rolling-updates\n  - cka-workloads/rolling-update\n",
    )
    errors = errors_of(tmp_path, page=bad)
    assert len(errors) == 1
    assert errors[0].endswith(
        "docs/workloads/deployments.md:4: exams: unknown competency "
        "'cka-workloads/rolling-update' (see data/exams.yaml)"
    ), errors


def test_domain_with_nothing_and_not_in_gaps_fails(tmp_path: Path) -> None:
    exams = MINI_EXAMS.replace(
        "    gaps:\n      - id: cka-storage/pv-pvc\n        reason: No page on volumes yet.\n",
        "    gaps: []\n",
    )
    errors = errors_of(tmp_path, exams=exams)
    assert any(
        e.endswith(
            "exams.yaml:16: domain cka-storage: no page and no drill covers "
            "it, and not all of its competencies are in gaps:"
        )
        for e in errors
    ), errors
    assert any(
        "exams.yaml:20: competency cka-storage/pv-pvc: no page claims it" in e for e in errors
    ), errors


def test_a_drill_alone_satisfies_the_domain_check(tmp_path: Path) -> None:
    exams = MINI_EXAMS.replace(
        "    gaps:\n      - id: cka-storage/pv-pvc\n        reason: No page on volumes yet.\n",
        "    gaps: []\n",
    )
    drills = DRILLS.replace(
        'data-domains="cka-workloads"', 'data-domains="cka-workloads cka-storage"'
    )
    errors = errors_of(tmp_path, exams=exams, drills=drills)
    assert not any("domain cka-storage" in e for e in errors), errors
    assert any("competency cka-storage/pv-pvc" in e for e in errors), errors


def test_uncovered_competency_not_in_gaps_fails(tmp_path: Path) -> None:
    """The check that keeps the real site honest, failing on a planted site."""
    page = PAGE.replace("exams:\n  - cka-workloads/rolling-updates\n", "exams: []\n")
    exams = MINI_EXAMS.replace(
        "planned:\n  workloads/probes.md: [cka-workloads/rolling-updates]\n", ""
    )
    errors = errors_of(tmp_path, page=page, exams=exams)
    assert any(
        e.endswith(
            "exams.yaml:14: competency cka-workloads/rolling-updates: no page "
            "claims it (front matter `exams:`) or plans it (`planned:`), and it "
            "is not in gaps:"
        )
        for e in errors
    ), errors


def test_planned_page_counts_for_coverage_but_is_linked_only_once_it_exists(tmp_path: Path) -> None:
    page = PAGE.replace("exams:\n  - cka-workloads/rolling-updates\n", "exams: []\n")
    docs, data, versions = make_site(tmp_path, page=page)
    _, _, pages = g.build(docs, data, versions)
    assert "A page on this competency is being written." in pages["exam-guide/cka.md"]
    (docs / "workloads" / "probes.md").write_text("# Probes\n")
    _, _, pages = g.build(docs, data, versions)
    assert "- [Probes](../workloads/probes.md)" in pages["exam-guide/cka.md"]


def test_gap_that_a_page_covers_fails(tmp_path: Path) -> None:
    page = PAGE.replace("---\n#", "  - cka-storage/pv-pvc\n---\n#")
    errors = errors_of(tmp_path, page=page)
    assert any(
        e.endswith(
            "exams.yaml:23: gap: cka-storage/pv-pvc is covered by "
            "workloads/deployments.md; remove it from gaps"
        )
        for e in errors
    ), errors


# (id, old, new, line of the error in exams.yaml, words of the message)
BAD_DATA = [
    ("weights", "weight: 40", "weight: 30", 9, "add up to 90%"),
    (
        "competency-prefix",
        "id: cka-storage/pv-pvc\n            text",
        "id: cka-workloads/pv-pvc\n            text",
        20,
        "must be 'cka-storage/<slug>'",
    ),
    (
        "unknown-field",
        "        weight: 40\n",
        "        weight: 40\n        weigth: 40\n",
        19,
        "unknown field 'weigth'",
    ),
    (
        "gap-unknown",
        "      - id: cka-storage/pv-pvc\n        reason",
        "      - id: cka-storage/pvc\n        reason",
        23,
        "is not a competency of cka",
    ),
    (
        "planned-unknown",
        "[cka-workloads/rolling-updates]\n",
        "[cka-workloads/rollouts]\n",
        26,
        "unknown competency 'cka-workloads/rollouts'",
    ),
    ("commit", "f6c7667265fef850daaf93b4e19e919552c67d8c", "f6c7667", 2, "40 hex digits"),
    ("date", '"2026-12-06"', '"Dec 2026"', 7, "YYYY-MM-DD"),
    (
        "duplicate-competency",
        "id: cka-storage/pv-pvc\n            text",
        "id: cka-workloads/rolling-updates\n            text",
        20,
        "duplicate id",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"), [b[1:] for b in BAD_DATA], ids=[b[0] for b in BAD_DATA]
)
def test_bad_exam_data_names_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in MINI_EXAMS
    errors = errors_of(tmp_path, exams=MINI_EXAMS.replace(old, new, 1))
    assert any(f"exams.yaml:{line}: " in e and message in e for e in errors), errors


BAD_DRILLS = [
    (
        "unknown-domain",
        'data-domains="cka-workloads"',
        'data-domains="cka-workload"',
        6,
        "unknown domain 'cka-workload'",
    ),
    ("no-domains", ' data-domains="cka-workloads"', "", 6, "heading needs"),
    ("bad-id", "#drill-web-nodeport", "#web-nodeport", 6, "must start with 'drill-'"),
    (
        "duplicate-id",
        "Create a Deployment",
        '### Again {#drill-web-nodeport data-domains="cka-workloads"}\n\nCreate a Deployment',
        8,
        "already used at",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"), [b[1:] for b in BAD_DRILLS], ids=[b[0] for b in BAD_DRILLS]
)
def test_bad_drill_names_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in DRILLS
    errors = errors_of(tmp_path, drills=DRILLS.replace(old, new, 1))
    assert any(f"docs/drills/workloads.md:{line}: " in e and message in e for e in errors), errors
