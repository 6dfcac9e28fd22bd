"""The coverage map of the notes: the real map is complete, and bad rows and gaps are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.common.datafile import DataError
from scripts.content import notes_coverage as coverage


def test_every_nonblank_line_of_the_notes_is_covered() -> None:
    ranges, text = coverage.check(coverage.DATA_DIR, coverage.NOTES, coverage.DOCS_DIR)
    assert not ranges, "notes lines with no page and no drop reason:\n" + text


@pytest.fixture
def mini(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A 5-line notes file, a docs dir with one page and an empty coverage dir."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Pods\nshare a network namespace\n\n-----\nchat: Perfect, let's go\n")
    docs = tmp_path / "docs"
    (docs / "workloads").mkdir(parents=True)
    (docs / "workloads" / "pods.md").write_text("# Pods\n")
    data = tmp_path / "coverage"
    data.mkdir()
    return notes, docs, data


GOOD = "- lines: 1-2\n  page: workloads/pods.md\n- lines: 4\n  dropped: separator\n"

# (id, rows appended after GOOD, file line of the error, field, words of the message)
BAD = [
    ("reversed-range", "- lines: 5-3\n  dropped: x\n", 5, "lines", "reversed"),
    ("past-the-end", "- lines: 5-6\n  dropped: x\n", 5, "lines", "outside the notes (1-5)"),
    ("line-zero", "- lines: 0\n  dropped: x\n", 5, "lines", "outside the notes"),
    ("not-a-range", "- lines: five\n  dropped: x\n", 5, "lines", "is not A-B"),
    (
        "missing-page",
        "- lines: 5\n  page: workloads/nope.md\n",
        6,
        "page",
        "no such page docs/workloads/nope.md",
    ),
    (
        "both",
        "- lines: 5\n  page: workloads/pods.md\n  dropped: chat residue\n",
        7,
        "dropped",
        "either page or dropped, not both",
    ),
    ("neither", "- lines: 5\n", 5, "lines", "needs page"),
    ("empty-reason", "- lines: 5\n  dropped: ''\n", 6, "dropped", "non-empty"),
    ("unknown-field", "- lines: 5\n  dropped: x\n  reason: y\n", 7, "reason", "unknown field"),
    ("no-lines", "- page: workloads/pods.md\n", 5, "lines", "missing"),
]


@pytest.mark.parametrize(
    ("rows", "line", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_row_names_file_line_and_field(
    mini: tuple[Path, Path, Path], rows: str, line: int, field: str, message: str
) -> None:
    notes, docs, data = mini
    path = data / "workloads.yaml"
    path.write_text(GOOD + rows)
    with pytest.raises(DataError) as info:
        coverage.check(data, notes, docs)
    assert str(info.value).startswith(f"{path}:{line}: {field}: "), info.value
    assert message in str(info.value)


def test_uncovered_line_is_reported_with_its_words(mini: tuple[Path, Path, Path]) -> None:
    notes, docs, data = mini
    (data / "workloads.yaml").write_text(GOOD)
    ranges, text = coverage.check(data, notes, docs)
    assert ranges == [(5, 5)]
    assert f"{notes}:5:" in text and "chat: Perfect, let's go" in text


def test_blank_lines_do_not_split_an_uncovered_range(mini: tuple[Path, Path, Path]) -> None:
    notes, docs, data = mini
    (data / "a.yaml").write_text("- lines: 1\n  page: workloads/pods.md\n")
    ranges, _ = coverage.check(data, notes, docs)
    assert ranges == [(2, 5)]  # line 3 is blank, so 2, 4 and 5 form one range


def test_cli_reports_a_line_planted_in_a_copy_of_the_real_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    lines = coverage.NOTES.read_text(encoding="utf-8").splitlines()
    lines.append("Planted topic that no page uses")
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = tmp_path / "coverage"
    shutil.copytree(coverage.DATA_DIR, data)
    argv = ["--data", str(data), "--notes", str(notes), "--docs", str(coverage.DOCS_DIR)]
    assert coverage.main(argv) == 1
    out = capsys.readouterr().out
    assert f"{notes}:{len(lines)}: lines {len(lines)} are not in data/coverage" in out
    assert f"L{len(lines)}: Planted topic that no page uses" in out


def test_cli_exits_2_on_a_bad_map(
    mini: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    notes, docs, data = mini
    (data / "x.yaml").write_text("- lines: 3-1\n  dropped: x\n")
    assert coverage.main(["--data", str(data), "--notes", str(notes), "--docs", str(docs)]) == 2
    assert f"{data / 'x.yaml'}:1: lines: range 3-1 is reversed" in capsys.readouterr().err
