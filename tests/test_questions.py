"""The questions index: every question on a page is in it, once, with a stable anchor.

The completeness check (`index_problems`) compares the rendered index with a looser scan of
the pages than the collector's, so a question the collector skips (or an index rendered from
stale pages) is reported at its file and line: shown here on planted pages.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from scripts import project
from scripts.content import exam_guide
from scripts.content import questions as q

NAV = [
    {"Home": "index.md"},
    {"Workloads": [{"Pods": "workloads/pods.md"}, {"Jobs": "workloads/jobs.md"}]},
    {"Reference": [{"Interview questions": "reference/interview-qa.md"}]},
]

PODS = """\
# Pods

## Interview questions

??? question "What is a `Pod`?"
    The smallest unit. See [Jobs](jobs.md#retries) and [above](#interview-questions).

    | a | b |
    |---|---|
    | 1 | 2 |

??? question "What is a `Pod`?"
    Asked twice on purpose.

## Official documentation
"""

QA = """\
# Interview questions

## Pods

Background: [Pods](../workloads/pods.md).

??? question "Why use a Pod?"
    Because.
"""


@pytest.fixture(scope="module")
def real() -> tuple[q.Index, str]:
    nav = YAML(typ="rt").load(project.MKDOCS_YML.read_text(encoding="utf-8"))["nav"]
    curricula, site, _ = exam_guide.build()
    return q.build(project.DOCS, nav, curricula, site)


def _docs(tmp_path: Path, pods: str = PODS) -> Path:
    for rel, text in (
        ("workloads/pods.md", pods),
        ("workloads/jobs.md", "# Jobs\n"),
        ("reference/interview-qa.md", QA),
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def _index(docs: Path) -> tuple[q.Index, str]:
    index = q.collect(docs, q.nav_sections(NAV), {"workloads/pods.md": ("cka",)}, (("cka", "CKA"),))
    return index, q.render_index(index)


# ---------------------------------------------------------------------------------------------
# The real site


def test_every_question_on_the_site_is_in_the_index_once(real) -> None:
    index, text = real
    scanned = q.scan_questions(project.DOCS)
    assert len(scanned) > 250 and len(index.questions) == len(scanned)
    assert q.index_problems(project.DOCS, text) == []
    keys = Counter(x.key for x in index.questions)
    assert [k for k, n in keys.items() if n > 1] == []  # anchors unique on each page
    assert text.count('??? question "') == len(scanned)


def test_collected_questions_count_once_in_their_topic_section(real) -> None:
    """reference/interview-qa.md keeps its 22 questions; each counts in the section of the
    page its group names under "Background:", not in Reference."""
    index, _ = real
    qa = index.on_page("reference/interview-qa.md")
    assert len(qa) == 22
    assert {x.section for x in qa} == {"workloads", "architecture"}
    assert sum(len(index.in_section(s.id)) for s in index.sections) == len(index.questions)


# ---------------------------------------------------------------------------------------------
# Planted pages


def test_anchors_sections_exams_and_links(tmp_path: Path) -> None:
    index, text = _index(_docs(tmp_path))
    pods = index.on_page("workloads/pods.md")
    assert [x.anchor for x in pods] == ["q-what-is-a-pod", "q-what-is-a-pod-2"]
    assert pods[0].exams == ("cka",) and pods[0].line == 5
    (why,) = index.on_page("reference/interview-qa.md")
    assert (why.topic, why.section, why.exams) == ("workloads/pods.md", "workloads", ("cka",))
    # links rebased from workloads/ to reference/, the table kept, the source linked
    assert "[Jobs](../workloads/jobs.md#retries)" in text
    assert "[above](../workloads/pods.md#interview-questions)" in text
    assert "    | 1 | 2 |" in text
    assert "On its page: [Pods](../workloads/pods.md#q-what-is-a-pod-2)" in text
    assert q.index_problems(tmp_path, text) == []


def test_a_question_missing_from_the_index_is_reported_at_its_line(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    _, stale = _index(docs)  # rendered before the new question was written
    (docs / "workloads/pods.md").write_text(
        PODS.replace(
            "## Official", '??? question "Why not a container?"\n    Because.\n\n## Official'
        ),
        encoding="utf-8",
    )
    assert q.index_problems(docs, stale) == [
        "docs/workloads/pods.md:15: question 'Why not a container?' is not in the index "
        '(reference/questions.md); write it as ??? question "..." at the start of a line'
    ]
    _, fresh = _index(docs)
    assert q.index_problems(docs, fresh) == []


def test_a_question_the_collector_cannot_read_fails_the_build(tmp_path: Path) -> None:
    """Indented inside a tip, the collector skips it; the looser scan sees it."""
    docs = _docs(
        tmp_path,
        PODS.replace(
            "## Official", '!!! tip "Hint"\n    ??? question "Nested?"\n        Yes.\n\n## Official'
        ),
    )
    with pytest.raises(q.QuestionsError) as failed:
        curricula = exam_guide.load_curricula()
        site = exam_guide.Site({}, (), {})
        q.build(docs, NAV, curricula, site)
    assert failed.value.errors == [
        "docs/workloads/pods.md:16: question 'Nested?' is not in the index "
        '(reference/questions.md); write it as ??? question "..." at the start of a line'
    ]


def test_slugs_are_stable_short_and_plain() -> None:
    assert q.slugify("What happens after `kubectl apply -f x.yaml`?") == (
        "what-happens-after-kubectl-apply-f-x-yaml"
    )
    long = q.slugify("word " * 40)
    assert len(long) <= q.SLUG_MAX and not long.endswith("-")
    assert q.slugify("¿Qué?") == "que"
