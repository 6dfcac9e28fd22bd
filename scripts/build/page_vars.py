"""Facts a page may name but must not type: `[[version:latest]]`, `[[download:pdf]]`.

Why: the Kubernetes versions and the download file names change with every release; typed
into a page they go stale silently (the home page's download links once named files no build
wrote). Pages write a token instead; the build replaces it from `data/versions.yaml` and
`scripts/project.py`, and an unknown token fails the build at `file:line`.

Tokens (outside fenced code only, so a Go template or an example in a code block is never
touched):
- `[[version:latest]]`, `[[version:exam]]`: a minor such as 1.37;
  `[[version:supported]]`: "1.35, 1.36 and 1.37"; `[[version:exam-checked]]`: when the exam
  version was read; `[[version:latest-1]]`, `[[version:latest-2]]`, ...: the minor that many
  releases before the latest (an upgrade example "from v1.36 to v1.37" moves with it).
- `[[download:<key>]]`: the path of a download relative to the page, for `<key>` in
  `project.DOWNLOADS` (pdf, offline-zip, ports-csv, ports-json).
- `[[fact:<id>]]`, `[[fact:<id>|history]]`: a version fact from `data/version-facts.yaml`
  ("stable since v1.19"; see `scripts.content.version_facts`). Feature gates have their own
  token, `[[gate:Name]]`, expanded after these.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scripts import project
from scripts.content import version_facts

# Any name, so that a misspelt one ("[[fact:Seccomp]]", "[[fact:x|histry]]") fails too.
TOKEN = re.compile(r"\[\[(?P<kind>version|download|fact):(?P<name>[^\]\s]+)\]\]")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


class PageVarError(ValueError):
    """An unknown token, reported as `file:line: what is wrong`."""


_BEFORE_LATEST = re.compile(r"latest-([1-9])")


def _version(name: str) -> str | None:
    v = project.versions()
    before = _BEFORE_LATEST.fullmatch(name)
    if before:
        major, minor = (int(part) for part in v.latest.split("."))
        return f"{major}.{minor - int(before.group(1))}"
    supported = list(v.supported)
    return {
        "latest": v.latest,
        "exam": v.exam,
        "exam-checked": v.exam_checked,
        "supported": ", ".join(supported[:-1]) + " and " + supported[-1]
        if len(supported) > 1
        else "".join(supported),
    }.get(name)


def _download(name: str, page_uri: str) -> str | None:
    if name not in project.DOWNLOADS:
        return None
    up = "../" * page_uri.count("/")
    return f"{up}downloads/{project.download_name(name)}"


def expand(
    markdown: str,
    path: str,
    page_uri: str,
    facts: dict[str, version_facts.Fact] | None = None,
) -> str:
    """Replace every token outside fenced code; `path` names the file in errors, `page_uri`
    (relative to docs/, e.g. `reference/ports.md`) decides relative download links. `facts`:
    data/version-facts.yaml as the build loaded it once (read here, only if a page has a
    fact token, when not given; never kept between calls, so `make serve` sees an edit)."""
    loaded: list[dict[str, version_facts.Fact]] = [] if facts is None else [facts]

    def fact(name: str) -> str | None:
        if not loaded:
            loaded.append(version_facts.load())
        return version_facts.resolve(name, loaded[0])

    resolvers: dict[str, Callable[[str], str | None]] = {
        "version": _version,
        "download": lambda name: _download(name, page_uri),
        "fact": fact,
    }
    out: list[str] = []
    fence: str | None = None
    for number, line in enumerate(markdown.split("\n"), 1):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
        elif fence is not None and line.strip().startswith(fence[0] * len(fence)):
            fence = None
        elif fence is None and "[[" in line:

            def replace(match: re.Match[str], number: int = number) -> str:
                value = resolvers[match["kind"]](match["name"])
                if value is None:
                    raise PageVarError(f"{path}:{number}: unknown token {match[0]}")
                return value

            line = TOKEN.sub(replace, line)
        out.append(line)
    return "\n".join(out)
