"""Every page follows CONTRIBUTING.md's template and word rules (plain text checks, no browser).

Why a test and not review: 61 pages were written by several people from chat-pasted notes.
The template (one H1, official links last), the three admonition types, accessible captioned
diagrams and the absence of chat residue and mojibake are easy to get wrong and easy to check
mechanically. Every problem reads `file:line: what is wrong`. Each check is a function over a
Page, so the planted pages at the end prove that every check can fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts import project
from scripts.snippets.blocks import Block, extract_blocks

REPO = project.ROOT
DOCS = REPO / "docs"
GLOSSARY_DATA = REPO / "data" / "glossary"
NOT_CONTENT = {"index.md", "404.md", "reference/glossary.md"}

ADMONITION = re.compile(r"^\s*(?P<marker>!!!|\?\?\?\+?)(?P<rest>.*)$")
ADMONITION_TYPES = {"tip", "warning", "danger"}
QUESTIONS_PAGE = "reference/interview-qa.md"
QUESTIONS_SECTION = "Interview questions"
OFFICIAL_SECTION = "Official documentation"
# kubernetes.io, or an add-on's own documentation (*.k8s.io covers the SIG projects).
OFFICIAL_LINK = re.compile(
    r"\]\(https://(?:kubernetes\.io/|[a-z0-9.-]+\.k8s\.io/|etcd\.io/|coredns\.io/"
    r"|prometheus\.io/|prometheus-operator\.dev/|grafana\.com/|docs\.docker\.com/"
    r"|containerd\.io/|cni\.dev/|helm\.sh/|kubernetes-csi\.github\.io/"
    r"|github\.com/(?:kubernetes|kubernetes-sigs|kubernetes-csi|prometheus-community)/)"
)

MASTER = re.compile(r"\bmaster", re.IGNORECASE)
MASTER_PAGE = "architecture/control-plane.md"
# Real identifiers that cannot be renamed; allowed only inside inline code.
MASTER_IDENTIFIERS = {"node-role.kubernetes.io/master", "system:masters"}
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
URL = re.compile(r"https?://[^\s)>\]]+")

RESIDUE = {
    "chat opener 'Perfect —'": re.compile("Perfect\\s*[\u2014\u2013-]"),
    "citation widget 'Kubernetes +'": re.compile(r"Kubernetes \+"),
    "citation widget count '+N'": re.compile(r"^\s*\+\d+\s*$"),
    "chat phrase 'Short, honest answer'": re.compile(r"Short, honest answer", re.IGNORECASE),
    "chat phrase 'let's do it'": re.compile("let['\u2019]s do it", re.IGNORECASE),
    "chat check mark '✔️'": re.compile("\u2714"),
}
# UTF-8 read as Windows-1252 or Mac Roman, a stray BOM, and the replacement character.
MOJIBAKE = ("â€", "Ã", "Â", "ðŸ", "üîπ", "\u201aÄ", "ï»¿", "\ufffd")


@dataclass(frozen=True)
class Page:
    """A Markdown page with the file lines that are prose (outside fences and front matter)."""

    rel: str
    lines: tuple[str, ...]
    blocks: tuple[Block, ...]
    prose: frozenset[int]  # 1-based line numbers

    def prose_lines(self) -> list[tuple[int, str]]:
        return [(n, self.lines[n - 1]) for n in sorted(self.prose)]

    def where(self, line: int) -> str:
        return f"docs/{self.rel}:{line}"


def _closing_fence(block: Block) -> int:
    return block.line + len(block.text.splitlines())


def _front_matter(lines: list[str]) -> set[int]:
    if not lines or lines[0].strip() != "---":
        return set()
    for n, text in enumerate(lines[1:], 2):
        if text.strip() == "---":
            return set(range(1, n + 1))
    return set()


def load_page(root: Path, rel: str) -> Page:
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = extract_blocks(path)
    hidden = _front_matter(lines)
    for block in blocks:  # from the opening fence to the closing one (or the end of the file)
        hidden.update(range(block.line - 1, min(_closing_fence(block), len(lines)) + 1))
    prose = frozenset(n for n in range(1, len(lines) + 1) if n not in hidden)
    return Page(rel, tuple(lines), tuple(blocks), prose)


def h2_sections(page: Page) -> list[tuple[int, str]]:
    """(line, title) of every `## ` heading in the prose."""
    return [(n, t[3:].strip()) for n, t in page.prose_lines() if t.startswith("## ")]


def section_of(page: Page, line: int) -> str:
    """Title of the H2 a line sits under ("" before the first H2)."""
    title = ""
    for n, t in h2_sections(page):
        if n > line:
            break
        title = t
    return title


# ---------------------------------------------------------------------------------------------
# Checks: each returns the problems of one page as "file:line: what is wrong".


def check_h1(page: Page) -> list[str]:
    h1 = [n for n, t in page.prose_lines() if re.match(r"^ {0,3}#(\s|$)", t)]
    h1 += [
        n - 1
        for n, t in page.prose_lines()  # setext: a line of "=" under text
        if re.match(r"^ {0,3}=+\s*$", t) and n - 1 in page.prose and page.lines[n - 2].strip()
    ]
    if not h1:
        return [f"{page.where(1)}: no H1 title (`# Title`)"]
    h1.sort()
    return [f"{page.where(n)}: second H1 (the title is on line {h1[0]})" for n in h1[1:]]


def check_official_section(page: Page) -> list[str]:
    sections = h2_sections(page)
    official = [n for n, t in sections if t == OFFICIAL_SECTION]
    if not official:
        return [f"{page.where(len(page.lines))}: no '## {OFFICIAL_SECTION}' section"]
    start = official[-1]
    problems = [
        f"{page.where(n)}: '## {t}' comes after '## {OFFICIAL_SECTION}' (line {start}),"
        " which must be the last H2"
        for n, t in sections
        if n > start
    ]
    body = [(n, t) for n, t in page.prose_lines() if n > start]
    if not any(OFFICIAL_LINK.search(t) for _, t in body):
        problems.append(
            f"{page.where(start)}: '## {OFFICIAL_SECTION}' has no link to "
            "https://kubernetes.io/ or to an add-on's official documentation"
        )
    problems += [
        f"{page.where(n)}: link is not https: {m[0]}"
        for n, t in body
        for m in re.finditer(r"\]\(http://[^)]*\)", t)
    ]
    return problems


def check_admonitions(page: Page) -> list[str]:
    problems = []
    for n, text in page.prose_lines():
        match = ADMONITION.match(text)
        if not match:
            continue
        words = match["rest"].split()
        kind = words[0] if words else ""
        if kind == "question" and match["marker"].startswith("???"):
            if not re.match(r'^\s*question\s+".+"\s*$', match["rest"]):
                problems.append(f'{page.where(n)}: write the question as ??? question "..."')
            elif page.rel != QUESTIONS_PAGE and section_of(page, n) != QUESTIONS_SECTION:
                problems.append(f"{page.where(n)}: ??? question outside '## {QUESTIONS_SECTION}'")
        elif kind not in ADMONITION_TYPES:
            problems.append(
                f"{page.where(n)}: admonition type {kind or '(none)'!r}; use "
                "tip, warning or danger (or ??? question for interview questions)"
            )
    return problems


def _caption_problem(page: Page, block: Block) -> str | None:
    """None if the next non-blank line after the closing fence opens a non-empty caption."""
    closing = _closing_fence(block)
    n = closing + 1
    while n <= len(page.lines) and not page.lines[n - 1].strip():
        n += 1
    if n > len(page.lines) or page.lines[n - 1].strip() != "/// caption":
        return f"{page.where(closing)}: mermaid fence is not followed by a '/// caption' block"
    body = []
    for m in range(n + 1, len(page.lines) + 1):
        if page.lines[m - 1].strip() == "///":
            return None if "".join(body).strip() else f"{page.where(n)}: empty caption"
        body.append(page.lines[m - 1])
    return f"{page.where(n)}: '/// caption' is never closed with '///'"


def check_diagrams(page: Page) -> list[str]:
    problems = []
    for block in page.blocks:
        if block.lang != "mermaid":
            continue
        opening = block.line - 1
        stripped = [t.strip() for t in block.text.splitlines()]
        if not any(t.startswith("accTitle:") and t[9:].strip() for t in stripped):
            problems.append(f"{page.where(opening)}: mermaid diagram has no 'accTitle:' line")
        if not any(re.match(r"accDescr\s*(:\s*\S|\{)", t) for t in stripped):
            problems.append(f"{page.where(opening)}: mermaid diagram has no 'accDescr' line")
        caption = _caption_problem(page, block)
        if caption:
            problems.append(caption)
    return problems


def check_residue_and_mojibake(page: Page) -> list[str]:
    """Every line, code included: residue or mojibake in a code block is published too."""
    problems = []
    for n, text in enumerate(page.lines, 1):
        problems += [
            f"{page.where(n)}: {name}: {text.strip()[:80]}"
            for name, pattern in RESIDUE.items()
            if pattern.search(text)
        ]
        problems += [
            f"{page.where(n)}: mojibake {bad!r}: {text.strip()[:80]}"
            for bad in MOJIBAKE
            if bad in text
        ]
    return problems


def master_hits(where: str, text: str) -> tuple[list[str], list[str]]:
    """(uses in prose, bad uses in inline code) of "master" on one line; URLs are ignored."""
    text = URL.sub("", text)
    in_code = []
    for span in INLINE_CODE.finditer(text):
        code = span[2].strip()
        if MASTER.search(code) and code not in MASTER_IDENTIFIERS:
            in_code.append(
                f"{where}: 'master' in inline code `{code}` (only the real "
                f"identifiers {sorted(MASTER_IDENTIFIERS)} may keep it)"
            )
    prose = INLINE_CODE.sub("", text)
    return [f"{where}: '{m[0]}' outside code" for m in MASTER.finditer(prose)], in_code


def check_master(lines: list[tuple[str, str]]) -> list[str]:
    """At most one "master" in the whole site's prose, and only on the control-plane page."""
    prose: list[str] = []
    problems: list[str] = []
    for where, text in lines:
        found, in_code = master_hits(where, text)
        prose += found
        problems += in_code
    if len(prose) > 1:
        problems += [
            f"'master' is allowed once (as a legacy synonym on docs/{MASTER_PAGE}); "
            f"found {len(prose)}:",
            *prose,
        ]
    elif prose and not prose[0].startswith(f"docs/{MASTER_PAGE}:"):
        problems.append(f"{prose[0]} (the one allowed use belongs on docs/{MASTER_PAGE})")
    return problems


