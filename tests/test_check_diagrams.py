"""Mermaid blocks parse with the mermaid version the site ships; a syntax error is
reported at the diagram line plus the fence offset."""

from __future__ import annotations

import pytest

from scripts.snippets.diagrams import error_offset
from tests.snippet_cases import Case, assert_clean, assert_reported, run_cases

BAD = [
    Case(
        "flowchart-dangling-arrow",
        "mermaid",
        """flowchart LR
  accTitle: Service traffic
  accDescr: A client reaches a Pod through a Service
  Client --> Service -->
""",
        "",
        "Parse error",
        line=4,
        obj="mermaid",
    ),
    Case(
        "sequence-arrow-typo",
        "mermaid",
        """sequenceDiagram
  participant K as kubectl
  participant A as API server
  K->>A: POST /pods
  A-->>>K: 201 Created
""",
        "",
        "Parse error",
        line=5,
    ),
    Case(
        "front-matter-offset",
        "mermaid",
        """---
title: Scheduling
---
flowchart LR
  Pending --> Scheduled
  Scheduled --> Running((Running)
""",
        "",
        "Parse error",
        line=6,
    ),
    Case(
        "unknown-diagram-type",
        "mermaid",
        """flowchat LR
  A --> B
""",
        "",
        "",
        line=1,
    ),
]

GOOD = [
    Case(
        "flowchart",
        "mermaid",
        """flowchart LR
  accTitle: Packet path
  accDescr: From a client Pod through kube-proxy rules to a backend Pod
  C[Client Pod] -->|DNAT| S{{Service VIP}}
  S --> P1[(etcd)]
  S -.-> P2([Backend])
  subgraph node1 [Node 1]
    P1
  end
""",
    ),
    Case(
        "sequence",
        "mermaid",
        """sequenceDiagram
  accTitle: Pod creation
  accDescr: kubectl to API server to scheduler to kubelet
  participant K as kubectl
  participant A as API server
  participant S as Scheduler
  participant L as kubelet
  K->>A: create Pod
  A-->>K: 201 Created
  S->>A: bind Pod to node
  L->>A: watch, then start containers
  Note over A,L: etcd stores every step
""",
    ),
    Case(
        "state",
        "mermaid",
        """stateDiagram-v2
  accTitle: Pod phases
  accDescr: The phases a Pod goes through
  [*] --> Pending
  Pending --> Running
  Running --> Succeeded
  Running --> Failed
  Succeeded --> [*]
""",
    ),
    Case(
        "class-and-er",
        "mermaid",
        """classDiagram
  class Deployment
  class ReplicaSet
  Deployment "1" --> "*" ReplicaSet : owns
""",
    ),
    Case(
        "timeline",
        "mermaid",
        """timeline
  title Kubernetes releases
  2014 : Kubernetes announced
  2015 : v1.0
""",
    ),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    return run_cases(tmp_path_factory.mktemp("diagrams"), BAD + GOOD)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_diagram_is_reported(run, case: Case) -> None:
    assert_reported(run, case)


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.id)
def test_good_diagram_parses(run, case: Case) -> None:
    assert_clean(run, case)


def test_diagrams_are_counted(run) -> None:
    assert run.report.counts["diagrams"] == len(BAD) + len(GOOD)


def test_error_offset_clamps_end_of_input() -> None:
    text = "flowchart LR\n  A --> B -->\n"
    assert error_offset(text, "Parse error on line 3:\n...") == 1
    assert error_offset("%%{init: {}}%%\nflowchart LR\n  A --->> B\n", "Parse error on line 2") == 2
