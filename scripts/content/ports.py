"""Ports reference: data/ports.yaml -> Markdown tables (grouped by node role), CSV, JSON.

Why generated: the ports table is the page readers copy into firewall rules. One data
file, validated row by row (with the file:line of every problem), is the only copy; the
page and the downloads are rendered from it, so they can never disagree.

The build hook (scripts/build/mkdocs_hooks.py) publishes the CSV and JSON as downloads.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from scripts.common import parsed

FIELDS = ("component", "role", "protocol", "port", "direction", "purpose", "used_by", "source")
ROLES = {"control-plane": "Control plane nodes", "worker": "Worker nodes", "add-on": "Add-ons"}
PROTOCOLS = ("TCP", "UDP", "SCTP")
DIRECTIONS = ("inbound", "outbound")


class PortsError(ValueError):
    """Invalid ports data. ``errors`` holds one "file:line: field: message" per problem;
    the exception's message is all of them, one per line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class PortRow:
    component: str
    role: str
    protocol: str
    port: int | str  # 6443, or "30000-32767"
    direction: str
    purpose: str
    used_by: str
    source: str
    line: int = 0  # 1-based line of the row in the data file

    def port_range(self) -> tuple[int, int]:
        if isinstance(self.port, int):
            return self.port, self.port
        low, high = self.port.split("-")
        return int(low), int(high)

    def record(self) -> dict[str, object]:
        """The row as published (no line number)."""
        data = asdict(self)
        data.pop("line")
        return data


def _port_problem(value: object) -> str | None:
    if isinstance(value, bool):
        return 'must be a port number or a "low-high" range'
    if isinstance(value, int):
        return None if 1 <= value <= 65535 else f"{value} is outside 1-65535"
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            low, high = (int(p) for p in parts)
            if not (1 <= low <= 65535 and 1 <= high <= 65535):
                return f"range {value} is outside 1-65535"
            if low > high:
                return f"range {value} is reversed (low-high)"
            if low == high:
                return f"range {value} is a single port: write {low}"
            return None
    return 'must be a port number or a "low-high" range'


def _row_problems(row: CommentedMap) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for key in row:
        if key not in FIELDS:
            problems.append((str(key), f"unknown field (allowed: {', '.join(FIELDS)})"))
    for key in FIELDS:
        value = row.get(key)
        if key not in row or value is None or (isinstance(value, str) and not value.strip()):
            problems.append(
                (
                    key,
                    "missing field"
                    if key != "source"
                    else "missing field: every row needs its official source URL",
                )
            )
            continue
        if key == "port":
            problem = _port_problem(value)
        elif not isinstance(value, str):
            problem = "must be a string"
        elif key == "role":
            problem = (
                None if value in ROLES else f'unknown role "{value}" (one of: {", ".join(ROLES)})'
            )
        elif key == "protocol":
            problem = (
                None
                if value in PROTOCOLS
                else f'unknown protocol "{value}" (one of: {", ".join(PROTOCOLS)})'
            )
        elif key == "direction":
            problem = (
                None
                if value in DIRECTIONS
                else f'unknown direction "{value}" (one of: {", ".join(DIRECTIONS)})'
            )
        elif key == "source":
            url = urlparse(value)
            problem = (
                None if url.scheme == "https" and url.netloc else f'"{value}" is not an https URL'
            )
        else:
            problem = None
        if problem:
            problems.append((key, problem))
    return problems


def _line(node: CommentedMap, key: str | None = None) -> int:
    if key is not None and key in node:
        return node.lc.key(key)[0] + 1
    return node.lc.line + 1


