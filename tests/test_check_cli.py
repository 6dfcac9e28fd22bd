"""The command line, the summary line, exit codes and the warm cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import project
from scripts.snippets import check_paths, runner

REPO = project.ROOT
BAD_PAGE = """# Page

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    imagePullPolicy: always
```

```bash
kubectl get podz
```

```mermaid
flowchart LR
  A --> B
```

```text
kubectl output is never checked
```
"""


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "scripts.snippets", "--no-cache", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_reports_and_fails(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(BAD_PAGE)
    proc = run_cli(cwd=tmp_path)  # default: docs/
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "docs/page.md:12: Pod/web: spec.containers[0].imagePullPolicy: "
        'Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never"'
    )
    assert (
        lines[1] == 'docs/page.md:16: kubectl: get: the server doesn\'t have a resource type "podz"'
    )
    assert lines[-1] == (
        "checked 3 blocks: 1 manifests, 0 fragments, 0 other YAML, 1 commands, "
        "1 diagrams; 2 errors, 0 warnings"
    )


def test_cli_passes_on_good_files(tmp_path: Path) -> None:
    yaml_file = tmp_path / "pod.yaml"
    yaml_file.write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
    proc = run_cli(str(yaml_file), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("0 errors, 0 warnings")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    assert run_cli("nope.md", cwd=tmp_path).returncode == 2


def test_warm_run_uses_the_cache_and_runs_no_checker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text(BAD_PAGE)
    cache_file = tmp_path / "cache" / "results.json"
    cold = check_paths([page], cache_file=cache_file)
    assert cache_file.is_file()

    def fail(blocks):  # any checker call on a warm run is a cache miss
        raise AssertionError("checker called on a warm run")

    monkeypatch.setattr(runner, "CHECKERS", {"yaml": fail, "shell": fail, "mermaid": fail})
    # the same snippets moved down the page: results are reused at their new lines
    page.write_text("# Moved\n\nNew paragraph.\n" + BAD_PAGE)
    warm = check_paths([page], cache_file=cache_file)
    assert [f.line - 3 for f in warm.errors] == [f.line for f in cold.errors]
    assert warm.summary() == cold.summary()
