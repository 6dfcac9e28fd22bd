"""Which Kubernetes versions each snippet works on, shown to the reader.

The snippet checker (scripts/snippets) validates every manifest against each supported minor's
schema and runs every kubectl command through each installed kubectl; its report keeps each
block's result (``Report.placed``). This module turns those results into

- a one-line note under each checked block ("Checked on Kubernetes 1.35 · 1.36 · 1.37",
  or "1.36 · 1.37 only; not 1.35: why"), inserted into the page's Markdown after the closing
  fence, at the fence's indentation (so it stays inside an admonition, tab or list item);
- a deprecation note under a block that uses an API version or field listed in
  ``data/deprecations.yaml`` (or that made kubectl print a deprecation warning), also
  returned so the build can log it;
- the generated page "From the exam version to the latest" (``EXAM_PAGE``).

Pure functions on text and data: the build hook (scripts/build/mkdocs_hooks.py) calls them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.common.datafile import load_rows, require
from scripts.snippets.blocks import extract_from_text
from scripts.snippets.report import BlockResult, PlacedBlock

DEPRECATIONS_FILE = project.DATA / "deprecations.yaml"
EXPLAIN_PAGE = "reference/how-snippets-are-checked.md"
EXAM_PAGE = "reference/exam-to-latest.md"
YAML_LANGS = frozenset({"yaml", "yml"})
SHELL_LANGS = frozenset({"bash", "sh", "shell", "console", "zsh", "shell-session"})
MAX_REASON = 160  # characters of the first reason shown on the line


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


# ---------------------------------------------------------------------------------------------
# Deprecations


@dataclass(frozen=True)
class Deprecation:
    api: str  # group/version, or "" for a field entry
    kinds: tuple[str, ...]
    field: str  # dotted path, or "" for an API entry
    deprecated: str
    removed: str
    use: str
    source: str

    def describe(self) -> str:
        what = (
            f"`{self.api}` {', '.join(self.kinds)}"
            if self.api
            else f"`{self.field}` of a {self.kinds[0]}"
        )
        return what


def load_deprecations(path: Path = DEPRECATIONS_FILE) -> list[Deprecation]:
    out = []
    for row in load_rows(path):
        require(row, ("use", "source"))
        data = row.data
        if data.get("api"):
            kinds = tuple(str(k) for k in data.get("kinds") or ())
            if not kinds:
                raise row.error("kinds", "an api row needs kinds")
            fld = ""
        elif data.get("field") and data.get("kind"):
            kinds, fld = (str(data["kind"]),), str(data["field"])
        else:
            raise row.error("api", "a row needs api and kinds, or kind and field")
        if not (data.get("deprecated") or data.get("removed")):
            raise row.error("removed", "a row needs deprecated or removed")
        out.append(
            Deprecation(
                str(data.get("api") or ""),
                kinds,
                fld,
                str(data.get("deprecated") or ""),
                str(data.get("removed") or ""),
                str(data["use"]),
                str(data["source"]),
            )
        )
    return out


_DOC_SPLIT = re.compile(r"^---\s*$", re.M)
_TOP = re.compile(r"^(apiVersion|kind):\s*['\"]?([\w./-]+)['\"]?\s*(?:#.*)?$", re.M)


def _has_field(doc: str, dotted: str) -> bool:
    """True when the nested keys of ``dotted`` appear in ``doc`` with growing indentation
    (a key-path test on the text: the checker has already parsed and validated the block)."""
    indent = -1
    lines = doc.splitlines()
    start = 0
    for part in dotted.split("."):
        pattern = re.compile(rf"^(\s*)(?:-\s+)?{re.escape(part)}:")
        for i in range(start, len(lines)):
            m = pattern.match(lines[i])
            if m and len(m.group(1)) > indent:
                indent, start = len(m.group(1)), i + 1
                break
        else:
            return False
    return True


def deprecations_in(
    text: str, lang: str, result: BlockResult, table: Iterable[Deprecation], latest: str
) -> list[str]:
    """Sentences for the deprecated or removed things this block uses (empty: none)."""
    notes: list[str] = []
    if lang in YAML_LANGS:
        for doc in _DOC_SPLIT.split(text):
            top = dict(m.groups() for m in _TOP.finditer(doc))
            api, kind = top.get("apiVersion", ""), top.get("kind", "")
            for dep in table:
                if kind not in dep.kinds:
                    continue
                if (dep.api and dep.api == api) or (dep.field and _has_field(doc, dep.field)):
                    notes.append(_sentence(dep, latest))
    for issue in result.issues:  # kubectl's own deprecation warnings (commands.WARNING_MESSAGES)
        if issue.severity == "warning" and "deprecated" in issue.message.lower():
            notes.append(f"kubectl {latest} warns: {_escape(issue.message)}")
    return list(dict.fromkeys(notes))


def _sentence(dep: Deprecation, latest: str) -> str:
    what = dep.describe()
    if dep.removed and _key(dep.removed) <= _key(latest):
        head = f"Removed in {dep.removed}: {what} is no longer served"
    else:
        head = f"Deprecated in {latest}: {what} (deprecated since {dep.deprecated})"
        head += f", removed in {dep.removed}" if dep.removed else ", no removal scheduled yet"
    return f"{head}. Use {dep.use} ([source]({dep.source}))."


# ---------------------------------------------------------------------------------------------
# The per-snippet line


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def _reason(text: str) -> str:
    text = re.sub(r"\s+in v1\.\d+$", "", text.strip())
    if len(text) > MAX_REASON:
        text = text[: MAX_REASON - 1].rstrip() + "…"
    return _escape(text)


def version_line(lang: str, result: BlockResult) -> str | None:
    """The line's text (Markdown, without the link target), or None for a block that was
    not checked per minor (a diagram, config YAML, a shell block with no kubectl)."""
    if not result.versions:
        return None
    minors = sorted(result.versions, key=_key)
    good = [m for m in minors if not result.versions[m]]
    bad = [m for m in minors if result.versions[m]]
    tool = "kubectl" if lang in SHELL_LANGS else "Kubernetes"
    if not bad:
        return f"{tool} {' · '.join(good)}"
    if not good:
        return None  # invalid on every minor: the build fails on it anyway
    first = next(w for m in bad for w in result.versions[m])
    return f"{tool} {' · '.join(good)} only; not {' · '.join(bad)}: {_reason(first)}"


def _link(page_uri: str, target: str) -> str:
    return "../" * page_uri.count("/") + target


def results_by_page(placed: Iterable[PlacedBlock], docs_dir: Path) -> dict[str, list[PlacedBlock]]:
    """{page path under docs/: its checked blocks in order}."""
    out: dict[str, list[PlacedBlock]] = {}
    root = docs_dir.resolve()
    for block in placed:
        try:
            rel = block.path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        out.setdefault(rel, []).append(block)
    return out


@dataclass(frozen=True)
class Annotated:
    markdown: str
    lines: int  # version lines inserted
    deprecations: list[tuple[int, str]]  # (Markdown line of the block, note)


def annotate(
    markdown: str,
    page_uri: str,
    blocks: list[PlacedBlock],
    table: Iterable[Deprecation],
    latest: str | None = None,
) -> Annotated:
    """``markdown`` with a version line (and deprecation notes) after each checked block.
    Blocks are matched to results by language and text, in order, so a front matter that
    MkDocs stripped (shifting every line) does not matter."""
    latest = latest or project.versions().latest
    table = list(table)
    queue: dict[tuple[str, str], list[PlacedBlock]] = {}
    for placed in blocks:
        queue.setdefault((placed.lang, placed.text), []).append(placed)
    lines = markdown.split("\n")
    inserts: dict[int, list[str]] = {}  # 0-based index of the line to insert after
    deprecated: list[tuple[int, str]] = []
    count = 0
    for block in extract_from_text(Path(page_uri), markdown):
        matches = queue.get((block.lang, block.text))
        if block.problem or not matches:
            continue
        result = matches.pop(0).result
        body = len(block.text.splitlines()) if block.text else 0
        close = block.line - 1 + body  # 0-based index of the closing fence
        if close >= len(lines):
            continue
        indent = re.match(r"[ ]*", lines[block.line - 2].expandtabs(4)).group(0)
        extra: list[str] = []
        text = version_line(block.lang, result)
        if text is not None:
            count += 1
            extra += [
                "",
                f"{indent}[Checked]({_link(page_uri, EXPLAIN_PAGE)}) on {text}",
                f"{indent}{{ .snippet-versions data-search-exclude }}",
            ]
        for note in deprecations_in(block.text, block.lang, result, table, latest):
            deprecated.append((block.line - 1, note))
            extra += [
                "",
                f"{indent}**{note.split(':', 1)[0]}:**{note.split(':', 1)[1]}",
                f"{indent}{{ .snippet-deprecated data-search-exclude }}",
            ]
        if extra:
            if close + 1 < len(lines) and lines[close + 1].strip():
                extra.append("")
            inserts[close] = extra
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(i, ()))
    return Annotated("\n".join(out), count, deprecated)


# ---------------------------------------------------------------------------------------------
# The generated page "From the exam version to the latest"


def named_in_pages(docs_dir: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({gate name: pages}, {version fact id: pages}): the pages (under docs/) that state a
    gate's state with [[gate:...]] and a fact with [[fact:...]], each page read once."""
    from scripts.build.page_vars import TOKEN
    from scripts.content.feature_gates import SYNTAX

    gates: dict[str, list[str]] = {}
    facts: dict[str, list[str]] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        text = path.read_text("utf-8")
        for name in dict.fromkeys(m[1] for m in SYNTAX.finditer(text)):
            gates.setdefault(name, []).append(rel)
        found = (m["name"].partition("|")[0] for m in TOKEN.finditer(text) if m["kind"] == "fact")
        for fid in dict.fromkeys(found):
            facts.setdefault(fid, []).append(rel)
    return gates, facts


