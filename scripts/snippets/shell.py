"""Command lines out of bash/sh/shell/console fences, for the kubectl and etcd checkers.

Rules (CONTRIBUTING.md): in bash fences every line is a command (``\\`` continuations
joined, ``#`` comments skipped, heredoc bodies kept apart as the stdin of their line); in
console fences only ``$ `` lines are commands, the rest is output. A line may hold several
commands (``|``, ``&&``, ``||``, ``;``) and simple ``$(...)`` substitutions: each segment
whose program is kubectl, etcdctl or etcdutl becomes a Command. ``<placeholder>`` values
are replaced by a dummy that kubectl accepts for that kind of argument (see
PLACEHOLDER_VALUES). A heredoc that kubectl reads with ``-f -`` is a manifest: it is
validated like a YAML block and fed to kubectl on stdin (commands.py).

Placeholders follow one convention that no shell can read as syntax:
``<lower-case-with-hyphens>``, replaced whole before the line is split. Anything else that
looks like a placeholder (``<node name>``, which a shell reads as a redirection,
``<POD_NAME>``, ``<podName>``, ``xxx``, ``...``) is an error on its line, and that line
is not checked: a different command than the one shown would be.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from scripts import project

from .blocks import Block

PROGRAMS = ("kubectl", "etcdctl", "etcdutl")
OPERATORS = frozenset({"|", "||", "&&", ";", "&", "|&"})
REDIRECTS = frozenset({">", ">>", "<", "<<", "<<<", ">&", "&>", "<&", ">|", "&>>"})
WRAPPERS = frozenset({"sudo", "time", "watch", "command", "exec", "nohup", "env"})
PLACEHOLDER = re.compile(r"<([a-z][a-z0-9]*(?:-[a-z0-9]+)*)>")
# Something an author meant as a placeholder: <...> starting with a letter and ending on a
# non-blank (so `<file.yaml >out` redirections and `<<EOF` heredocs are not caught).
LOOKS_LIKE_PLACEHOLDER = re.compile(
    r"(?<![<\w])<(?!<)([A-Za-z][^<>\n]*[^<>\s])>|(?<![<\w])<([A-Za-z])>"
)
FILLER = re.compile(r"(?<![\w.])(?:xxx+|XXX+|\.\.\.)(?![\w.])")
HEREDOC = re.compile(r"(?<!<)<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
# What the shell expands in an unquoted heredoc body: $(...), `...`, ${...}, $NAME.
EXPANSION = re.compile(r"\$\([^()]*\)|`[^`]*`|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
# What an expansion stands for at check time: its value is only known on the reader's machine.
# "abcd" is a plain string, a DNS-1123 label and valid base64 (Secret data, a CSR request).
EXPANDED = "abcd"
SUBSTITUTION = re.compile(r"\$\(([^()]*)\)|`([^`]*)`")

# Dummy values per placeholder word, first match wins: each must be accepted by kubectl
# where such a placeholder appears (an effect in a taint, a number for --replicas...).
PLACEHOLDER_VALUES: tuple[tuple[str, str], ...] = (
    ("effect", "NoSchedule"),
    ("endpoint", "https://127.0.0.1:2379"),
    ("url", "https://example.com"),
    ("port", "8080"),
    ("replica", "3"),
    ("revision", "2"),
    ("count", "3"),
    ("number", "3"),
    ("image", "nginx:1.27"),
    ("namespace", "default"),
    ("resource", "pods"),
    ("type", "pods"),
    ("kind", "pods"),
    ("selector", "app=example"),
    ("label", "app=example"),
    ("duration", "30s"),
    ("timeout", "30s"),
    ("seconds", "30"),
    ("cidr", "10.0.0.0/24"),
    ("ip", "10.0.0.1"),
    ("address", "10.0.0.1"),
    ("cpu", "500m"),
    ("memory", "256Mi"),
    ("percent", "50%"),
    ("output", "yaml"),
    ("format", "yaml"),
    ("schedule", "@hourly"),
    ("file", "example.yaml"),
    ("manifest", "example.yaml"),
    ("yaml", "example.yaml"),
    ("path", "/tmp/example"),
    ("dir", "/tmp/example"),
    ("version", f"v{project.versions().latest}.0"),
)
DEFAULT_VALUE = "example"


@dataclass(frozen=True)
class Heredoc:
    """A here-document (``cmd <<EOF`` ... ``EOF``): ``offset`` is the 0-based block line of
    its first body line; ``text`` is the body the command reads, with an unquoted
    delimiter's expansions replaced by EXPANDED."""

    offset: int
    delimiter: str
    text: str


@dataclass(frozen=True)
class Command:
    """One simple command: ``offset`` is the 0-based block line where it starts."""

    offset: int
    program: str
    argv: tuple[str, ...]  # program first, placeholders substituted
    source: str  # the command as written (for messages)
    stdin: str | None = None  # the heredoc it reads with `-f -`, when there is one


def placeholder_value(word: str) -> str:
    lower = word.lower()
    for key, value in PLACEHOLDER_VALUES:
        if key in lower:
            return value
    return DEFAULT_VALUE


def placeholder_problem(text: str) -> str | None:
    """Why a command line's placeholders break the convention, or None."""
    for match in LOOKS_LIKE_PLACEHOLDER.finditer(text):
        if not PLACEHOLDER.fullmatch(match[0]):
            hint = "-".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", match[0])).lower()
            space = " (a shell reads `<` and `>` around a space as redirections)"
            return (
                f"placeholder {match[0]} does not follow the convention "
                f"<lower-case-with-hyphens>: write <{hint}>" + (space if " " in match[0] else "")
            )
    filler = FILLER.search(text)
    if filler:
        return f"`{filler[0]}` in a command: use a <lower-case-with-hyphens> placeholder"
    return None


