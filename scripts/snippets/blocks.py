"""The one fenced-block extractor shared by every snippet checker.

Every checker (manifests, kubectl, etcdctl, mermaid) must agree on what a block is and
on which Markdown line each of its lines came from, otherwise error positions drift
between checkers. So they all read blocks from here and nowhere else.

Supported: ``` and ~~~ fences of any length, fences indented inside admonitions,
content tabs, ``???`` question blocks and list items (the indentation is stripped and the
line numbers stay those of the Markdown file), info strings such as
```` ```yaml title="x" ```` or ```` ``` { .yaml .copy } ````. A plain ``.yaml``/``.yml``
file is one block of language ``yaml`` starting at line 1.

Hostile files: a file that cannot be read, holds NUL bytes, is not
UTF-8 or is larger than MAX_FILE_BYTES raises FileProblem (with the line of the first bad
byte) so the runner reports it and goes on with the other files. A fence that is never
closed swallows the rest of the page in Markdown: its block carries ``problem`` and is
reported at the fence's line instead of being checked.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "MAX_FILE_BYTES",
    "YAML_SUFFIXES",
    "Block",
    "FileProblem",
    "extract_blocks",
    "extract_from_text",
    "parse_info",
]

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 2_000_000  # the largest page is ~40 KB


class FileProblem(Exception):
    """A file the checkers cannot read as UTF-8 text: ``line`` is 1-based."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


# An opening fence: optional indentation (spaces, or tabs that Markdown expands), then
# three or more backticks or tildes, then the info string.
_OPEN = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass(frozen=True)
class Block:
    """One fenced block. ``line`` is the 1-based file line of the block's FIRST CONTENT
    line, so ``line + i`` is the file line of ``text.splitlines()[i]``."""

    path: Path
    lang: str
    attrs: dict[str, str] = field(hash=False, compare=False)
    line: int
    text: str
    # Set when the block cannot be checked as written (an unclosed fence).
    problem: str = field(default="", compare=False)

    def file_line(self, offset: int) -> int:
        """File line of the content line at 0-based ``offset`` (clamped into the block)."""
        count = max(1, len(self.text.splitlines()))
        return self.line + min(max(offset, 0), count - 1)


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence info string into (language, attributes).

    Handles ``yaml title="a b"``, ``{ .yaml title="x" }`` and ``{.yaml .copy}``. Classes
    other than the first are kept as attributes with an empty value (``{"copy": ""}``),
    because checkers never need them but should not lose them either.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        info = info[1:-1].strip()
        braces = True
    else:
        braces = False
    try:
        parts = shlex.split(info, posix=True)
    except ValueError:  # an unbalanced quote: fall back to plain whitespace splitting
        parts = info.split()
    lang = ""
    attrs: dict[str, str] = {}
    for i, part in enumerate(parts):
        if "=" in part:
            key, _, value = part.partition("=")
            attrs[key] = value
        elif part.startswith("."):
            if not lang:
                lang = part[1:]
            else:
                attrs[part[1:]] = ""
        elif part.startswith("#"):
            attrs["id"] = part[1:]
        elif i == 0 and not braces:
            lang = part
        else:
            attrs[part] = ""
    return lang.lower(), attrs


def _expand_tabs(line: str) -> str:
    """Expand only the leading tabs: Markdown treats them as indentation to column 4n,
    while tabs inside the content must reach the checkers untouched (a tab in YAML is an
    error they report)."""
    stripped = line.lstrip(" \t")
    lead = line[: len(line) - len(stripped)]
    return lead.expandtabs(4) + stripped


def _dedent(line: str, indent: int) -> str:
    """Remove up to ``indent`` leading spaces (a content line may be less indented).
    A fence at column 0 keeps its lines byte for byte: a tab there is content (and an
    error the YAML checker must see), not Markdown indentation."""
    if indent == 0:
        return line
    expanded = _expand_tabs(line)
    spaces = len(expanded) - len(expanded.lstrip(" "))
    return expanded[min(spaces, indent) :]


def extract_blocks(path: Path) -> list[Block]:
    """All fenced blocks of a Markdown file, or the whole file for a ``.yaml``/``.yml``."""
    path = Path(path)
    text = read_text(path)
    if path.suffix.lower() in YAML_SUFFIXES:
        return [Block(path=path, lang="yaml", attrs={}, line=1, text=text)]
    return extract_from_text(path, text)


def read_text(path: Path) -> str:
    """The file as UTF-8 text, or FileProblem saying why not (and where)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileProblem(path, 1, f"file too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(path, 1, f"cannot read the file: {exc.strerror or exc}") from None
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileProblem(path, line, "binary file (NUL byte): not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            path, line, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        ) from None


def extract_from_text(path: Path, text: str) -> list[Block]:
    """Extract blocks from Markdown ``text`` (split out so tests need no files)."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if "```" not in lines[i] and "~~~" not in lines[i]:  # fast path: most lines
            i += 1
            continue
        match = _OPEN.match(_expand_tabs(lines[i]))
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            i += 1
            continue
        indent = len(match["indent"])
        fence = match["fence"]
        lang, attrs = parse_info(match["info"])
        close = re.compile(r"^[ ]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not close.match(_expand_tabs(lines[j])):
            body.append(_dedent(lines[j], indent))
            j += 1
        content = "\n".join(body) + ("\n" if body else "")
        problem = ""
        if j >= len(lines):
            problem = (
                f"unclosed {fence} fence: it runs to the end of the file "
                f"(close it with {fence} on a line of its own)"
            )
        blocks.append(Block(path, lang, attrs, i + 2, content, problem))
        i = j + 1
    return blocks
