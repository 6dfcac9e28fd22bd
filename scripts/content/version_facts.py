"""Version facts that no feature gate carries, from data, never typed by hand.

Why: "the `seccompProfile` field is stable since v1.19" or "kubeadm's `v1beta3` API is
deprecated" are statements about a release; typed into a page they go stale silently (the
kubeadm `v1beta3` API was removed in v1.36 while a page still called it deprecated). Feature
gates already come from `data/feature-gates.yaml` (`[[gate:Name]]`); everything else with a
version (API fields and versions, kubectl flags, kubeadm config APIs, add-ons) lives in
`data/version-facts.yaml`, one entry per fact, each with the source it was checked against.

A page writes `[[fact:id]]` for the current state ("stable since v1.19") or
`[[fact:id|history]]` for every state ("beta in v1.30; stable since v1.31"); the build
(`scripts/build/page_vars.py`) replaces the token outside code, and an unknown id fails the
build at file:line.

Data (a list; every field required except `note`):
  - id: seccomp-profile-field          # lower-case words joined by hyphens
    name: securityContext.seccompProfile  # what a reader calls it (the exam-to-latest table)
    states:                            # in release order
      - {state: stable, from: "1.19"}  # alpha | beta | stable | available | deprecated | removed
    source: https://kubernetes.io/...  # where the states were checked (URL, PR or repo@commit)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.common.datafile import Row, load_rows, require

DATA_FILE = project.DATA / "version-facts.yaml"
STATES = ("alpha", "beta", "stable", "available", "deprecated", "removed")
DASH = "\u2013"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VERSION = re.compile(r"1\.\d+")


@dataclass(frozen=True)
class State:
    state: str
    start: tuple[int, int]


@dataclass(frozen=True)
class Fact:
    id: str
    states: tuple[State, ...]
    source: str
    name: str


def _minor(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


def _v(minor: tuple[int, int]) -> str:
    return f"v{minor[0]}.{minor[1]}"


def _fact(row: Row) -> Fact:
    require(row, ("id", "name", "states", "source"))
    fid = str(row.data["id"])
    name = str(row.data["name"]).strip()
    if not name or "|" in name:
        raise row.error("name", f"{fid}: a name a reader knows it by, with no '|'")
    if not _ID.fullmatch(fid):
        raise row.error("id", f"{fid!r}: lower-case words joined by hyphens")
    states = []
    for item in row.data["states"] or []:
        state, start = str(item.get("state", "")), str(item.get("from", ""))
        if state not in STATES:
            raise row.error("states", f"{fid}: unknown state {state!r} (one of {STATES})")
        if not _VERSION.fullmatch(start):
            raise row.error("states", f"{fid}: from {start!r} is not a minor such as 1.31")
        states.append(State(state, _minor(start)))
    if not states:
        raise row.error("states", f"{fid}: at least one state")
    if [s.start for s in states] != sorted({s.start for s in states}):
        raise row.error("states", f"{fid}: states must be in release order, one per release")
    if states[-1].state != "removed" and any(s.state == "removed" for s in states):
        raise row.error("states", f"{fid}: nothing follows removed")
    return Fact(fid, tuple(states), str(row.data["source"]), name)


def load(path: Path = DATA_FILE) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for row in load_rows(path):
        fact = _fact(row)
        if fact.id in facts:
            raise row.error("id", f"{fact.id}: listed twice")
        facts[fact.id] = fact
    return facts


def render(fact: Fact, latest: str = project.versions().latest, history: bool = False) -> str:
    """The state at `latest` in words ("stable since v1.19", "removed in v1.36"), or with
    `history` every state up to `latest` ("deprecated in v1.31-v1.35; removed in v1.36",
    with an en dash)."""
    now = _minor(latest)
    states = [s for s in fact.states if s.start <= now]
    if not states:
        return f"not yet in Kubernetes {_v(now)}"
    phrases = []
    for i, s in enumerate(states):
        if i < len(states) - 1 and not history:
            continue
        if s.state == "removed":
            phrases.append(f"removed in {_v(s.start)}")
        elif i == len(states) - 1:
            phrases.append(f"{s.state} since {_v(s.start)}")
        else:
            end = (states[i + 1].start[0], states[i + 1].start[1] - 1)
            span = _v(s.start) if end == s.start else f"{_v(s.start)}{DASH}{_v(end)}"
            phrases.append(f"{s.state} in {span}")
    return "; ".join(phrases)


def state_at(fact: Fact, minor: str) -> str:
    """The fact's state in release `minor` ("stable", "removed", ...); before its first
    listed state, "not yet" and that state ("not yet deprecated")."""
    states = [s for s in fact.states if s.start <= _minor(minor)]
    return states[-1].state if states else f"not yet {fact.states[0].state}"


def resolve(name: str, facts: dict[str, Fact] | None = None) -> str | None:
    """`id` or `id|history` to words, None for an unknown id (the caller reports file:line)."""
    fid, _, option = name.partition("|")
    facts = load() if facts is None else facts
    if fid not in facts or option not in ("", "history"):
        return None
    return render(facts[fid], history=option == "history")
