"""Loading the site's YAML data files (glossary, coverage map) with line numbers.

Data files are edited by hand, so every error must point at file:line: field, like the
snippet checks do. ruamel.yaml keeps the line of each key and refuses duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from scripts.common import parsed


class DataError(ValueError):
    """A data file is invalid; the message reads `path:line: field: message`."""


@dataclass(frozen=True)
class Row:
    """One mapping of a YAML list, with the line of the row and of each of its keys."""

    path: Path
    line: int
    data: dict[str, Any]
    key_lines: dict[str, int]

    def error(self, field: str, message: str) -> DataError:
        line = self.key_lines.get(field, self.line)
        return DataError(f"{self.path}:{line}: {field}: {message}")


def load_document(path: Path, text: str | None = None, shown: str | None = None) -> Any:
    """Read a YAML file (or `text` said to come from it) keeping every node's line; a syntax
    error is a DataError at `shown` (default: the path as given):line."""
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
        return parsed.parse("yaml-rt", text, YAML(typ="rt").load)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        where = path if shown is None else shown
        raise DataError(f"{where}:{line}: yaml: {getattr(exc, 'problem', exc)}") from exc


def load_rows(path: Path) -> list[Row]:
    """Read a YAML file that holds a list of mappings."""
    doc = load_document(path)
    if doc is None:
        return []
    if not isinstance(doc, list):
        raise DataError(f"{path}:1: document: expected a list of mappings")
    rows = []
    for index, item in enumerate(doc):
        line = doc.lc.item(index)[0] + 1
        if not isinstance(item, dict):
            raise DataError(f"{path}:{line}: row {index + 1}: expected a mapping")
        key_lines = {str(k): item.lc.key(k)[0] + 1 for k in item}
        rows.append(Row(path, line, {str(k): v for k, v in item.items()}, key_lines))
    return rows


def require(row: Row, fields: tuple[str, ...]) -> None:
    """Fail on the first missing or empty field of a row."""
    for field in fields:
        value = row.data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise row.error(field, "missing or empty")
