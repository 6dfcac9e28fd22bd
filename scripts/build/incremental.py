"""Incremental rebuilds for `make serve` (`mkdocs serve --dirty`): after an edit, only the
pages whose inputs changed are rendered again; every other page keeps what the last build made.

Why: a full rebuild of 89 pages took 8.9 s from save to page served (Markdown of every page,
Material's template and search parse of every page, print-site's combined page), and an author
waits for that after every save. One changed page costs a few tens of milliseconds.

Why not MkDocs' own `--dirty` alone: it compares file times, so it would serve stale pages
whose source did not change but whose inputs did (a data file, a question added elsewhere that
renumbers the index, a title shown in the nav), and the pages it skips keep no title, table of
contents or anchors, so link checks and Material's search index go wrong. Here:

- a page is rendered again when the hash of its source, or of what it draws from other pages
  (its question plan, its exams), changed; a generated page (question index, exam guide,
  exam-to-latest) when its generated text changed;
- everything is rendered again (and the site directory emptied) when anything shared changed:
  a file under data/ or overrides/, mkdocs.yml, the set of pages, the git dates, the day;
- a skipped page gets back what its last rendering gave it (Markdown, HTML, toc, title,
  anchors, the links it makes), so nav titles, link and anchor checks see every page; when a
  rendered page's title changed, every page is written again (each one's nav shows it);
- Material's search plugin keeps the previous index between rebuilds (its own dirty mode), but
  drops only the first rebuilt page's old entries: `prune_search_index` drops those of every
  page rendered again, before Material merges.

Nothing is recorded until a build ends well: after a failed build (a snippet error), the next
one renders the same pages again. The snippet checks still run on every page at every build
(from their cache) and show their `file:line` errors as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import jinja2
import jinja2.bccache
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

T = TypeVar("T")

# What a page's populate step (read, page_markdown hooks, render, page_content hooks) sets.
PAGE_FIELDS = (
    "markdown",
    "meta",
    "content",
    "toc",
    "_title_from_render",
    "present_anchor_ids",
    "edit_url",
)


@dataclass
class Snapshot:
    key: str
    fields: dict[str, object]
    links_to_anchors: dict[str, dict[str, str]]  # target page src_uri -> its anchor links
    title: str | None


@dataclass
class Incremental:
    """State kept between the builds of one `mkdocs serve` process."""

    enabled: bool = False
    full: bool = True  # this build renders every page
    shared: str = ""  # digest of everything all pages depend on, at the last good build
    pages: dict[str, Snapshot] = field(default_factory=dict)  # at the last good build
    keys: dict[str, str] = field(default_factory=dict)  # this build: src_uri -> input digest
    rebuilt: set[str] = field(default_factory=set)  # this build: pages rendered again
    pending: dict[str, Snapshot] = field(default_factory=dict)
    memo: dict[str, tuple[str, object]] = field(default_factory=dict)  # name -> (key, value)
    templates: TemplateCache = field(default_factory=lambda: TemplateCache())
    _pending_shared: str = ""

    def cached(self, name: str, inputs: object, compute: Callable[[], T]) -> T:
        """`compute()`, or its value from an earlier build of this server for the same inputs
        (data files read at every build: parsing them again cost more than the page)."""
        if not self.enabled:
            return compute()
        key = _digest([inputs])
        hit = self.memo.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]  # type: ignore[return-value]
        value = compute()
        self.memo[name] = (key, value)
        return value

    def begin(self, shared_inputs: Iterable[object]) -> bool:
        """Start a build; True when it must render every page (and empty the site dir)."""
        self._pending_shared = _digest(shared_inputs)
        self.full = not self.enabled or self._pending_shared != self.shared or not self.pages
        self.keys, self.rebuilt, self.pending = {}, set(), {}
        return self.full

    def plan(self, files: Files, page_inputs: dict[str, bytes]) -> None:
        """Decide which documentation pages to render: MkDocs asks `File.is_modified()`."""
        for file in files.documentation_pages():
            key = hashlib.sha256(page_inputs.get(file.src_uri, b"")).hexdigest()
            self.keys[file.src_uri] = key
            old = self.pages.get(file.src_uri)
            if self.full or old is None or old.key != key:
                self.rebuilt.add(file.src_uri)
            # An instance attribute shadows the method; read at populate and at write time.
            file.is_modified = _modified(self, file.src_uri)  # type: ignore[method-assign]

    def snapshot(self, page: Page, content: str) -> None:
        """Keep what rendering gave a page (on_page_content, with the HTML every hook made)."""
        fields = {name: getattr(page, name, None) for name in PAGE_FIELDS}
        fields["content"] = content
        links = {
            target.src_uri: dict(anchors)
            for target, anchors in getattr(page, "links_to_anchors", {}).items()
        }
        src = page.file.src_uri
        self.pending[src] = Snapshot(self.keys.get(src, ""), fields, links, None)

    def restore(self, files: Files) -> None:
        """Give skipped pages their last rendering back (on_env, after every page was read);
        if a rendered page's title changed, write every page again (the nav shows it)."""
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.src_uri in self.rebuilt:
                continue
            snap = self.pages[file.src_uri]
            for name, value in snap.fields.items():
                setattr(page, name, value)
            page.links_to_anchors = {
                target: anchors
                for uri, anchors in snap.links_to_anchors.items()
                if (target := files.get_file_from_path(uri)) is not None
            }
        titles_moved = any(
            file.page is not None
            and file.src_uri in self.pages
            and self.pages[file.src_uri].title != file.page.title
            for file in files.documentation_pages()
        )
        if titles_moved:
            self.rebuilt.update(f.src_uri for f in files.documentation_pages())

    def prune_search_index(self, search_plugin: object | None, pages: Iterable[Page]) -> None:
        """Before Material's search plugin merges its previous index with this build's pages
        (on_env, after `restore`): drop the old entries of every page written again (all of
        them in a full build)."""
        prev = getattr(search_plugin, "search_index_prev", None)
        if prev is None:
            return
        if self.full:
            search_plugin.search_index_prev = None  # type: ignore[union-attr]
            return
        urls = {p.url for p in pages if p.file.src_uri in self.rebuilt}
        prev.entries = [e for e in prev.entries if e["location"].split("#")[0] not in urls]

    def commit(self, files: Files) -> None:
        """The build ended well: its pages become the reference for the next one."""
        pages: dict[str, Snapshot] = {}
        for file in files.documentation_pages():
            snap = self.pending.get(file.src_uri) or self.pages.get(file.src_uri)
            if snap is None or file.page is None:
                continue
            snap.key = self.keys.get(file.src_uri, snap.key)
            snap.title = file.page.title
            pages[file.src_uri] = snap
        self.pages, self.shared = pages, self._pending_shared


def _modified(state: Incremental, src_uri: str):
    return lambda: src_uri in state.rebuilt


def _digest(items: Iterable[object]) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(repr(item).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def tree_stamp(*roots: Path) -> list[tuple[str, int, int]]:
    """Path, size and modification time of every file under `roots` (shared inputs)."""
    stamp = []
    for root in roots:
        if root.is_file():
            st = root.stat()
            stamp.append((str(root), st.st_size, st.st_mtime_ns))
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                st = path.stat()
                stamp.append((str(path), st.st_size, st.st_mtime_ns))
    return stamp


class TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates kept between the builds of one server (MkDocs makes a new
    Jinja environment per build). Jinja keys each by template name and source checksum, so an
    edited template compiles again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class DirtyWarningFilter(logging.Filter):
    """MkDocs warns on every `--dirty` build that navigation may be wrong; here it is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


def page_inputs(file: File, derived: object) -> bytes:
    """What a page's rendering depends on besides the shared inputs: its text (a generated
    page's too) and what it draws from other pages (`derived`, compared by its repr)."""
    return file.content_bytes + b"\0" + repr(derived).encode("utf-8", "surrogatepass")


STATE = Incremental()