def fact_changes(facts, uses: dict[str, list[str]], exam: str, latest: str):  # type: ignore[no-untyped-def]
    """(name, state on the exam minor, state on the latest, history, pages) for every fact a
    page states whose state differs between the two minors."""
    from scripts.content import version_facts

    rows = []
    for fid in sorted(uses):
        fact = facts.get(fid)
        if fact is None:
            continue  # an unknown id already fails the build at its line (page_vars)
        before, after = version_facts.state_at(fact, exam), version_facts.state_at(fact, latest)
        if before != after:
            history = version_facts.render(fact, latest, history=True)
            rows.append((fact.name, before, after, history, uses[fid]))
    return rows


def _state(gate, version) -> str:  # type: ignore[no-untyped-def]
    entry = gate.at(version)
    if entry is None:
        removed = gate.removed_in is not None and version.minor_key >= gate.removed_in.minor_key
        return "removed" if removed else "not present"
    words = f"{entry.stage}, {'on' if entry.default else 'off'} by default"
    return words + (" (locked)" if entry.locked else "")


def page_titles(docs_dir: Path, pages: Iterable[str]) -> dict[str, str]:
    titles = {}
    for page in pages:
        path = docs_dir / page
        text = path.read_text("utf-8") if path.is_file() else ""
        m = re.search(r"^# (.+)$", text, re.M)
        titles[page] = m.group(1).strip() if m else page
    return titles


