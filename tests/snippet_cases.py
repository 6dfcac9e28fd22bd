"""Helpers for the snippet-checker tests: many cases, one Markdown file, one run.

Why one run: kubectl and mermaid cost a process start each; checking every case of a
test module in a single ``check_paths`` call keeps the suite fast. Each case's expected
line is marked in the snippet itself with a trailing ``# <-`` comment (YAML, bash), so
the tests read like the page an author would write; the marker is a comment and changes
nothing the checkers see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.snippets import Report, check_paths

MARK = "# <-"


@dataclass(frozen=True)
class Case:
    """A snippet and what the checker must say about it. ``line`` (1-based inside the
    snippet) is used when the snippet cannot carry a ``# <-`` marker."""

    id: str
    lang: str
    text: str
    field: str = ""
    message: str = ""
    line: int | None = None
    obj: str | None = None

    def expected_line(self) -> int:
        if self.line is not None:
            return self.line
        for i, line in enumerate(self.text.splitlines(), start=1):
            if MARK in line:
                return i
        return 1


@dataclass
class Run:
    path: Path
    report: Report
    starts: dict[str, int]  # case id -> file line of the block's first content line
    ends: dict[str, int]


def run_cases(directory: Path, cases: list[Case], name: str = "cases.md") -> Run:
    """Write every case as one fence of a Markdown page and check the page once."""
    lines = ["# Cases", ""]
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for case in cases:
        lines += [f"## {case.id}", "", f"```{case.lang}"]
        starts[case.id] = len(lines) + 1
        body = case.text.strip("\n").splitlines()
        lines += body
        ends[case.id] = len(lines)
        lines += ["```", ""]
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Run(path, check_paths([path], use_cache=False), starts, ends)


def findings_for(run: Run, case: Case, severity: str = "error") -> list:
    found = run.report.errors if severity == "error" else run.report.warnings
    low, high = run.starts[case.id], run.ends[case.id]
    return [f for f in found if low <= f.line <= high]


def assert_reported(run: Run, case: Case) -> None:
    """The case's error is reported at the right path, line, field and message."""
    line = run.starts[case.id] + case.expected_line() - 1
    found = findings_for(run, case)
    matching = [
        f
        for f in found
        if f.line == line
        and f.path.name == run.path.name
        and case.field in f.field
        and case.message in f.message
        and (case.obj is None or f.obj == case.obj)
    ]
    assert matching, f"expected at line {line}: {case.field}: {case.message}\ngot:\n" + "\n".join(
        map(str, found)
    )


def assert_clean(run: Run, case: Case) -> None:
    found = findings_for(run, case)
    assert not found, "unexpected errors:\n" + "\n".join(map(str, found))
