"""Coverage map: which page uses each line of the engineer's notes, or why it was dropped.

Why: every page is made from `notes/kubernetes-notes.txt`. A line that no page uses and no
one deliberately dropped is a topic that may have been lost while merging three passes
over the same subjects. `data/coverage/*.yaml` records each decision as

    - lines: 55-165                 # or a single line number
      page: networking/services.md  # a page under docs/
    - lines: 1484
      dropped: chat residue (E-001)

and this module checks the map (errors read `file:line: field: message`) and lists the
non-blank lines no row covers.

CLI: ``python -m scripts.content.notes_coverage [--data DIR] [--notes FILE] [--docs DIR]``
prints the uncovered ranges with the first words of each line and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.common.datafile import DataError, Row, load_rows

REPO = project.ROOT
DATA_DIR = REPO / "data" / "coverage"
NOTES = REPO / "notes" / "kubernetes-notes.txt"
DOCS_DIR = REPO / "docs"

FIELDS = ("lines", "page", "dropped")
_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


@dataclass(frozen=True)
class Entry:
    """One validated row: an inclusive line range and where it went."""

    path: Path
    line: int
    first: int
    last: int
    page: str | None
    dropped: str | None


def _parse_lines(row: Row, total: int) -> tuple[int, int]:
    """`lines:` is `A-B` or a single int, with 1 <= A <= B <= total."""
    value = row.data.get("lines")
    if isinstance(value, bool) or value is None:
        raise row.error("lines", "missing: expected A-B or a line number")
    if isinstance(value, int):
        first = last = value
    else:
        match = _RANGE.match(str(value))
        if not match:
            raise row.error("lines", f"{value!r} is not A-B or a line number")
        first, last = int(match[1]), int(match[2])
    if first > last:
        raise row.error("lines", f"range {first}-{last} is reversed")
    if first < 1 or last > total:
        raise row.error("lines", f"range {first}-{last} is outside the notes (1-{total})")
    return first, last


def _text(row: Row, field: str) -> str | None:
    value = row.data.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise row.error(field, "must be a non-empty string")
    return value.strip()


def parse_row(row: Row, total: int, docs_dir: Path) -> Entry:
    """Validate one row; raise DataError naming the file, line and field."""
    for key in row.data:
        if key not in FIELDS:
            raise row.error(key, f"unknown field (allowed: {', '.join(FIELDS)})")
    first, last = _parse_lines(row, total)
    page, dropped = _text(row, "page"), _text(row, "dropped")
    if page and dropped:
        raise row.error("dropped", "a row has either page or dropped, not both")
    if not page and not dropped:
        raise row.error("lines", "a row needs page (where it is used) or dropped (why not)")
    if page and not (docs_dir / page.split("#")[0]).is_file():
        raise row.error("page", f"no such page docs/{page}")
    return Entry(row.path, row.line, first, last, page, dropped)


def load_map(data_dir: Path, total: int, docs_dir: Path) -> list[Entry]:
    """Every row of every coverage file, validated."""
    files = sorted(data_dir.glob("*.yaml"))
    if not files:
        raise DataError(f"{data_dir}:1: files: no coverage files (*.yaml)")
    return [parse_row(row, total, docs_dir) for path in files for row in load_rows(path)]


def uncovered(notes_lines: list[str], entries: list[Entry]) -> list[int]:
    """1-based numbers of the non-blank notes lines that no entry covers."""
    covered = set()
    for entry in entries:
        covered.update(range(entry.first, entry.last + 1))
    return [n for n, text in enumerate(notes_lines, 1) if text.strip() and n not in covered]


def group_ranges(numbers: list[int], notes_lines: list[str]) -> list[tuple[int, int]]:
    """Join uncovered lines into ranges; blank lines between two of them do not split one."""
    ranges: list[tuple[int, int]] = []
    for n in numbers:
        if ranges:
            first, last = ranges[-1]
            if all(not notes_lines[k - 1].strip() for k in range(last + 1, n)):
                ranges[-1] = (first, n)
                continue
        ranges.append((n, n))
    return ranges


def _first_words(text: str, count: int = 8) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


def report(notes_path: Path, ranges: list[tuple[int, int]], notes_lines: list[str]) -> str:
    """Human-readable list of the uncovered ranges and the start of each line in them."""
    out = []
    for first, last in ranges:
        span = f"{first}" if first == last else f"{first}-{last}"
        out.append(f"{notes_path}:{first}: lines {span} are not in data/coverage")
        for n in range(first, last + 1):
            if notes_lines[n - 1].strip():
                out.append(f"    L{n}: {_first_words(notes_lines[n - 1])}")
    return "\n".join(out)


def check(data_dir: Path, notes_path: Path, docs_dir: Path) -> tuple[list[tuple[int, int]], str]:
    """Validate the map and return (uncovered ranges, report text)."""
    notes_lines = notes_path.read_text(encoding="utf-8").splitlines()
    entries = load_map(data_dir, len(notes_lines), docs_dir)
    ranges = group_ranges(uncovered(notes_lines, entries), notes_lines)
    return ranges, report(notes_path, ranges, notes_lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="coverage YAML directory")
    parser.add_argument("--notes", type=Path, default=NOTES, help="the notes file")
    parser.add_argument("--docs", type=Path, default=DOCS_DIR, help="the docs directory")
    args = parser.parse_args(argv)
    try:
        ranges, text = check(args.data, args.notes, args.docs)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2
    if ranges:
        print(text)
        count = sum(last - first + 1 for first, last in ranges)
        print(f"{len(ranges)} uncovered range(s), spanning {count} line(s)", file=sys.stderr)
        return 1
    print("every non-blank line of the notes is covered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