def gate_changes(
    gates,
    uses: dict[str, list[str]],
    exam: str,  # type: ignore[no-untyped-def]
    latest: str,
) -> list[tuple[str, str, str, list[str]]]:
    """(gate, state on exam, state on latest, pages) for each named gate whose state differs."""
    from scripts.content.feature_gates import Version

    old, new = Version.parse(exam), Version.parse(latest)
    rows = []
    for name in sorted(uses):
        gate = gates.find(name)
        if gate is None:
            continue
        before, after = _state(gate, old), _state(gate, new)
        if before != after:
            rows.append((name, before, after, uses[name]))
    return rows


def snippet_changes(
    by_page: dict[str, list[PlacedBlock]], exam: str, latest: str
) -> list[tuple[str, int, str, str]]:
    """(page, block line, "valid on ...", first reason) for blocks whose result on the exam
    minor differs from the latest."""
    rows = []
    for page in sorted(by_page):
        for block in by_page[page]:
            versions = block.result.versions
            if exam not in versions or latest not in versions:
                continue
            if bool(versions[exam]) == bool(versions[latest]):
                continue
            good = [m for m in sorted(versions, key=_key) if not versions[m]]
            why = next((w for m in sorted(versions, key=_key) for w in versions[m]), "")
            rows.append((page, block.line, " · ".join(good) or "none", why))
    return rows


