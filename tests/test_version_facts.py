"""Version facts from data (scripts/content/version_facts) and the [[fact:id]] token
(scripts/build/page_vars).

The expected words are written from the states by hand: a fact stable from 1.19 reads
"stable since v1.19"; deprecated from 1.31 and removed from 1.36 reads "deprecated in
v1.31-v1.35; removed in v1.36" (with an en dash for the hyphen).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.build import page_vars
from scripts.common.datafile import DataError
from scripts.content import version_facts as vf


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(body)
    return path


def test_words_follow_the_states(tmp_path: Path):
    facts = vf.load(
        _write(
            tmp_path,
            '- id: old-api\n  name: N\n  states:\n    - {state: available, from: "1.22"}\n'
            '    - {state: deprecated, from: "1.31"}\n    - {state: removed, from: "1.36"}\n'
            "  source: a PR\n"
            '- id: field\n  name: N\n  states:\n    - {state: beta, from: "1.30"}\n'
            '    - {state: stable, from: "1.31"}\n  source: a page\n',
        )
    )
    assert vf.render(facts["old-api"], "1.37") == "removed in v1.36"
    assert vf.render(facts["old-api"], "1.37", history=True) == (
        "available in v1.22\u2013v1.30; deprecated in v1.31\u2013v1.35; removed in v1.36"
    )
    assert vf.render(facts["old-api"], "1.33") == "deprecated since v1.31"
    assert vf.render(facts["field"], "1.37", history=True) == "beta in v1.30; stable since v1.31"
    assert vf.render(facts["field"], "1.29") == "not yet in Kubernetes v1.29"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '- id: x\n  states:\n    - {state: gone, from: "1.2"}\n  source: s\n  name: N\n',
            "unknown state",
        ),
        (
            '- id: x\n  states:\n    - {state: beta, from: "1.31"}\n'
            '    - {state: alpha, from: "1.30"}\n  source: s\n  name: N\n',
            "release order",
        ),
        (
            '- id: X_Y\n  states:\n    - {state: beta, from: "1.31"}\n  source: s\n  name: N\n',
            "hyphens",
        ),
        ('- id: x\n  states:\n    - {state: beta, from: "1.31"}\n  name: N\n', "source"),
        ('- id: x\n  states:\n    - {state: beta, from: "1.31"}\n  source: s\n', "name"),
    ],
)
def test_planted_data_mistakes_fail_with_file_and_line(tmp_path: Path, body, message):
    path = _write(tmp_path, "# header\n" + body)
    with pytest.raises(DataError, match=rf"facts\.yaml:[23]: .*{message}"):
        vf.load(path)


def test_committed_facts_load_with_sources():
    facts = vf.load()
    assert facts["kubeadm-config-v1beta3"].states[-1].state == "removed"
    assert all(f.source.strip() and f.name for f in facts.values())


def test_token_expands_outside_code_only():
    page = "The field is [[fact:seccomp-profile-field]].\n```text\n[[fact:nope]]\n```\n"
    out = page_vars.expand(page, "docs/x.md", "x.md")
    assert out.startswith("The field is stable since v1.19.\n")
    assert "[[fact:nope]]" in out


@pytest.mark.parametrize(
    "token", ["[[fact:no-such-fact]]", "[[fact:Seccomp]]", "[[fact:grpc-probes|histry]]"]
)
def test_unknown_or_misspelt_fact_fails_at_file_and_line(token):
    with pytest.raises(page_vars.PageVarError, match=r"docs/x\.md:3: unknown token"):
        page_vars.expand(f"a\nb\nsee {token}\n", "docs/x.md", "x.md")


def test_state_at_a_minor_before_during_and_after() -> None:
    fact = vf.Fact(
        "x",
        (vf.State("deprecated", (1, 31)), vf.State("removed", (1, 36))),
        "src",
        "X",
    )
    assert vf.state_at(fact, "1.30") == "not yet deprecated"
    assert vf.state_at(fact, "1.35") == "deprecated"
    assert vf.state_at(fact, "1.37") == "removed"
