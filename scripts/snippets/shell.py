"""Command lines out of bash/sh/shell/console fences, for the kubectl and etcd checkers.

Rules (CONTRIBUTING.md): in bash fences every line is a command (``\\`` continuations
joined, ``#`` comments and heredoc bodies skipped); in console fences only ``$ `` lines
are commands, the rest is output. A line may hold several commands (``|``, ``&&``,
``||``, ``;``) and simple ``$(...)`` substitutions: each segment whose program is
kubectl, etcdctl or etcdutl becomes a Command. ``<placeholder>`` values are replaced by
a dummy that kubectl accepts for that kind of argument (see PLACEHOLDER_VALUES).

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
HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
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
class Command:
    """One simple command: ``offset`` is the 0-based block line where it starts."""

    offset: int
    program: str
    argv: tuple[str, ...]  # program first, placeholders substituted
    source: str  # the command as written (for messages)


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


def logical_lines(block: Block) -> list[tuple[int, str]]:
    """(offset, command text) with continuations joined, comments, output and heredoc
    bodies dropped."""
    console = block.lang in ("console", "shell-session")
    lines = block.text.splitlines()
    out: list[tuple[int, str]] = []
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
        heredoc = HEREDOC.search(text)
        if heredoc:
            end = heredoc[2]
            while i < len(lines) and lines[i].strip() != end:
                i += 1
            i += 1
        out.append((start, text))
    return out


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
    problems: list[tuple[int, str]] = []
    for offset, text in logical_lines(block):
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
                    commands.append(Command(offset, program, (program, *argv[1:]), text.strip()))
    return commands, problems