def render_exam_page(
    gates,
    docs_dir: Path,
    by_page: dict[str, list[PlacedBlock]],  # type: ignore[no-untyped-def]
    exams: Iterable,
    versions: project.Versions | None = None,
    facts: dict | None = None,
) -> str:  # type: ignore[type-arg]
    """The Markdown of ``EXAM_PAGE``. ``facts``: data/version-facts.yaml as the build loaded it."""
    v = versions or project.versions()
    exam, latest = v.exam, v.latest
    up = "../"
    gate_pages, fact_pages = named_in_pages(docs_dir)
    g_rows = gate_changes(gates, gate_pages, exam, latest)
    f_rows = fact_changes(facts or {}, fact_pages, exam, latest)
    s_rows = snippet_changes(by_page, exam, latest)
    titles = page_titles(
        docs_dir,
        {p for r in g_rows for p in r[3]}
        | {p for r in f_rows for p in r[4]}
        | {r[0] for r in s_rows},
    )
    out = [
        "# From the exam version to the latest",
        "",
        f"The CKA, CKAD and CKS exam clusters run **Kubernetes v{exam}** "
        f"([Linux Foundation FAQ]({v.exam_source}), read {v.exam_checked}); this site is "
        f"verified against **v{latest}**. This page is generated at build time from the "
        "site's data and check results: it lists what differs between the two minors for "
        "the topics on this site, each with the page that covers it.",
        "",
        "## Feature gates named on this site",
        "",
        f"Every gate a page states the state of, whose stage or default is not the same in "
        f"v{exam} and v{latest} (from the feature-gate data, read from kubernetes.io and "
        "the Kubernetes source).",
        "",
    ]
    if g_rows:
        out += [f"| Feature gate | v{exam} | v{latest} | Covered on |", "| --- | --- | --- | --- |"]
        for name, before, after, pages in g_rows:
            links = ", ".join(f"[{titles[p]}]({up}{p})" for p in pages)
            out.append(f"| `{name}` | {before} | {after} | {links} |")
    else:
        out.append(f"No gate named on this site changed between v{exam} and v{latest}.")
    out += [
        "",
        "## Other version facts named on this site",
        "",
        f"API versions, fields and tools whose state is not the same in v{exam} and v{latest} "
        "(from the site's version-fact data, in which every entry names the source it was "
        "checked against).",
        "",
    ]
    if f_rows:
        out += [
            f"| Fact | v{exam} | v{latest} | History | Covered on |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, before, after, history, pages in f_rows:
            links = ", ".join(f"[{titles[p]}]({up}{p})" for p in pages)
            out.append(f"| {name} | {before} | {after} | {history} | {links} |")
    else:
        out.append(f"No version fact named on this site changed between v{exam} and v{latest}.")
    out += [
        "",
        "## Snippets that differ",
        "",
        "Manifests and commands that the checks accept on one of the two minors but not "
        "the other ([how snippets are checked](how-snippets-are-checked.md)).",
        "",
    ]
    if s_rows:
        out += ["| Page | Valid on | Why |", "| --- | --- | --- |"]
        for page, line, good, why in s_rows:
            out.append(f"| [{titles[page]}]({up}{page}) (line {line}) | {good} | {_escape(why)} |")
    else:
        out.append(f"Every checked snippet holds on both v{exam} and v{latest}.")
    out += [
        "",
        "## Notes per exam",
        "",
        "From each exam's version notes in the exam guide's data.",
        "",
    ]
    for ex in exams:
        out.append(f"### {ex.name}")
        out.append("")
        if not ex.version_notes:
            out += ["No version notes.", ""]
        for note in ex.version_notes:
            out.append(
                f"- {note.text} ([source]({note.source}); "
                f"[exam guide]({up}exam-guide/{ex.id}.md#kubernetes-version-on-the-exam))"
            )
        out.append("")
    return "\n".join(out)
