"""Mermaid blocks, parsed by the mermaid version the site ships (npm mermaid 11.17.2).

Why the real parser: mermaid's grammar changes between versions and a diagram that does
not parse shows "Syntax error in text" to readers. One Node process parses every
uncached diagram of a build (mermaid takes ~1 s to load); results are cached by
(mermaid version, text) by the runner, so a warm build never starts Node.
A syntax error is reported at the diagram's line plus the fence offset.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from scripts import project

from .blocks import Block
from .report import BlockResult

SCRIPT = Path(__file__).with_name("mermaid_parse.mjs")
REPO = project.ROOT
TIMEOUT = 120.0
LINE = re.compile(r"\bline (\d+)")


def _diagram_start(text: str) -> int:
    """0-based line of the diagram keyword (flowchart, sequenceDiagram...). Mermaid strips
    front matter, %% directives/comments and blank lines before parsing, and numbers its
    error lines from that keyword (measured with 11.17.2)."""
    lines = text.splitlines()
    i = 0
    if lines and lines[0].strip() == "---":
        for j, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                i = j + 1
                break
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("%%")):
        i += 1
    return i


def error_offset(text: str, message: str) -> int:
    """0-based line in the block for a mermaid error message."""
    count = max(1, len(text.splitlines()))
    m = LINE.search(message)
    line = int(m[1]) if m else 1
    # Jison reports an unexpected end of input one line past the last line: clamp.
    return min(max(line - 1 + _diagram_start(text), 0), count - 1)


def _summary(message: str) -> str:
    """The first line of mermaid's message plus what it expected, on one line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if not lines:
        return "syntax error"
    expecting = next((line for line in lines[1:] if line.startswith("Expecting")), "")
    first = re.sub(r" on line \d+", "", lines[0])  # mermaid's own numbering; ours is the file line
    return f"{first} {expecting}".strip()


def parse_all(texts: dict[str, str]) -> dict[str, str | None]:
    """{id: None when it parses, else mermaid's message}."""
    node = shutil.which("node")
    if node is None:
        return dict.fromkeys(texts, "node not found: install Node.js 20 to check mermaid diagrams")
    if not (REPO / "node_modules" / "mermaid").is_dir():
        return dict.fromkeys(texts, "npm package mermaid is not installed (run `npm ci`)")
    payload = json.dumps([{"id": k, "text": v} for k, v in texts.items()])
    proc = subprocess.run(
        [node, str(SCRIPT)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=REPO,
        check=False,
    )
    if proc.returncode != 0:
        problem = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return dict.fromkeys(texts, f"mermaid parser failed to run: {problem}")
    return {r["id"]: None if r["ok"] else r["message"] for r in json.loads(proc.stdout)}


def check_blocks(blocks: list[Block]) -> dict[Block, BlockResult]:
    texts = {str(i): b.text for i, b in enumerate(blocks)}
    parsed = parse_all(texts) if texts else {}
    results: dict[Block, BlockResult] = {}
    for i, block in enumerate(blocks):
        result = BlockResult()
        result.count("diagrams")
        message = parsed.get(str(i))
        if message:
            result.add(error_offset(block.text, message), "mermaid", "", _summary(message))
        results[block] = result
    return results
