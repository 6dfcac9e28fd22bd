"""The checker never touches anything real.

Two layers, both always on:

1. **The command line** (``neutralise``): before kubectl runs, every flag that selects a
   cluster, credentials or a proxy (``--kubeconfig``, ``--server``/``-s``, ``--context``,
   ``--cluster``, ``--user``, ``--token``, ``--as*``, ``--certificate-authority``,
   ``--client-*``, ``--username``/``--password``, ``--proxy-url``, ``--kuberc``) gets a
   sandbox value; ``-f``/``--filename``/``-k``/``--kustomize`` with a URL or a remote
   kustomize target becomes a local file name that does not exist; ``--raw`` URLs keep
   only their path; every absolute path (and every path that climbs out with ``..``)
   before ``--`` is moved under the run's empty sandbox root. The rest of the command is
   checked as written, so a page may show ``--kubeconfig /etc/kubernetes/admin.conf`` and
   still have its typo in ``get nodez`` caught.

2. **The process** (``run_isolated``): where the kernel allows it (root, or unprivileged
   user namespaces), the whole kubectl batch runs in a child started with
   ``unshare --net --mount``: a network namespace whose only interface is a loopback that
   holds the discovery stub (nothing else is reachable, not even DNS), and a mount
   namespace in which /etc/kubernetes, the real ~/.kube, /var/lib/kubelet,
   /var/lib/etcd, /etc/rancher and the in-pod service-account directory are hidden under
   empty tmpfs mounts. Why a namespace rather than a resolver rule: it needs no change to
   the machine and nothing can leak around it (a resolver rule stops names, not IP
   addresses). Where unshare is not allowed, kubectl runs in-process as before, with
   HTTP(S)_PROXY pointing at a dead loopback port: Go sends every non-loopback request,
   and the name lookup for it, to that proxy, which refuses. Either way HOME, KUBECONFIG
   and the discovery cache are per-run temporary directories, PATH is empty and the
   environment is built from scratch (no KUBERNETES_SERVICE_HOST, no real KUBECONFIG).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scripts import project

DEAD_PROXY = "http://127.0.0.1:1"
# Flag -> the sandbox value it gets. ``None``: dropped with its value (a sandbox value
# would conflict with the sandbox kubeconfig's own credentials). "{kubeconfig}" and
# "{server}" are filled in per run.
SWAPS: dict[str, str | None] = {
    "--kubeconfig": "{kubeconfig}",
    "--server": "{server}",
    "-s": "{server}",
    "--context": "stub",
    "--cluster": "stub",
    "--user": "stub",
    "--token": "sandbox-token",
    "--as": "{token}",  # the run's own user: how the stub tells runs apart
    "--as-group": "sandbox-group",
    "--as-uid": "sandbox-uid",
    "--as-user-extra": "sandbox=extra",
    "--certificate-authority": "sandbox-ca.crt",
    "--client-certificate": "sandbox-client.crt",
    "--client-key": "sandbox-client.key",
    "--tls-server-name": "stub",
    "--username": None,
    "--password": None,
    "--proxy-url": None,
    "--kuberc": None,
}
# Empty files created in each run's working directory for the swapped file flags.
SANDBOX_FILES = ("sandbox-ca.crt", "sandbox-client.crt", "sandbox-client.key")
SWAP_PREFIXES = ("--as-", "--client-")  # future --as-*/--client-* flags too
FILE_FLAGS = frozenset({"-f", "--filename", "-k", "--kustomize"})
KUSTOMIZE_FLAGS = frozenset({"-k", "--kustomize"})
# Flags whose absolute value is a URL path on the server, not a local file.
SERVER_PATH_FLAGS = frozenset({"--raw", "--api-prefix", "--www-prefix"})
# Boolean shorthands kubectl accepts in a group such as -it or -Rf.
BOOL_SHORTHANDS = frozenset("AiqRtwh")
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Directories a kubectl run must never see, hidden in the mount namespace.
HIDDEN = (
    "/etc/kubernetes",
    "/var/lib/kubelet",
    "/var/lib/etcd",
    "/etc/rancher",
    "/var/run/secrets/kubernetes.io",
    "/run/secrets/kubernetes.io",
)


def _swap_value(flag: str) -> str | bool | None:
    """The sandbox value for ``flag``, None to drop it, False when it is not swapped."""
    if flag in SWAPS:
        return SWAPS[flag]
    if flag.startswith(SWAP_PREFIXES):
        return "sandbox"
    return False


def _escapes(value: str) -> bool:
    return ".." in Path(value).parts


def relocate(value: str, root: Path) -> str:
    """An absolute path moved under ``root``; a path that climbs out with .. reduced to
    its last part; anything else unchanged."""
    if value.startswith("/"):
        return f"{root}{value}"
    if _escapes(value):
        return Path(value).name or "sandbox"
    return value


def file_value(flag: str, value: str, root: Path) -> str:
    """-f/-k value: URLs and remote kustomize targets become local names that do not
    exist (kubectl then says so, as it would for a file the reader has not written)."""
    if value == "-":
        return value
    if URL.match(value) or value.startswith("git@"):
        return "remote-" + (Path(urlsplit(value).path).name or "manifest.yaml")
    if flag in KUSTOMIZE_FLAGS:
        first = value.split("/", 1)[0]
        if "?" in value or "//" in value or ("." in first and first not in (".", "..")):
            return "remote-kustomization"
    return relocate(value, root)


def _server_path(value: str) -> str:
    if URL.match(value):
        parts = urlsplit(value)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return value


def _long(token: str, nxt: str | None, ctx: dict[str, str], root: Path) -> tuple[list[str], int]:
    """One ``--flag[=value]`` token: (replacement tokens, tokens consumed)."""
    flag, eq, value = token.partition("=")
    swap = _swap_value(flag)
    takes_next = not eq and nxt is not None and not nxt.startswith("-")
    if swap is not False:
        used = 1 + (1 if not eq and nxt is not None else 0)
        return ([] if swap is None else [f"{flag}={swap.format(**ctx)}"]), used
    if flag in FILE_FLAGS and (eq or takes_next):
        value = value if eq else str(nxt)
        return [f"{flag}={file_value(flag, value, root)}"], 1 if eq else 2
    if flag in SERVER_PATH_FLAGS:
        if eq:
            return [f"{flag}={_server_path(value)}"], 1
        if takes_next:
            return [flag, _server_path(str(nxt))], 2
        return [token], 1
    if flag == "--from-file" and eq:
        key, sep, path = value.rpartition("=")
        return [f"{flag}={key}{sep}{relocate(path, root)}"], 1
    if eq:
        return [f"{flag}={relocate(value, root)}"], 1
    return [token], 1


def _short(
    token: str, nxt: str | None, ctx: dict[str, str], root: Path, follow: bool
) -> tuple[list[str], int]:
    """A shorthand group such as -it, -s URL, -sURL, -Rf file, -f=file. ``follow``: in
    `kubectl logs`, -f is --follow, a boolean."""
    for i, letter in enumerate(token[1:], start=1):
        if letter in BOOL_SHORTHANDS or (follow and letter in "fp"):
            continue
        rest = token[i + 1 :].removeprefix("=")
        head = token[:i]
        if letter not in "sfk":
            return [token], 1
        value, used = (rest, 1) if rest else (nxt, 2)
        if value is None:
            return [token], 1
        flag = "-" + letter
        if letter == "s":
            return [*([head] if head != "-" else []), f"--server={ctx['server']}"], used
        return [*([head] if head != "-" else []), f"{flag}={file_value(flag, value, root)}"], used
    return [token], 1


def neutralise(
    argv: tuple[str, ...], kubeconfig: str, server: str, root: Path, token: str = "sandbox"
) -> tuple[str, ...]:
    """``argv`` with every way to reach something real replaced (see the module doc)."""
    ctx = {"kubeconfig": kubeconfig, "server": server, "token": token}
    follow = "logs" in argv[1:3]
    out: list[str] = [argv[0]]
    i = 1
    while i < len(argv):
        token = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if token == "--":
            out.extend(argv[i:])
            break
        if token.startswith("--"):
            replaced, used = _long(token, nxt, ctx, root)
        elif token.startswith("-") and len(token) > 1 and not token[1].isdigit():
            replaced, used = _short(token, nxt, ctx, root, follow)
        else:
            prev = argv[i - 1]
            keep = prev in SERVER_PATH_FLAGS
            replaced, used = [_server_path(token) if keep else relocate(token, root)], 1
        out.extend(replaced)
        i += used
    return tuple(out)


def base_env(home: Path, kubeconfig: Path, cache: Path, path_dir: Path) -> dict[str, str]:
    """The whole environment of a kubectl run: nothing inherited."""
    return {
        "HOME": str(home),
        "KUBECONFIG": str(kubeconfig),
        "KUBECACHEDIR": str(cache),  # discovery is shared: same stub, same answers
        "PATH": str(path_dir),  # no kubectl-* plugins, no editors, no pagers
        "LANG": "C.UTF-8",
        "KUBECTL_KUBERC": "false",
        # Go sends every request to a non-loopback host (and its name lookup) through
        # the proxy: a dead port refuses them all. The stub, on loopback, is never proxied.
        "HTTPS_PROXY": DEAD_PROXY,
        "HTTP_PROXY": DEAD_PROXY,
        "https_proxy": DEAD_PROXY,
        "http_proxy": DEAD_PROXY,
        "NO_PROXY": "",
        "no_proxy": "",
        # A kubectl run is short: collecting garbage costs ~25% of its CPU time. The memory
        # limit turns the collector back on if a run ever grows past it.
        "GOGC": "off",
        "GOMEMLIMIT": "256MiB",
    }


# --------------------------------------------------------------------------- namespaces

FORCE_IN_PROCESS = False  # tests set it to check the fallback on a machine with unshare


@functools.cache
def unshare_prefix() -> tuple[str, ...] | None:
    """The unshare command line that works here, or None (then the fallback is used)."""
    exe = shutil.which("unshare")
    if exe is None:
        return None
    base = (exe, "--net", "--mount", "--propagation", "private")
    for prefix in (base, (exe, "--user", "--map-root-user", *base[1:])):
        try:
            proc = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0:
            return prefix
    return None


def isolation() -> str:
    """How kubectl runs here: "namespaces" or "proxy" (the fallback)."""
    return "proxy" if FORCE_IN_PROCESS or unshare_prefix() is None else "namespaces"


def run_isolated(
    jobs: list[tuple[str, tuple[str, ...], str | None]],
) -> list[tuple[int | None, str, int]]:
    """Run the kubectl batch ((minor, argv, stdin) jobs) in a child inside fresh network
    and mount namespaces."""
    prefix = unshare_prefix()
    assert prefix is not None
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(project.ROOT), "LANG": "C.UTF-8"}
    env["SNIPPETS_REAL_HOME"] = str(Path.home())
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "scripts.snippets.sandbox_child"],
        input=json.dumps([[version, list(argv), stdin] for version, argv, stdin in jobs]),
        capture_output=True,
        text=True,
        cwd=project.ROOT,
        env=env,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        message = f"kubectl sandbox failed: {proc.stderr.strip().splitlines()[-1:]}"
        return [(1, message, 0)] * len(jobs)
    return [(rc, err, n) for rc, err, n in json.loads(proc.stdout)]


def _loopback_up() -> None:
    """`ip link set lo up` without needing the ip program (SIOCSIFFLAGS)."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = 0x1 | 0x8 | 0x40  # IFF_UP | IFF_LOOPBACK | IFF_RUNNING
        fcntl.ioctl(sock.fileno(), 0x8914, struct.pack("16sH14s", b"lo", flags, b""))


def _hide(paths: list[str]) -> None:
    """An empty tmpfs over each existing directory (this mount namespace only)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for path in paths:
        hidden = libc.mount(b"tmpfs", path.encode(), b"tmpfs", 0, b"size=1m,mode=700")
        if os.path.isdir(path) and hidden != 0:
            raise OSError(ctypes.get_errno(), f"cannot hide {path}")