def site_text_lines(pages: list[Page], glossary_dir: Path) -> list[tuple[str, str]]:
    """(where, text) of all words a reader sees: the pages' prose, their diagrams (a mermaid
    fence is rendered as text, not shown as code), and the glossary data that the build renders
    onto the glossary page and into every page's hover text."""
    out = [(page.where(n), t) for page in pages for n, t in page.prose_lines()]
    out += [
        (page.where(block.line + i), t)
        for page in pages
        for block in page.blocks
        if block.lang == "mermaid"
        for i, t in enumerate(block.text.splitlines())
    ]
    for path in sorted(glossary_dir.glob("*.yaml")):
        rel = path.relative_to(glossary_dir.parents[1]).as_posix()
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not text.lstrip().startswith("#"):
                out.append((f"{rel}:{n}", text))
    return out


# ---------------------------------------------------------------------------------------------
# The real site

ALL_PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
CONTENT_PAGES = [p for p in ALL_PAGES if p not in NOT_CONTENT]
PAGE_CHECKS = [check_h1, check_official_section, check_admonitions, check_diagrams]


def assert_no_problems(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def test_site_has_content_pages() -> None:
    assert len(CONTENT_PAGES) >= 50, CONTENT_PAGES  # a wrong DOCS path must not pass vacuously


@pytest.mark.parametrize("rel", CONTENT_PAGES)
def test_content_page_follows_the_template(rel: str) -> None:
    page = load_page(DOCS, rel)
    assert_no_problems([p for check in PAGE_CHECKS for p in check(page)])


@pytest.mark.parametrize("rel", ALL_PAGES)
def test_no_chat_residue_or_mojibake(rel: str) -> None:
    assert_no_problems(check_residue_and_mojibake(load_page(DOCS, rel)))


def test_master_appears_at_most_once_as_a_legacy_synonym() -> None:
    pages = [load_page(DOCS, rel) for rel in ALL_PAGES]
    assert_no_problems(check_master(site_text_lines(pages, GLOSSARY_DATA)))


# ---------------------------------------------------------------------------------------------
# Planted pages: every check reports its problem at the right line.

GOOD = """# Title

Intro.

## How it works

```mermaid
flowchart LR
  accTitle: A to B
  accDescr: A sends to B.
  A --> B
```
/// caption
A talks to B.
///

!!! tip "Advice"
    Body.

```bash
# a comment, not a heading; !!! note inside code is fine
```

## Interview questions

??? question "Why?"
    Because.

## Official documentation

- [Pods](https://kubernetes.io/docs/concepts/workloads/pods/)
"""

# (id, old text, new text, check, line of the problem, words of the message)
PLANTED = [
    ("no-h1", "# Title\n", "Title\n", check_h1, 1, "no H1"),
    ("two-h1", "Intro.\n", "Intro.\n# Again\n", check_h1, 4, "second H1 (the title is on line 1)"),
    ("setext-h1", "Intro.\n", "Intro\n=====\n", check_h1, 3, "second H1"),
    (
        "no-official",
        "## Official documentation",
        "## Links",
        check_official_section,
        31,
        "no '## Official documentation'",
    ),
    (
        "official-not-last",
        "- [Pods]",
        "## More\n\n- [Pods]",
        check_official_section,
        31,
        "'## More' comes after",
    ),
    (
        "official-no-link",
        "https://kubernetes.io/docs/",
        "https://example.com/",
        check_official_section,
        29,
        "no link to https://kubernetes.io/",
    ),
    ("note-admonition", "!!! tip", "!!! note", check_admonitions, 17, "type 'note'"),
    ("info-collapsible", "??? question", "???+ info", check_admonitions, 26, "type 'info'"),
    (
        "question-untitled",
        '??? question "Why?"',
        "??? question",
        check_admonitions,
        26,
        '??? question "..."',
    ),
    (
        "question-elsewhere",
        "## Interview questions",
        "## Pitfalls",
        check_admonitions,
        26,
        "outside '## Interview questions'",
    ),
    ("no-acctitle", "  accTitle: A to B\n", "", check_diagrams, 7, "no 'accTitle:'"),
    ("no-accdescr", "  accDescr: A sends to B.\n", "", check_diagrams, 7, "no 'accDescr'"),
    (
        "no-caption",
        "/// caption\nA talks to B.\n///\n",
        "Text.\n",
        check_diagrams,
        12,
        "not followed by a '/// caption'",
    ),
    ("empty-caption", "A talks to B.\n", "", check_diagrams, 13, "empty caption"),
    (
        "residue-perfect",
        "Intro.",
        "Perfect — let's go.",
        check_residue_and_mojibake,
        3,
        "Perfect —",
    ),
    ("residue-widget", "Intro.", "Kubernetes +4", check_residue_and_mojibake, 3, "Kubernetes +"),
    ("residue-check", "Body.", "✔️ Correct", check_residue_and_mojibake, 18, "check mark"),
    (
        "residue-in-code",
        "# a comment",
        "# Short, honest answer:",
        check_residue_and_mojibake,
        21,
        "Short, honest answer",
    ),
    ("mojibake", "Intro.", "Podâ€™s network", check_residue_and_mojibake, 3, "mojibake 'â€'"),
    ("mojibake-mac", "Intro.", "üîπ Pods", check_residue_and_mojibake, 3, "mojibake"),
]


def _plant(tmp_path: Path, text: str, rel: str = "workloads/x.md") -> Page:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_page(tmp_path, rel)


def test_planted_good_page_passes(tmp_path: Path) -> None:
    page = _plant(tmp_path, GOOD)
    assert_no_problems(
        [p for check in [*PAGE_CHECKS, check_residue_and_mojibake] for p in check(page)]
    )


@pytest.mark.parametrize(
    ("old", "new", "check", "line", "message"),
    [p[1:] for p in PLANTED],
    ids=[p[0] for p in PLANTED],
)
def test_planted_problem_is_reported_at_its_line(
    tmp_path: Path, old: str, new: str, check, line: int, message: str
) -> None:
    assert old in GOOD
    problems = check(_plant(tmp_path, GOOD.replace(old, new, 1)))
    assert any(p.startswith(f"docs/workloads/x.md:{line}: ") and message in p for p in problems), (
        problems
    )


def test_master_rule(tmp_path: Path) -> None:
    def problems(*pages: tuple[str, str]) -> list[str]:
        loaded = [_plant(tmp_path, text, rel) for rel, text in pages]
        return check_master(site_text_lines(loaded, tmp_path / "no-glossary"))

    legacy = (MASTER_PAGE, 'Older material calls it a "master" node.\n')
    assert problems(legacy) == []
    assert problems(("a.md", "See `system:masters` and [x](https://g.com/blob/master/a).\n")) == []
    assert problems(("a.md", "A master node.\n"))[0].startswith("docs/a.md:1: 'master' outside")
    two = problems(legacy, ("b.md", "# B\n\nThe masters.\n"))
    assert "found 2" in two[0] and two[2].startswith("docs/b.md:3:")
    assert problems(("c.md", "Label `node-role/master`.\n"))[0].startswith(
        "docs/c.md:1: 'master' in inline code"
    )
    assert problems(("d.md", "```bash\nkubectl get nodes # master\n```\n")) == []
    diagram = problems(("e.md", "```mermaid\nflowchart LR\n  M[master] --> W\n```\n"))
    assert diagram[0].startswith("docs/e.md:3: 'master' outside code"), diagram