def substitute_placeholders(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: placeholder_value(m[1]), text)


def _heredoc(lines: list[str], i: int, match: re.Match[str]) -> tuple[Heredoc | None, int]:
    """The heredoc whose body starts at ``lines[i]``, and the index after its closing
    line; None when no line closes it (the shell would read to the end of the block)."""
    tabs, quoted, end = match[1] == "-", bool(match[2]), match[3]
    body: list[str] = []
    for j in range(i, len(lines)):
        line = lines[j].lstrip("\t") if tabs else lines[j]
        if line.rstrip() == end:
            text = "".join(f"{b}\n" for b in body)
            if not quoted:
                text = EXPANSION.sub(EXPANDED, text)
            return Heredoc(i, end, text), j + 1
        body.append(line)
    return None, len(lines)


Line = tuple[int, str, Heredoc | None]


def scan(block: Block) -> tuple[list[Line], list[tuple[int, str]]]:
    """(offset, command text, its heredoc) with continuations joined and comments and
    output dropped, and (offset, problem) for a heredoc that is never closed."""
    console = block.lang in ("console", "shell-session")
    lines = block.text.splitlines()
    out: list[Line] = []
    problems: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        start, raw = i, lines[i]
        i += 1
        if console:
            stripped = raw.lstrip()
            if not stripped.startswith("$ "):
                continue
            raw = stripped[2:]
        text = raw.rstrip()
        while text.endswith("\\") and i < len(lines):
            nxt = lines[i]
            i += 1
            if console and nxt.lstrip().startswith("> "):
                nxt = nxt.lstrip()[2:]
            text = text[:-1] + " " + nxt.strip()
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = HEREDOC.search(text)
        doc = None
        if match and not console:
            doc, i = _heredoc(lines, i, match)
            if doc is None:
                problems.append(
                    (start, f"heredoc <<{match[3]} is not closed: no line {match[3]} after it")
                )
                continue
        out.append((start, text, doc))
    return out, problems


def reads_stdin(argv: tuple[str, ...]) -> bool:
    """kubectl reads its manifest from stdin: `-f -`, `-f-`, `--filename=-`..."""
    for i, token in enumerate(argv):
        if token in ("-f", "--filename") and i + 1 < len(argv) and argv[i + 1] == "-":
            return True
        if token in ("-f-", "-f=-", "--filename=-"):
            return True
    return False


def _segments(text: str) -> list[str]:
    """The simple commands of one logical line, including simple $(...) bodies."""
    inner = [m[1] if m[1] is not None else m[2] for m in SUBSTITUTION.finditer(text)]
    outer = SUBSTITUTION.sub("example", text)
    return [outer, *inner]


def _split(text: str) -> list[list[str]]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    current: list[str] = []
    commands = [current]
    tokens = list(lexer)
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        if token in OPERATORS:
            current = []
            commands.append(current)
        elif token in REDIRECTS or (token and set(token) <= set("<>&|") and token not in OPERATORS):
            skip = True  # drop the redirection target too
            if (
                current
                and current[-1] in ("1", "2")
                and re.search(rf"{current[-1]}{re.escape(token)}", text)
            ):
                current.pop()
        elif token in ("(", ")"):
            continue
        else:
            current.append(token)
        _ = i
    return [c for c in commands if c]


def _program(argv: list[str]) -> list[str]:
    """Drop leading VAR=value assignments and wrappers such as sudo."""
    while argv:
        head = argv[0]
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", head):
            argv = argv[1:]
        elif head in WRAPPERS:
            argv = argv[1:]
            while argv and argv[0].startswith("-"):  # sudo -E, watch -n 2 ...
                flag = argv[0]
                argv = argv[1:]
                if flag in ("-n", "-u", "-g", "--interval") and argv:
                    argv = argv[1:]
        else:
            break
    return argv


def extract_commands(block: Block) -> tuple[list[Command], list[tuple[int, str]]]:
    """Commands for the checked programs, and (offset, problem) for lines that cannot be
    tokenised (an unbalanced quote would hide a command)."""
    commands: list[Command] = []
    lines, problems = scan(block)
    for offset, text, doc in lines:
        problem = placeholder_problem(text)
        if problem:
            problems.append((offset, problem))
            continue
        if not re.search(r"\b(" + "|".join(PROGRAMS) + r")\b", text):
            continue
        for segment in _segments(substitute_placeholders(text)):
            try:
                simple = _split(segment)
            except ValueError as exc:
                problems.append((offset, f"cannot parse the command line: {exc}"))
                continue
            for argv in simple:
                argv = _program(argv)
                if argv and argv[0].rsplit("/", 1)[-1] in PROGRAMS:
                    program = argv[0].rsplit("/", 1)[-1]
                    full = (program, *argv[1:])
                    stdin = doc.text if doc and program == "kubectl" and reads_stdin(full) else None
                    commands.append(Command(offset, program, full, text.strip(), stdin))
    return commands, problems


def manifest_heredocs(block: Block) -> list[Heredoc]:
    """The heredocs a kubectl command on their line reads as its manifest (`-f -`)."""
    commands, _ = extract_commands(block)
    offsets = {c.offset for c in commands if c.stdin is not None}
    return [doc for offset, _, doc in scan(block)[0] if doc and offset in offsets]
