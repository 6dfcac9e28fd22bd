"""kubectl and etcdctl/etcdutl command lines, run through the real binaries.

Bad cases are the study notes' own mistakes and common typos; good cases are commands the
site documents, which must pass against the discovery stub (no false positives)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.snippets import commands, etcd
from scripts.snippets.blocks import Block
from scripts.snippets.shell import extract_commands, placeholder_value
from tests.snippet_cases import Case, assert_reported, findings_for, run_cases

BAD = [
    Case(
        "run-replicas",
        "bash",
        "kubectl run nginx --image nginx --replicas=3  # <-",
        "run",
        "unknown flag: --replicas",
        obj="kubectl",
    ),
    Case(
        "namespace-without-value",
        "bash",
        "kubectl get pods --namespace  # <-",
        "get",
        "flag needs an argument: --namespace",
    ),
    Case(
        "to-revison",
        "bash",
        "kubectl rollout undo deploy/x --to-revison=2  # <-",
        "rollout undo",
        "unknown flag: --to-revison",
    ),
    Case(
        "podz",
        "bash",
        "kubectl get podz  # <-",
        "get",
        'the server doesn\'t have a resource type "podz"',
    ),
    Case(
        "all-namespace",
        "bash",
        "kubectl get all --all-namespace -o yaml > all.yaml  # <-",
        "get",
        "unknown flag: --all-namespace",
    ),
    Case(
        "delete-local-data",
        "bash",
        "kubectl cordon node1\nkubectl drain node1 --ignore-daemonsets --delete-local-data  # <-",
        "drain",
        "unknown flag: --delete-local-data",
    ),
    Case(
        "output-yml",
        "console",
        "$ kubectl get pods -o yml  # <-\nNAME  READY\n",
        "get",
        'output format "yml"',
    ),
    Case(
        "taint-effect",
        "bash",
        "kubectl taint nodes node1 app=db:NoScheduled  # <-",
        "taint",
        "invalid taint effect: NoScheduled",
    ),
    Case(
        "exec-without-dashes",
        "bash",
        "kubectl exec web ls /  # <-",
        "exec",
        "is not supported anymore",
    ),
    Case(
        "scale-replicas-word",
        "bash",
        "kubectl scale deploy/web --replicas=three  # <-",
        "scale",
        'invalid argument "three" for "--replicas"',
    ),
    Case(
        "unknown-command",
        "bash",
        "kubectl rollout restrat deploy/web  # <-",
        "rollout",
        'unknown command "restrat',
    ),
    Case(
        "create-deployment-without-image",
        "bash",
        "kubectl create deployment web --dry-run=client -o yaml  # <-",
        "create deployment",
        'required flag(s) "image" not set',
    ),
    Case(
        "pipe-segment",
        "bash",
        "kubectl describe pod web -i | grep Events  # <-",
        "describe",
        "unknown shorthand flag: 'i'",
    ),
    Case(
        "continuation",
        "bash",
        "kubectl get pods \\\n  --sort-by=.metadata.name \\\n  -o widee",
        "get",
        'output format "widee"',
        line=1,
    ),
    Case(
        "etcdctl-endpoint-typo",
        "bash",
        "ETCDCTL_API=3 etcdctl --endpoint=https://127.0.0.1:2379 snapshot save /tmp/s.db  # <-",
        "",
        "unknown flag: --endpoint",
        obj="etcdctl",
    ),
    Case(
        "etcdutl-unknown-subcommand",
        "bash",
        "etcdutl snapshot statuss /var/backups/etcd/snapshot.db  # <-",
        "snapshot",
        'unknown command "snapshot statuss" for "etcdutl"',
        obj="etcdutl",
    ),
    Case(
        "etcdutl-data-dir-typo",
        "bash",
        "etcdutl snapshot restore /var/backups/etcd/snapshot.db \\\n"
        "  --data-dirr /var/lib/etcd-restore",
        "snapshot restore",
        "unknown flag: --data-dirr",
        line=1,
    ),
    Case(
        "etcdctl-output-format",
        "bash",
        "etcdctl member list -w tabel  # <-",
        "member",
        "unsupported output format",
    ),
]

WARNINGS = [
    Case(
        "cpu-percent-deprecated",
        "bash",
        "kubectl autoscale deployment web --cpu-percent=50 --min=1 --max=10  # <-",
        "autoscale",
        "Flag --cpu-percent has been deprecated",
    ),
    Case(
        "etcdctl-snapshot-status-deprecated",
        "bash",
        "etcdctl snapshot status /var/backups/etcd/snapshot.db -w table  # <-",
        "snapshot status",
        "Use `etcdutl snapshot status` instead",
    ),
]

GOOD_FILE = Path(__file__).parent / "fixtures" / "good" / "commands.md"


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):
    return run_cases(tmp_path_factory.mktemp("bad-commands"), BAD + WARNINGS)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_command_is_reported(bad_run, case: Case) -> None:
    assert_reported(bad_run, case)


@pytest.mark.parametrize("case", WARNINGS, ids=lambda c: c.id)
def test_deprecation_is_a_warning(bad_run, case: Case) -> None:
    line = bad_run.starts[case.id] + case.expected_line() - 1
    warnings = [w for w in findings_for(bad_run, case, "warning") if w.line == line]
    assert any(case.message in w.message for w in warnings), warnings
    assert not findings_for(bad_run, case)


def test_good_commands_pass() -> None:
    from scripts.snippets import check_paths

    report = check_paths([GOOD_FILE], use_cache=False)
    assert not report.errors, "\n".join(map(str, report.errors))
    assert not report.warnings, "\n".join(map(str, report.warnings))
    assert report.counts["commands"] >= 60


# --------------------------------------------------------------------------- units


def block(text: str, lang: str = "bash") -> Block:
    return Block(Path("x.md"), lang, {}, 1, text)


def test_heredoc_body_is_not_a_command() -> None:
    cmds, _ = extract_commands(
        block("kubectl apply -f - <<EOF\nkubectl is: data\nEOF\nkubectl get pods\n")
    )
    assert [(c.offset, c.argv) for c in cmds] == [
        (0, ("kubectl", "apply", "-f", "-")),
        (3, ("kubectl", "get", "pods")),
    ]


def test_console_output_is_not_a_command() -> None:
    cmds, _ = extract_commands(block("$ kubectl get pods\nkubectl-looking output\n", "console"))
    assert [c.argv for c in cmds] == [("kubectl", "get", "pods")]


def test_substitution_redirect_and_wrappers() -> None:
    text = "POD=$(kubectl get pods -l app=web -o name) && sudo -E kubectl logs $POD 2>/dev/null\n"
    cmds, _ = extract_commands(block(text))
    assert sorted(c.argv for c in cmds) == [
        ("kubectl", "get", "pods", "-l", "app=web", "-o", "name"),
        ("kubectl", "logs", "$POD"),
    ]


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("pod-name", "example"),
        ("effect", "NoSchedule"),
        ("new-image", "nginx:1.27"),
        ("local-port", "8080"),
        ("namespace", "default"),
        ("resource", "pods"),
        ("revision", "2"),
    ],
)
def test_placeholder_values(word: str, value: str) -> None:
    assert placeholder_value(word) == value


def test_classify_table() -> None:
    assert commands.classify(1, "error: unknown flag: --x\nSee 'kubectl get --help'") == [
        commands.Outcome("error", "unknown flag: --x")
    ]
    not_found = 'Error from server (NotFound): pods "x" not found'
    assert commands.classify(1, not_found, stub_not_found=1) == []
    assert commands.classify(1, 'error: the path "x.yaml" does not exist') == []
    assert commands.classify(None, "") == []  # a serve command that said it serves
    odd = commands.classify(1, "error: something new")
    assert [o.severity for o in odd] == ["error"]  # never silently fine


def test_kubectl_is_the_venv_binary() -> None:
    assert commands.kubectl_path().parent == Path(__import__("sys").executable).parent
    assert commands.environment_ok()


def test_etcd_sandbox_never_targets_real_paths_or_endpoints(tmp_path: Path) -> None:
    argv = (
        "etcdctl",
        "--endpoints=https://10.0.0.5:2379,https://10.0.0.6:2379",
        "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
        "snapshot",
        "save",
        "/var/backups/etcd/s.db",
    )
    out = etcd.sandbox_argv(argv, tmp_path)
    assert out[1] == f"--endpoints=https://{etcd.DEAD_ENDPOINT},https://{etcd.DEAD_ENDPOINT}"
    assert out[2] == f"--cacert={tmp_path}/etc/kubernetes/pki/etcd/ca.crt"
    assert out[5] == f"{tmp_path}/var/backups/etcd/s.db"
