"""Findings and the report every checker fills in.

One format for every checker, so the build log reads the same whatever found the
problem: ``path:line: object: field.path: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

# The classes the summary line counts, in the order it prints them.
COUNT_KEYS = ("manifests", "fragments", "other YAML", "commands", "diagrams")


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass(frozen=True)
class Finding:
    """One problem. ``line`` is the Markdown line of the offending field or command."""

    path: Path
    line: int
    obj: str
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        parts = [f"{self.path}:{self.line}", self.obj]
        if self.field:
            parts.append(self.field)
        if self.severity == "warning":
            parts.append("warning")
        parts.append(self.message)
        return ": ".join(parts)


@dataclass(frozen=True)
class Issue:
    """A finding before it is placed in a file: ``offset`` is the 0-based line inside the
    block. Checkers return these so that results can be cached per snippet text and
    placed again wherever the same snippet appears."""

    offset: int
    obj: str
    field: str
    message: str
    severity: Severity = "error"

    def to_json(self) -> list[object]:
        return [self.offset, self.obj, self.field, self.message, self.severity]

    @classmethod
    def from_json(cls, data: list[object]) -> Issue:
        offset, obj, fld, message, severity = data
        return cls(int(offset), str(obj), str(fld), str(message), severity)  # type: ignore[arg-type]


@dataclass
class BlockResult:
    """What checking one block produced: its issues and how it counts in the summary."""

    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    transient: bool = False  # a checker crash: reported, never cached
    # {minor: reasons it is not valid there}; [] = valid on that minor; a minor that is
    # absent was not checked (no kubectl of that minor, or not a versioned snippet).
    versions: dict[str, list[str]] = field(default_factory=dict)

    def add(
        self, offset: int, obj: str, fld: str, message: str, severity: Severity = "error"
    ) -> None:
        self.issues.append(Issue(offset, obj, fld, message, severity))

    def note_version(self, version: str, reasons: list[str]) -> None:
        self.versions.setdefault(version, []).extend(reasons)

    def valid_on(self) -> list[str]:
        return sorted((v for v, why in self.versions.items() if not why), key=_minor)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def to_json(self) -> dict[str, object]:
        return {
            "issues": [i.to_json() for i in self.issues],
            "counts": self.counts,
            "versions": self.versions,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> BlockResult:
        issues = [Issue.from_json(i) for i in data["issues"]]  # type: ignore[union-attr]
        versions = {str(k): list(v) for k, v in dict(data.get("versions") or {}).items()}  # type: ignore[call-overload]
        return cls(issues=issues, counts=dict(data["counts"]), versions=versions)  # type: ignore[call-overload]


@dataclass(frozen=True)
class PlacedBlock:
    """One checked block and its result, for the build's per-snippet lines: ``path`` as
    given to the runner (not shortened for display), ``line`` its first content line."""

    path: Path
    line: int
    lang: str
    text: str
    result: BlockResult


@dataclass
class Report:
    """Everything a run found; ``summary()`` is the line the build prints last."""

    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    blocks: int = 0
    # (file, line of the block, {minor: reasons}) for every block checked per minor.
    versioned: list[tuple[Path, int, dict[str, list[str]]]] = field(default_factory=list)
    # Every checked block with its result, in file order (scripts/build/snippet_versions).
    placed: list[PlacedBlock] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """Errors and warnings in file order."""
        return sorted(self.errors + self.warnings, key=lambda f: (str(f.path), f.line))

    def add(self, finding: Finding) -> None:
        (self.errors if finding.severity == "error" else self.warnings).append(finding)

    def version_summary(self) -> str:
        """One line: how many versioned blocks hold on every minor checked for them."""
        everywhere = sum(1 for _, _, v in self.versioned if all(not why for why in v.values()))
        minors = sorted({m for _, _, v in self.versioned for m in v}, key=_minor)
        some = len(self.versioned) - everywhere
        return (
            f"versions: {everywhere} of {len(self.versioned)} checked blocks valid on every "
            f"minor checked ({', '.join(minors) or 'none'}); {some} not on all"
        )

    def version_details(self) -> list[str]:
        """``file:line: valid on 1.36 · 1.37; v1.35: why`` for each block not valid on all."""
        out = []
        for path, line, versions in self.versioned:
            bad = {m: why for m, why in versions.items() if why}
            if not bad:
                continue
            good = " · ".join(sorted((m for m in versions if m not in bad), key=_minor))
            why = "; ".join(f"v{m}: {', '.join(dict.fromkeys(w))}" for m, w in sorted(bad.items()))
            out.append(f"{path}:{line}: valid on {good or 'none'}; {why}")
        return out

    def summary(self) -> str:
        classes = ", ".join(f"{self.counts.get(k, 0)} {k}" for k in COUNT_KEYS)
        e, w = len(self.errors), len(self.warnings)
        return (
            f"checked {self.blocks} blocks: {classes}; "
            f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
        )
