"""`make serve`'s dev server after an edit: the edited page, the pages generated from it and
the search index show the new text, and a broken snippet still stops the build at its line.

The server runs as `make serve` runs it (scripts.browser.site.SERVE_ARGS, which the Makefile
must use too) on a private copy of docs/ and mkdocs.yml (the rest of the repository is linked),
so the working tree is never edited. Rebuilds are incremental (scripts/build/incremental.py):
these tests are what says they are never stale. How fast they are is `make bench`'s figure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts import project
from scripts.browser.site import MKDOCS, SERVE_ARGS
from scripts.common.net import free_port

# Slow like the browser tests (a full first build, then rebuilds): it runs with them.
pytestmark = pytest.mark.browser

ROOT = project.ROOT
PAGE = "start-here/namespaces.md"
INDEX = "reference/questions.html"
NOT_LINKED = {"docs", "mkdocs.yml", "site", ".site.tmp", ".git"}
DEADLINE_S = 300  # a hung server fails the test instead of hanging the run; not a speed check


def test_make_serve_runs_the_dev_server_with_these_arguments():
    recipe = re.search(r"^serve:.*\n\t(.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "Makefile: no serve target"
    assert f"$(BIN)/mkdocs {' '.join(SERVE_ARGS)} " in recipe[1] + " "


class DevServer:
    """`mkdocs serve` on a scratch copy; its log is read in a thread."""

    def __init__(self, tmp: Path) -> None:
        self.repo = tmp / "repo"
        self.repo.mkdir()
        for entry in ROOT.iterdir():
            if entry.name not in NOT_LINKED:
                (self.repo / entry.name).symlink_to(entry)
        shutil.copytree(ROOT / "docs", self.repo / "docs")
        shutil.copyfile(ROOT / "mkdocs.yml", self.repo / "mkdocs.yml")
        self.port = free_port()
        self.log: list[str] = []
        self.builds = 0  # finished builds: the first one, then each "Reloading browsers"
        self.failed = 0  # rebuilds that stopped with an error
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
        cmd = [str(MKDOCS), *SERVE_ARGS, "-a", f"127.0.0.1:{self.port}", "-f", "mkdocs.yml"]
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.log.append(line.rstrip())
            if "Serving on" in line or "Reloading browsers" in line:
                self.builds += 1
            if "An error happened during the rebuild" in line:
                self.failed += 1

    def get(self, path: str) -> str:
        try:
            url = f"http://127.0.0.1:{self.port}/{path}"
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return ""

    def wait(self, what: str, done) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            if done():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        tail = "\n".join(self.log[-15:])
        pytest.fail(f"{what}: not seen (server exit {self.proc.poll()}); log tail:\n{tail}")

    def edit(self, page: str, change) -> None:
        """Change a page of the copy and wait until the server's rebuild ended (well or not)."""
        path = self.repo / "docs" / page
        builds, failed = self.builds, self.failed
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.wait("a rebuild after the edit", lambda: self.builds > builds or self.failed > failed)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    dev = DevServer(tmp_path_factory.mktemp("serve"))
    try:
        dev.wait("the first build", lambda: dev.builds >= 1 and "</html>" in dev.get(INDEX))
        yield dev
    finally:
        dev.stop()


def add_question(token: str):
    """A new interview question at the end of the page's question section."""

    def change(text: str) -> str:
        block = f'??? question "What is {token}?"\n\n    A marker the serve test adds.\n\n'
        head = "## Official documentation"
        assert head in text
        return text.replace(head, block + head, 1)

    return change


def search_locations(server: DevServer) -> list[str]:
    index = json.loads(server.get("search/search_index.json") or "{}")
    return [doc["location"] for doc in index.get("docs", [])]


def test_an_edit_is_served_with_the_pages_generated_from_it(server):
    before = search_locations(server)
    token = f"servetest{time.time_ns()}"
    server.edit(PAGE, add_question(token))
    page = server.get(PAGE.removesuffix(".md") + ".html")
    assert token in page, "the edited page is served stale"
    assert token in server.get(INDEX), "the question index is served stale"
    rendered = [line for line in server.log if "incremental:" in line][-1]
    assert "full build" not in rendered, f"the edit rebuilt every page: {rendered}"
    index = server.get("search/search_index.json")
    assert token in index, "the search index is stale"
    after = search_locations(server)
    assert sorted(after) == sorted(before), "search entries were lost or doubled"
    # A page that was not edited is still there, whole.
    assert "</html>" in server.get("workloads/pods.html")


def test_a_title_edit_reaches_the_pages_that_show_it(server):
    """drills/index.md has no title in mkdocs.yml's nav: its heading is its title, and the
    next page's footer ("Previous") shows it, although that page did not change."""
    before = search_locations(server)
    token = f"Drills {time.time_ns()}"
    server.edit(
        "drills/index.md",
        lambda text: re.sub(r"^# .*$", f"# {token}", text, count=1, flags=re.M),
    )
    assert token in server.get("drills/index.html")
    assert token in server.get("drills/workloads.html"), "a neighbour shows the old title"
    # Every page was written again: each one's search entries are there once.
    assert sorted(search_locations(server)) == sorted(before), "search entries lost or doubled"


def test_a_broken_snippet_still_stops_the_build_at_its_line(server):
    broken = "```bash\nkubectl get pods --no-such-flag\n```\n"
    failed = server.failed
    server.edit(PAGE, lambda text: text + "\n" + broken)
    assert server.failed > failed, "the build did not stop"
    pattern = re.compile(r"namespaces\.md:\d+:.*no-such-flag")
    assert any(pattern.search(line) for line in server.log), "\n".join(server.log[-15:])
