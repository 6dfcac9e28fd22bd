"""The shape of the repository: import directions between the packages of scripts/, and a CI
workflow that is safe for pull requests.

Why: the layout is the architecture (README "Repository layout", scripts/README.md). These
tests keep it true as code is added: build code never imports tests, the benchmark stays apart
from what the build and the tests import, and lower layers never reach up.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ruamel.yaml import YAML

from scripts import project

SCRIPTS = project.ROOT / "scripts"

# package -> the packages of scripts/ it may import (itself always allowed).
ALLOWED = {
    "project": set(),
    "preflight": {"project", "browser"},
    "common": {"project"},
    "browser": {"project", "common"},
    "content": {"project", "common"},
    "snippets": {"project", "common"},
    "build": {"project", "common", "content", "snippets", "browser"},
    "publish": {"project", "common", "build", "browser", "content"},
    "bench": {"project", "common", "build", "browser", "content", "snippets", "publish"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(project.ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports (top level or inside functions), made absolute."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "scripts" and len(parts) > 1 else None


def violations(root: Path = SCRIPTS) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        here = layer_of(_module_name(path))
        for target in sorted(imports_of(path)):
            if target == "tests" or target.startswith("tests."):
                out.append(f"{path.relative_to(project.ROOT)}: imports {target}")
                continue
            there = layer_of(target)
            if there is None or there == here or there not in ALLOWED:
                continue
            if there not in ALLOWED.get(here, set()):
                out.append(f"{path.relative_to(project.ROOT)}: {here} must not import {target}")
    return out


def test_every_package_is_placed_in_a_layer() -> None:
    packages = {
        p.stem if p.is_file() else p.name
        for p in SCRIPTS.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"
    }
    assert packages - {"__init__"} == set(ALLOWED)


def test_imports_follow_the_layers() -> None:
    assert violations() == []


def test_a_planted_upward_import_is_caught(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "scripts"
    (fake / "common").mkdir(parents=True)
    (fake / "common" / "__init__.py").write_text("")
    (fake / "common" / "bad.py").write_text(
        "from scripts.build import mkdocs_hooks\nfrom tests import harness\n"
    )
    monkeypatch.setattr(project, "ROOT", tmp_path)
    found = violations(fake)
    assert found == [
        "scripts/common/bad.py: common must not import scripts.build",
        "scripts/common/bad.py: common must not import scripts.build.mkdocs_hooks",
        "scripts/common/bad.py: imports tests",
        "scripts/common/bad.py: imports tests.harness",
    ]


def test_ci_is_safe_for_pull_requests() -> None:
    text = (project.ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    flow = YAML(typ="safe").load(text)
    assert flow["permissions"] == {"contents": "read"}
    for name, job in flow["jobs"].items():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), (name, step["uses"])
        if "pages" in job.get("permissions", {}):
            assert job["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
            assert job["concurrency"]["group"] != flow["jobs"]["test"]["concurrency"]["group"]
    assert "permissions" not in flow["jobs"]["test"]


def import_graph(root: Path = SCRIPTS) -> dict[str, set[str]]:
    """Module -> the modules of scripts/ it imports (at top level or inside functions)."""
    modules = {_module_name(p): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        raw = imports_of(path)
        targets = set()
        for target in raw:
            if any(t.startswith(target + ".") and t in modules for t in raw):
                continue  # `from pkg import module`: an import of the module, not of pkg
            while target and target not in modules:  # `from mod import name` -> mod
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the path of modules that closes it."""
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_a_planted_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
