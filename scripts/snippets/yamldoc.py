"""YAML parsing that keeps line numbers, for every checker that reads YAML.

ruamel.yaml (YAML 1.2) because it keeps each key's line and refuses duplicate keys;
PyYAML silently keeps the last duplicate. The round-trip tree is kept for line lookups
and a plain copy (dict/list/str/int/float/bool/None) is what schemas see: ruamel's
``ScalarBoolean`` subclasses int, which would fool a type check.

Hostile input gets one error at file:line and nothing else: nesting
is capped (MAX_DEPTH, checked on the text before the scanner sees deep flow brackets, whose
cost in ruamel grows with the square of the depth, and again by the composer), and aliases
may expand a document to at most MAX_NODES nodes (a 478-byte "billion laughs" would
otherwise expand to 10^9 nodes when converted or validated). Every parser exception,
including reader errors on control characters, becomes a YamlError.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import RoundTripScanner

PathPart = str | int

# Plain scalars that YAML 1.1 (kubectl's sigs.k8s.io/yaml) reads as booleans while
# YAML 1.2 reads them as strings: `enabled: yes` becomes true in the cluster.
YAML11_BOOLEANS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)
YAML11_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"])


@dataclass
class Document:
    """One YAML document: ``tree`` for line numbers, ``data`` for validation;
    ``start`` is the 0-based line of its first content line within the block."""

    tree: Any
    data: Any
    start: int


@dataclass
class YamlError:
    """A syntax error: 0-based ``offset`` in the block and the parser's message."""

    offset: int
    message: str


MAX_DEPTH = 100  # nesting levels; the deepest manifest on the site has about 15
MAX_NODES = 50_000  # nodes per document once aliases are expanded; the largest has ~400
_FLOW_TOKENS = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*|[\[\]{}\n]")


class _KubectlScanner(RoundTripScanner):
    """kubectl's YAML parser (go-yaml, like libyaml) also accepts the escape `\\'` in a
    double-quoted string; YAML 1.2 does not list it, ruamel rejects it."""

    ESCAPE_REPLACEMENTS: ClassVar[dict[str, str]] = {
        **RoundTripScanner.ESCAPE_REPLACEMENTS,
        "'": "'",
    }


class _BoundedComposer(Composer):
    """Counts the nodes a document has once every alias is expanded, without expanding
    anything, and stops at MAX_NODES with the alias's position."""

    def compose_document(self) -> Any:
        self.expanded = 0
        self.sizes: dict[str, int] = {}
        return super().compose_document()

    def _grow(self, n: int, event: Any) -> None:
        self.expanded += n
        if self.expanded > MAX_NODES:
            raise ComposerError(
                None,
                None,
                f"aliases expand this document to more than {MAX_NODES:,} nodes "
                "(an alias bomb?): expand it by hand or use fewer aliases",
                event.start_mark,
            )

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self._grow(self.sizes.get(event.anchor, 1), event)
            return super().compose_node(parent, index)
        start = self.expanded
        self._grow(1, event)
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            self.sizes[event.anchor] = self.expanded - start
        return node


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Scanner = _KubectlScanner
    yaml.Composer = _BoundedComposer
    yaml.max_depth = MAX_DEPTH
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def _flow_depth_error(text: str) -> YamlError | None:
    """Flow brackets nested deeper than MAX_DEPTH, found on the text (quoted strings and
    comments skipped): ruamel's scanner would take seconds on 10,000 of them."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = line = 0
    for match in _FLOW_TOKENS.finditer(text):
        token = match[0]
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return YamlError(line, f"YAML nested deeper than {MAX_DEPTH} levels")
        elif token in "]}":
            depth = max(depth - 1, 0)
    return None


def plain(node: Any) -> Any:
    """A JSON-like copy of a ruamel tree: what kubectl sends to the API server, so an
    unquoted `yes` becomes true exactly as kubectl's YAML 1.1 parser reads it."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    if type(node) is str and node in YAML11_BOOLEANS:  # unquoted: kubectl reads a boolean
        return node in YAML11_TRUE
    return str(node)


def parse(text: str) -> tuple[list[Document], YamlError | None]:
    """All documents of ``text``; parsing stops at the first syntax error, and the
    documents before it are still returned (so their own errors are reported too)."""
    docs: list[Document] = []
    too_deep = _flow_depth_error(text)
    if too_deep:
        return docs, too_deep
    try:
        for tree in _yaml().load_all(text):
            if tree is None:
                continue
            docs.append(Document(tree=tree, data=plain(tree), start=node_line(tree)))
    except MarkedYAMLError as exc:
        return docs, _marked_error(exc)
    except ReaderError as exc:  # a control character, a NUL byte...
        line = text[: exc.position].count("\n") if isinstance(exc.position, int) else 0
        return docs, YamlError(
            line, f"YAML syntax error: {exc.reason} (character {exc.character!r})"
        )
    except (YAMLError, RecursionError) as exc:  # never a traceback, whatever the input
        return docs, YamlError(0, f"YAML syntax error: {str(exc).splitlines()[0][:200]}")
    return docs, None


def _marked_error(exc: MarkedYAMLError) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    offset = mark.line if mark is not None else 0
    problem = exc.problem or str(exc).splitlines()[0]
    if "maximum depth of data structure exceeded" in problem:
        return YamlError(offset, f"YAML nested deeper than {MAX_DEPTH} levels")
    if "found character '\\t'" in problem:
        problem = "tab character: YAML indentation must use spaces"
    elif "found duplicate key" in problem or exc.__class__.__name__ == "DuplicateKeyError":
        problem = problem.split(" with value")[0].replace("found duplicate key", "duplicate key")
    plain_problem = (
        "duplicate" in problem or problem.startswith("tab character") or "alias bomb" in problem
    )
    context = f"{exc.context}: " if exc.context and not plain_problem else ""
    return YamlError(offset, f"YAML syntax error: {context}{problem}")


def node_line(node: Any) -> int:
    """0-based line where a mapping or sequence starts (0 for scalars)."""
    lc = getattr(node, "lc", None)
    return lc.line if lc is not None and lc.line is not None else 0


def line_of(tree: Any, path: Sequence[PathPart]) -> int:
    """0-based line of the field at ``path`` (its key's line for a mapping entry); stops
    at the deepest part of the path that exists."""
    node, line = tree, node_line(tree)
    for part in path:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0]
        else:
            break
        node = node[part]
    return line


def value_line(tree: Any, path: Sequence[PathPart]) -> int:
    """0-based line of the VALUE at ``path`` (for map values on their own line)."""
    *parent_path, last = path
    parent = tree
    for part in parent_path:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return line_of(tree, path)
    if isinstance(parent, CommentedMap) and last in parent:
        return parent.lc.value(last)[0]
    return line_of(tree, path)


def format_path(path: Sequence[PathPart]) -> str:
    """``spec.template.spec.containers[0].image``, the API server's notation."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def yaml11_booleans(
    tree: Any, path: tuple[PathPart, ...] = ()
) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    """Plain (unquoted) scalars that kubectl would read as booleans."""
    if isinstance(tree, CommentedMap):
        for key, value in tree.items():
            yield from yaml11_booleans(value, (*path, key))
    elif isinstance(tree, CommentedSeq):
        for i, value in enumerate(tree):
            yield from yaml11_booleans(value, (*path, i))
    elif type(tree) is str and tree in YAML11_BOOLEANS:
        yield path, tree