def load_ports(path: Path | str) -> list[PortRow]:
    """Read and validate the data file; raise PortsError listing every problem."""
    path = Path(path)
    yaml = YAML(typ="rt")
    try:
        data = parsed.parse("ports", path.read_text(encoding="utf-8"), yaml.load)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise PortsError([f"{path}:{line}: yaml: {exc.problem or exc}"]) from exc
    if not isinstance(data, CommentedSeq):
        raise PortsError([f"{path}:1: rows: the file must be a YAML list of rows"])
    errors: list[str] = []
    rows: list[PortRow] = []
    # kubelet listens on 10250 on every node: one row per node role is not a duplicate.
    seen: dict[tuple[str, str, str, str], int] = {}
    for i, row in enumerate(data):
        if not isinstance(row, CommentedMap):
            errors.append(f"{path}:{data.lc.item(i)[0] + 1}: row: each row must be a mapping")
            continue
        problems = _row_problems(row)
        for key, message in problems:
            errors.append(f"{path}:{_line(row, key)}: {key}: {message}")
        if problems:
            continue
        key = (row["component"], row["role"], row["protocol"], str(row["port"]))
        if key in seen:
            errors.append(
                f"{path}:{_line(row, 'port')}: port: duplicate of line {seen[key]} "
                f"({row['component']} {row['role']} {row['protocol']} {row['port']})"
            )
            continue
        seen[key] = _line(row)
        rows.append(
            PortRow(
                **{
                    k: (int(row[k]) if k == "port" and isinstance(row[k], int) else str(row[k]))
                    for k in FIELDS
                },
                line=_line(row),
            )
        )
    if errors:
        raise PortsError(errors)
    return rows


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# Titles of the sources a group note names (any other source is linked by its host).
SOURCE_TITLES = {
    "https://kubernetes.io/docs/reference/networking/ports-and-protocols/": (
        "Ports and Protocols (kubernetes.io)"
    ),
}


def _source_link(url: str) -> str:
    """A link named by the source's title or host. A host may break after its dots (<wbr>):
    unbroken, "kubernetes.github.io" alone made a phone's Purpose column too wide."""
    name = SOURCE_TITLES.get(url) or urlparse(url).netloc.replace(".", ".<wbr>")
    return f"[{name}]({url})"


def _merged(group: list[PortRow]) -> list[tuple[PortRow, list[str]]]:
    """Rows that differ only in protocol (DNS on 53, the NodePort range) become one row."""
    merged: dict[tuple, tuple[PortRow, list[str]]] = {}
    for r in group:
        key = (r.port, r.component, r.direction, r.purpose, r.used_by, r.source)
        if key in merged:
            merged[key][1].append(r.protocol)
        else:
            merged[key] = (r, [r.protocol])
    return list(merged.values())


def render_markdown(rows: list[PortRow]) -> str:
    """One table per node role (control plane, worker, add-on), built to read on a phone.

    Why this shape: readers look a port up, so the table leads with port and protocol (written
    as firewalls take them, "6443/TCP"), component and purpose. Columns that were nearly
    constant are folded: the direction (every row but the ones marked is inbound), "used by"
    (after the purpose) and the source (the source of most of the group's rows in a note under
    the heading; any other row links its own after its purpose); rows that differ only in
    protocol are one row. Three columns fit a 390 px phone without sideways scrolling (Material
    gives every column at least 5rem: four were 402-463 px wide, measured).
    """
    out: list[str] = []
    for role, title in ROLES.items():
        # Add-ons by component (a cluster runs some of them: their ports read together).
        group = sorted(
            (r for r in rows if r.role == role),
            key=lambda r: (
                ((r.component.lower(),) if role == "add-on" else ())
                + (r.port_range(), r.protocol, r.component)
            ),
        )
        if not group:
            continue
        sources = [r.source for r in group]
        common = max(sources, key=sources.count)
        if sources.count(common) * 2 <= len(sources):  # not most rows: every row links its own
            common = ""
        note = "Every port is inbound (the component listens on it) unless marked *outbound*."
        if common:
            note += f" Source of every row without its own link: {_source_link(common)}."
        out += [
            f"### {title}",
            "",
            note,
            "",
            "| Port/protocol | Component | Purpose |",
            "| --- | --- | --- |",
        ]
        for r, protocols in _merged(group):
            purpose = _cell(r.purpose)
            if r.direction != "inbound":
                purpose = f"*{r.direction}*: {purpose}"
            purpose += f". Used by: {_cell(r.used_by)}."
            if r.source != common:
                purpose += f" Source: {_source_link(r.source)}."
            port = "<br>".join(f"{r.port}/{p}" for p in protocols)
            out.append(f"| {port} | {_cell(r.component)} | {purpose} |")
        out.append("")
    return "\n".join(out)


def to_csv(rows: list[PortRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.record())
    return buffer.getvalue()


def to_json(rows: list[PortRow]) -> str:
    return json.dumps([r.record() for r in rows], indent=2, ensure_ascii=False) + "\n"
