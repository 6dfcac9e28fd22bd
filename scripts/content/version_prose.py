"""A lint for version facts typed as prose: every stated state with a release needs a source.

Why: the contradiction check (`scripts.content.feature_gates`) only catches a typed state it
can compare with data, next to a gate's name. "kube-dns is deprecated since v1.37" or "the
`--record` flag was deprecated in 1.14" names no gate, so nothing would notice when it goes
stale or was never true. A page either takes the words from data (`[[gate:Name]]`,
`[[fact:id]]`, `[[version:...]]`), or links the primary source the statement rests on.

A finding is a sentence (or clause, or table cell, split like the contradiction check) of page
prose that has, typed outside code spans and tokens, either a state word (`STATE`) and a
release (`RELEASE`, v1.NN or 1.NN), or a release right after a word of time or change
(`CHANGE`: "since v1.24", "from v1.36 to v1.37", "in v1.28", "as of 1.30", "until v1.24";
a release with no state word is still a fact about a release, or a current version that
drifts when the latest release changes), and no link to a primary source
(`PRIMARY_SOURCE`: a kubernetes/kubernetes CHANGELOG, PR or release, a kubernetes.io blog post
(or its source in kubernetes/website), a KEP, or an add-on's release
notes). Fenced code, inline code, link text, front matter, HTML comments and the build's
"Checked on" lines are not prose. Generated pages are not checked (the caller passes only
pages with a file under docs/).

Command line: python -m scripts.content.version_prose [FILE_OR_DIR ...] (default docs/);
prints `file:line: what is wrong` and exits 1 on any finding not listed in
`data/version-prose-pending.yaml` (sentences not yet converted, reported on every build).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.common.datafile import load_rows, require
from scripts.content.feature_gates import CODE_SPAN, SENTENCE_END, paragraphs

STATE = re.compile(
    r"\b(?:(?i:alpha|beta|stable|generally\s+available|deprecat(?:ed|es|ion)|remov(?:ed|al)"
    r"|introduced|added|graduated|graduates|promoted|locked|defaults?))\b|\bGA\b"
)
# v1.35, 1.35, v1.9 (a bare "1.5" is too often a quantity to count; two digits are a minor)
RELEASE = re.compile(r"(?<![\w./-])(?:v1\.\d+|1\.\d{2})(?:\.\d+)?(?![\w.]*\d)")
# "since v1.14", "in v1.37", "from Kubernetes v1.8 on", "starting with v1.19": a release told
# as a point in time (a bare "1.NN" counts only here and next to a state word).
CHANGE = re.compile(
    r"\b(?i:since|in|from|as\s+of|until|till|before|after|on|starting\s+with)\s+"
    r"(?:Kubernetes\s+)?(?P<release>(?:v1\.\d+|1\.\d{2})(?:\.\d+)?)(?![\w.]*\d)"
)
TOKEN = re.compile(r"\[\[(?:gate|fact|version|download):[^\]\s]+\]\]")
# The text of a link names its target ("[Deprecated API Migration Guide: v1.22](...)"): not a
# statement of this page. The URL stays, for PRIMARY_SOURCE.
LINK_TEXT = re.compile(r"(?<!!)\[([^\[\]]*)\](?=\()")
PRIMARY_SOURCE = re.compile(
    r"https?://(?:"
    r"github\.com/kubernetes/kubernetes/(?:pull/\d+|blob/[^\s)]*CHANGELOG[^\s)]*|releases/)"
    r"|github\.com/kubernetes/enhancements/(?:tree|blob)/[^\s)]*keps/"
    r"|github\.com/kubernetes/enhancements/issues/\d+"
    r"|kubernetes\.io/blog/\d{4}/"
    r"|github\.com/kubernetes/website/blob/[^\s)]*/content/en/blog/_posts/"
    r"|github\.com/[\w.-]+/[\w.-]+/(?:releases|blob/[^\s)]*(?:CHANGELOG|RELEASE)[^\s)]*)"
    r")"
)
CHECKED_ON = re.compile(r"^\s*(?:[*_]+)?Checked on\b")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


PENDING_FILE = project.DATA / "version-prose-pending.yaml"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    pending: str = ""  # the reason from data/version-prose-pending.yaml: reported, not failing

    def __str__(self) -> str:
        text = (
            f"{self.path}:{self.line}: version stated as prose ({self.text!r}): use "
            "[[gate:...]] / [[fact:...]] / [[version:...]], or link the release note, PR, "
            "KEP or blog post it rests on"
        )
        return f"{text} [pending: {self.pending}]" if self.pending else text


def load_pending(path: Path = PENDING_FILE) -> dict[tuple[str, str], str]:
    """data/version-prose-pending.yaml: sentences not yet converted (page, text as the
    finding prints it, reason). Each is reported on every build but does not fail it; delete
    the entry when the page is fixed."""
    if not path.is_file():
        return {}
    result = {}
    for row in load_rows(path):
        require(row, ("page", "text", "reason"))
        result[(str(row.data["page"]), str(row.data["text"]))] = str(row.data["reason"])
    return result


def _blank(match: re.Match[str]) -> str:
    """The matched text with every character but newlines turned to spaces (lines keep)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _prose(markdown: str) -> str:
    markdown = _FRONT_MATTER.sub(_blank, markdown)
    markdown = _COMMENT.sub(_blank, markdown)
    lines = ["" if CHECKED_ON.match(line) else line for line in markdown.split("\n")]
    return "\n".join(lines)


def _stated_release(piece: str) -> int | None:
    """Where the release a sentence states begins (a state with a release, or a release
    after a word of time), or None."""
    release = RELEASE.search(piece)
    if release is not None and STATE.search(piece):
        return release.start()
    change = CHANGE.search(piece)
    return change.start("release") if change is not None else None


def check(
    markdown: str, path: str, pending: dict[tuple[str, str], str] | None = None
) -> list[Finding]:
    """Every sentence that types a state and a release, or a release as a point in time,
    without a primary source (those in `pending` come back with their reason, for the caller
    to report without failing)."""
    pending = pending or {}
    findings: list[Finding] = []
    for text, lines in paragraphs(_prose(markdown)):
        if re.match(r"#+\s", text) and not STATE.search(text):
            continue  # a heading such as "## v1.36" or "## From 1.35 to 1.37"
        plain = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
        plain = TOKEN.sub(lambda m: " " * len(m.group(0)), plain)
        plain = LINK_TEXT.sub(lambda m: "[" + " " * len(m.group(1)) + "]", plain)
        pos = 0
        for piece in SENTENCE_END.split(plain):
            start = plain.index(piece, pos)
            pos = start + len(piece)
            release = _stated_release(piece)
            if release is None or PRIMARY_SOURCE.search(piece):
                continue
            # the reported text is the sentence as written (code and tokens included)
            said = " ".join(piece.split())[:120]
            line = lines[start + release]
            findings.append(Finding(path, line, said, pending.get((path, said), "")))
    return findings


def check_paths(
    paths: Iterable[Path], pending: dict[tuple[str, str], str] | None = None
) -> list[Finding]:
    findings: list[Finding] = []
    for p in paths:
        for f in sorted(p.rglob("*.md")) if p.is_dir() else [p]:
            findings += check(f.read_text(encoding="utf-8"), _rel(f), pending)
    return findings


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    findings = check_paths([Path(a) for a in args] or [project.ROOT / "docs"], load_pending())
    for finding in findings:
        print(finding)
    return 1 if any(not f.pending for f in findings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
