"""The builds `make bench` times: the real strict build, a bare MkDocs build of the same
Markdown, the site with mkdocs-mermaid2-plugin, and a page rebuild under `mkdocs serve`.

Why a scratch repo for the variants: a variant config must resolve the hooks, overrides,
snippets and print-site cover exactly as the real mkdocs.yml does (they are relative to the
config file), and the serve benchmark edits a page, which must never touch the shared docs/.
So a variant lives in a temp dir holding symlinks to the repo's top-level entries, a private
copy of docs/ and its own mkdocs.yml, derived from the real one by a few checked text edits.
The hooks resolve their paths through the symlinks, so they use the real data files and the
real snippet-check cache.

Why the mermaid2 variant ships mermaid inside its docs copy: mermaid2 checks at build time
that `javascript:` names a file under docs_dir, and this site adds the vendored mermaid to the
build from npm (scripts/build/vendor.py) instead of keeping it in docs/. With mermaid2's
documented config and no such file, mermaid2 aborts the build ("Cannot find Mermaid library")
on the first diagram.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from scripts import project
from scripts.browser.site import MKDOCS, SERVE_ARGS, build_site, free_port
from scripts.project import NODE_MODULES

ROOT = project.ROOT
DOCS = ROOT / "docs"
MERMAID_JS = "assets/vendor/mermaid/mermaid.min.js"
# Entries of the repo a scratch copy must not share: its own docs and config, build outputs.
NOT_LINKED = frozenset({"docs", "mkdocs.yml", "site", ".site.tmp", ".git"})
NATIVE_FENCE = "format: !!python/name:pymdownx.superfences.fence_code_format"
MERMAID2_FENCE = "format: !!python/name:mermaid2.fence_mermaid_custom"
PRINT_SITE = "  - print-site:"
MERMAID2_PLUGIN = f"  - mermaid2:\n      javascript: {MERMAID_JS}\n"


class BuildFailed(RuntimeError):
    """A benchmarked build exited non-zero; the message ends with its last output lines."""


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
        raise BuildFailed(f"{what} failed (exit {result.returncode}):\n{tail}")


def timed_strict_build(dest: Path, site_url: str, config: Path | None = None) -> float:
    """Seconds for `mkdocs build --strict` (the real one, or `config`'s), as `make build`."""
    start = time.perf_counter()
    result = build_site(dest, site_url, config=config)
    seconds = time.perf_counter() - start
    _check(result, f"mkdocs build --strict{f' -f {config}' if config else ''}")
    return seconds


def write_bare_config(directory: Path, docs_dir: Path = DOCS) -> Path:
    """A config with MkDocs' own theme, no plugins, no hooks and no Markdown extensions."""
    config = directory / "bare-mkdocs.yml"
    config.write_text(
        "site_name: Kubernetes Field Notes (bare)\n"
        f"docs_dir: {docs_dir}\n"
        "theme:\n  name: mkdocs\n"
        "plugins: []\n",
        encoding="utf-8",
    )
    return config


def write_material_config(directory: Path, real_config: Path | None = None) -> Path:
    """Material with the real config's Markdown extensions and its search plugin, nothing of
    this project's (no hooks, no other plugin, no nav): the least any Material build of these
    pages costs, the floor under the full build's ratio to the bare one."""
    text = (real_config or ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = text.index("\nmarkdown_extensions:\n"), text.index("\nnav:\n")
    extensions = text[start:end].replace(
        "base_path: [docs, data]", f"base_path: [{ROOT / 'docs'}, {ROOT / 'data'}]"
    )
    if str(ROOT / "data") not in extensions:
        raise ValueError("mkdocs.yml changed: pymdownx.snippets base_path not found")
    config = directory / "material-mkdocs.yml"
    config.write_text(
        "site_name: Kubernetes Field Notes (Material reference)\n"
        f"docs_dir: {DOCS}\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n" + extensions + "\n",
        encoding="utf-8",
    )
    return config


def timed_bare_build(config: Path, dest: Path) -> float:
    """Seconds for a plain `mkdocs build` (not strict: the bare site has unresolved links; the
    Material reference's `config` is timed the same way)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [str(MKDOCS), "build", "-q", "-f", str(config), "-d", str(dest)]
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=config.parent, env=env, capture_output=True, text=True, timeout=600
    )
    seconds = time.perf_counter() - start
    _check(result, "bare mkdocs build")
    return seconds


def with_mermaid2(config_text: str) -> str:
    """The real config with mermaid2 before print-site and mermaid2's superfences formatter."""
    for needle in (NATIVE_FENCE, PRINT_SITE):
        if config_text.count(needle) != 1:
            raise ValueError(f"mkdocs.yml changed: expected {needle!r} exactly once")
    text = config_text.replace(NATIVE_FENCE, MERMAID2_FENCE)
    return text.replace(PRINT_SITE, MERMAID2_PLUGIN + PRINT_SITE)


def scratch_repo(directory: Path, mermaid2: bool = False) -> Path:
    """A repo look-alike in `directory`: symlinks, a private docs/ copy, a derived config."""
    repo = directory / "repo"
    repo.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (repo / entry.name).symlink_to(entry)
    shutil.copytree(DOCS, repo / "docs")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if mermaid2:
        text = with_mermaid2(text)
        target = repo / "docs" / MERMAID_JS
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js", target)
    (repo / "mkdocs.yml").write_text(text, encoding="utf-8")
    return repo


@dataclass
class ServeRebuilds:
    """Seconds from start until served, and per edit until the served page showed it.

    MkDocs' dev server holds page requests while a rebuild runs, so "page showed the edit"
    is also "rebuild finished": the figure is what an author waits for after saving."""

    page_updated: list[float] = field(default_factory=list)
    startup: float = 0.0


class _ServeLog:
    """Reads `mkdocs serve`'s log in a thread and counts finished (re)builds."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self.serving = threading.Event()
        self.reloads = 0
        self._cond = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip())
            if "Serving on" in line:
                self.serving.set()
            if "Reloading browsers" in line:
                with self._cond:
                    self.reloads += 1
                    self._cond.notify_all()

    def wait_reloads(self, count: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self.reloads >= count, timeout=timeout)

    def tail(self, n: int = 8) -> str:
        return "\n".join(self.lines[-n:])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def _poll(url: str, marker: str, deadline: float, interval: float = 0.05) -> bool:
    while time.perf_counter() < deadline:
        if marker in _fetch(url):
            return True
        time.sleep(interval)
    return False


def serve_rebuilds(
    runs: int, page: str = "start-here/namespaces.md", timeout: float = 180
) -> ServeRebuilds:
    """Start `mkdocs serve` on a scratch copy, append to `page` `runs` times, time each."""
    result = ServeRebuilds()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        repo = scratch_repo(Path(tmp))
        port = free_port()
        url = f"http://127.0.0.1:{port}/" + page.removesuffix(".md") + ".html"
        # TMPDIR: serve's own temp site dir lands in ours and goes with it whatever happens.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": tmp}
        cmd = [str(MKDOCS), *SERVE_ARGS, "-a", f"127.0.0.1:{port}", "-f", str(repo / "mkdocs.yml")]
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        log = _ServeLog(proc.stdout)
        try:
            if not (log.serving.wait(timeout) and _poll(url, "</html>", start + timeout)):
                raise BuildFailed(f"mkdocs serve did not start:\n{log.tail()}")
            result.startup = time.perf_counter() - start
            target = repo / "docs" / page
            for run in range(runs):
                time.sleep(0.3)  # let the watcher settle: each edit must start a rebuild alone
                marker = f"bench-edit-{run}-{time.time_ns()}"
                reloads = log.reloads
                with target.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n\n{marker}\n")
                edited = time.perf_counter()
                if not _poll(url, marker, edited + timeout):
                    raise BuildFailed(f"edit {run + 1} never showed up:\n{log.tail()}")
                result.page_updated.append(time.perf_counter() - edited)
                # The next edit must start its own rebuild, not land in this one.
                if not log.wait_reloads(reloads + 1, timeout):
                    raise BuildFailed(f"rebuild {run + 1} never finished:\n{log.tail()}")
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return result
