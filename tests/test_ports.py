"""The ports data file: validation with file:line, rendering, atomic generation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scripts import project
from scripts.content import ports

FIXTURE = Path(__file__).parent / "fixtures" / "ports" / "good.yaml"
REPO = project.ROOT

ROW = """- component: kube-apiserver
  role: control-plane
  protocol: TCP
  port: 6443
  direction: inbound
  purpose: Kubernetes API server
  used_by: All
  source: https://kubernetes.io/docs/reference/networking/ports-and-protocols/
"""


def with_change(old: str, new: str) -> str:
    assert old in ROW
    return ROW.replace(old, new)


# (id, file text, line, field, message)
BAD = [
    (
        "port-out-of-range",
        with_change("port: 6443", "port: 70000"),
        4,
        "port",
        "70000 is outside 1-65535",
    ),
    ("port-zero", with_change("port: 6443", "port: 0"), 4, "port", "0 is outside 1-65535"),
    ("reversed-range", with_change("port: 6443", 'port: "32767-30000"'), 4, "port", "is reversed"),
    (
        "range-out-of-bounds",
        with_change("port: 6443", "port: 30000-70000"),
        4,
        "port",
        "outside 1-65535",
    ),
    ("port-garbage", with_change("port: 6443", "port: https"), 4, "port", '"low-high" range'),
    (
        "unknown-protocol",
        with_change("protocol: TCP", "protocol: HTTP"),
        3,
        "protocol",
        'unknown protocol "HTTP"',
    ),
    (
        "unknown-role",
        with_change("role: control-plane", "role: master"),
        2,
        "role",
        'unknown role "master"',
    ),
    (
        "unknown-direction",
        with_change("direction: inbound", "direction: in"),
        5,
        "direction",
        "unknown direction",
    ),
    ("missing-field", with_change("  used_by: All\n", ""), 1, "used_by", "missing field"),
    (
        "no-source",
        with_change(
            "  source: https://kubernetes.io/docs/reference/networking/ports-and-protocols/\n", ""
        ),
        1,
        "source",
        "every row needs its official source URL",
    ),
    (
        "source-not-https",
        with_change("source: https://", "source: http://"),
        8,
        "source",
        "is not an https URL",
    ),
    (
        "unknown-field",
        with_change("  used_by: All\n", "  used_by: All\n  notes: x\n"),
        8,
        "notes",
        "unknown field",
    ),
    ("duplicate", ROW + ROW, 12, "port", "duplicate of line 1"),
    ("not-a-list", "component: x\n", 1, "rows", "must be a YAML list"),
    ("yaml-syntax", ROW + "- component: [\n", 10, "yaml", ""),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_row_is_reported_with_file_and_line(
    tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(text)
    with pytest.raises(ports.PortsError) as info:
        ports.load_ports(path)
    expected = f"{path}:{line}: {field}: "
    assert any(e.startswith(expected) and message in e for e in info.value.errors), (
        info.value.errors
    )


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(with_change("protocol: TCP", "protocol: ICMP").replace("port: 6443", "port: 0"))
    with pytest.raises(ports.PortsError) as info:
        ports.load_ports(path)
    assert len(info.value.errors) == 2
    assert str(info.value) == "\n".join(info.value.errors)


def test_good_rows_load() -> None:
    rows = ports.load_ports(FIXTURE)
    assert [r.port for r in rows] == [6443, "2379-2380", 10250, "30000-32767", 179]
    assert rows[1].port_range() == (2379, 2380)
    assert rows[0].line == 2


def test_markdown_is_grouped_by_role_in_order() -> None:
    text = ports.render_markdown(ports.load_ports(FIXTURE))
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == ["### Control plane nodes", "### Worker nodes", "### Add-ons"]
    assert "| 6443/TCP | kube-apiserver | Kubernetes API server. Used by: All. |" in text
    assert "NodePort Services \\| default range" in text  # pipes escaped inside cells
    # The source most rows share is a note under the heading; another one is linked in its row.
    assert "[Ports and Protocols (kubernetes.io)](https://kubernetes.io/docs/reference/" in text
    assert "[docs.<wbr>tigera.<wbr>io](https://docs.tigera.io/" in text


def test_rows_that_differ_only_in_protocol_are_one_row(tmp_path: Path) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(ROW + ROW.replace("protocol: TCP", "protocol: UDP"))
    text = ports.render_markdown(ports.load_ports(path))
    assert "| 6443/TCP<br>6443/UDP | kube-apiserver |" in text
    assert text.count("6443/") == 2


def test_an_outbound_row_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(ROW.replace("direction: inbound", "direction: outbound"))
    assert "| *outbound*: Kubernetes API server." in ports.render_markdown(ports.load_ports(path))


def test_csv_and_json_round_trip() -> None:
    rows = ports.load_ports(FIXTURE)
    records = list(csv.DictReader(io.StringIO(ports.to_csv(rows))))
    assert records[0]["component"] == "kube-apiserver" and records[0]["port"] == "6443"
    assert list(records[0]) == list(ports.FIELDS)
    data = json.loads(ports.to_json(rows))
    assert data[0]["port"] == 6443 and data[1]["port"] == "2379-2380"
    assert "line" not in data[0]
