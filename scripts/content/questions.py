"""Every interview question on the site: one index page, stable anchors, self-test controls.

Why generated: the questions live at the end of the pages that explain them (`??? question`
blocks). A list kept by hand would miss the next question written; one collected at build time
cannot, and `index_problems` checks the rendered index against a separate, looser scan of the
pages, so a question the collector skipped fails the build.

What it does:

- `collect` reads every `??? question "..."` block (page, H2 section, question, answer
  Markdown) and gives each an anchor `q-<slug of the question>`, unique per page. A question's
  section and exams are those of its *topic page*: the page itself, or, on a page of
  collected questions (reference/interview-qa.md), the page its H2 group names in a
  `Background: [...](...)` line, so each question is counted once, in the section it belongs to.
- `render_index` writes `reference/questions.md`: progress table, filters, and every question
  grouped by section and page, each with a link to the question on its page.
- `QuestionsExtension` is a Markdown extension: while a page renders, it puts the anchor and
  the storage key on each question's `<details>` element (ids made here are seen by MkDocs'
  anchor validation, unlike ids added to the HTML later), appends the self-test buttons, adds
  the "Test yourself" bar before the first question and "Mark page as read" at the end of
  every content page. The build hook tells it which page is rendering (`plan`).

The controls are in the HTML from the server; `docs/assets/javascripts/selftest.js` only
switches their state, so nothing moves after the first paint. Everything here is a pure
function of the pages and the nav (no MkDocs import).
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from scripts.content import exam_guide, site_nav

INDEX_PAGE = "reference/questions.md"
INDEX_TITLE = "All interview questions"
QUESTION = re.compile(r'^(?P<indent>[ \t]*)\?\?\?\+?[ \t]+question[ \t]+"(?P<text>.*)"[ \t]*$')
# Deliberately looser than QUESTION (any title form, any indentation): the completeness check.
ANY_QUESTION = re.compile(r"^[ \t]*\?\?\?\+?[ \t]*question\b(?P<rest>.*)$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
BACKGROUND = re.compile(r"^Background:\s*\[[^\]]*\]\((?P<target>[^)#\s]+)")
LINK = re.compile(r"(?<!!)(\]\()(?P<target>[^)\s]+)(\))")
SLUG_MAX = 60


class QuestionsError(ValueError):
    """A question page the index cannot represent; `errors` holds `file:line: ...` lines."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Section:
    id: str  # the folder of its pages: "workloads"
    title: str  # its name in the nav: "Workloads"
    pages: tuple[str, ...]  # in nav order, relative to docs/
    labels: dict[str, str]  # page -> its (short) title in the nav


@dataclass(frozen=True)
class Question:
    page: str  # where it is written, relative to docs/
    line: int
    text: str  # the question, as Markdown inline text
    answer: str  # the answer's Markdown, de-indented
    anchor: str  # id of its <details> on its page
    heading: str  # the H2 it sits under
    topic: str  # the page whose section and exams it counts under
    section: str  # Section.id
    exams: tuple[str, ...]  # exam ids: "cka", "ckad", "cks"

    @property
    def key(self) -> str:
        """What the browser stores a mark under: the same on its page and on the index."""
        return f"{self.page}#{self.anchor}"

    @property
    def index_id(self) -> str:
        """Its id on the index page (unique across the site)."""
        return f"{self.page.removesuffix('.md').replace('/', '-')}--{self.anchor}"


@dataclass(frozen=True)
class Index:
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    titles: dict[str, str]  # page -> title
    exams: tuple[tuple[str, str], ...]  # (id, short name), e.g. ("cka", "CKA")

    def on_page(self, page: str) -> list[Question]:
        return [q for q in self.questions if q.page == page]

    def in_section(self, section: str) -> list[Question]:
        return [q for q in self.questions if q.section == section]

    def label(self, page: str) -> str:
        """The page's name in the nav (shorter than its H1), else its H1."""
        return next(
            (s.labels[page] for s in self.sections if s.labels.get(page)),
            self.titles.get(page, page),
        )


# ---------------------------------------------------------------------------------------------
# Reading the pages


def slugify(text: str) -> str:
    """`What is a "Pod"?` -> `what-is-a-pod`; at most SLUG_MAX characters, cut at a hyphen."""
    text = re.sub(r"[`*_]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "question"
    if len(slug) > SLUG_MAX:
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0]
    return slug


def nav_sections(nav: list[Any]) -> list[Section]:
    """The top-level nav groups (mkdocs.yml `nav:`) that hold pages in one folder each, read
    through `site_nav` so that the index, the EPUB and the flashcards group pages alike."""
    out = []
    for group in site_nav.sections(nav):
        if not group.grouped or not group.pages:
            continue
        pages = tuple(p.src for p in group.pages)
        labels = {p.src: p.title or "" for p in group.pages}
        out.append(Section(pages[0].split("/")[0], group.title, pages, labels))
    return out


def _title(lines: list[str], rel: str) -> str:
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("# "):
            return line[2:].strip()
    return rel


def parse_page(rel: str, text: str) -> tuple[str, list[tuple[int, str, str, str, str]]]:
    """(title, [(line, question, answer Markdown, H2 title, Background page or "")])."""
    lines = text.split("\n")
    found = []
    heading, background, in_fence = "", "", False
    index = 0
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("## "):
            heading, background = re.sub(r"\s*\{[^}]*\}\s*$", "", line[3:]).strip(), ""
        elif not in_fence and (bg := BACKGROUND.match(line)):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), bg["target"]))
            background = target
        elif not in_fence and (match := QUESTION.match(line)) and not match["indent"]:
            start = index + 1
            body: list[str] = []
            index += 1
            while index < len(lines) and (
                not lines[index].strip() or lines[index].startswith("    ")
            ):
                body.append(lines[index][4:])
                index += 1
            while body and not body[-1].strip():
                body.pop()
            found.append((start, match["text"], "\n".join(body), heading, background))
            continue
        index += 1
    return _title(lines, rel), found


def collect(
    docs_dir: Path,
    sections: list[Section],
    exams_of: dict[str, tuple[str, ...]],
    exam_names: tuple[tuple[str, str], ...] = (),
) -> Index:
    """Every question of every page under docs_dir, with its anchor, section and exams.

    `exams_of`: page -> exam ids it serves (from the exam guide's front matter claims).
    """
    docs_dir = Path(docs_dir)
    section_of = {p: s.id for s in sections for p in s.pages}
    questions: list[Question] = []
    titles: dict[str, str] = {}
    errors: list[str] = []
    for file in sorted(docs_dir.rglob("*.md")):
        rel = file.relative_to(docs_dir).as_posix()
        title, found = parse_page(rel, file.read_text(encoding="utf-8"))
        titles[rel] = title
        used: Counter[str] = Counter()
        for line, text, answer, heading, background in found:
            slug = "q-" + slugify(text)
            used[slug] += 1
            anchor = slug if used[slug] == 1 else f"{slug}-{used[slug]}"
            topic = background if background in section_of else rel
            if topic not in section_of:
                errors.append(
                    f"docs/{rel}:{line}: question on a page outside the nav's "
                    "sections; the index cannot place it"
                )
                continue
            questions.append(
                Question(
                    rel,
                    line,
                    text,
                    answer,
                    anchor,
                    heading,
                    topic,
                    section_of[topic],
                    tuple(exams_of.get(topic, ())),
                )
            )
    if errors:
        raise QuestionsError(errors)
    return Index(tuple(questions), tuple(sections), titles, tuple(exam_names))


# ---------------------------------------------------------------------------------------------
# The index page


def rebase_links(markdown: str, page: str, to: str = INDEX_PAGE) -> str:
    """Relative links of a page's Markdown, rewritten to work from the page `to`."""
    here, there = posixpath.dirname(page), posixpath.dirname(to)

    def fix(match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            return match[0]
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(here, path)) if path else page
        new = posixpath.relpath(resolved, there or ".") + (f"#{fragment}" if fragment else "")
        return f"{match[1]}{new}{match[3]}"

    return LINK.sub(fix, markdown)


def _link(page: str, to: str = INDEX_PAGE) -> str:
    return posixpath.relpath(page, posixpath.dirname(to) or ".")


def _count(kind: str, **data: str) -> str:
    attrs = "".join(f' data-qz-{k}="{html.escape(v)}"' for k, v in data.items())
    return f'<span class="qz-n" data-qz-count="{kind}"{attrs}>0</span>'


def _content_pages(section: Section) -> list[str]:
    return [p for p in section.pages if is_content_page(p)]


def _index_controls(index: Index, sections: list[Section], total: int) -> list[str]:
    """The mode toggle, the filters and the count line at the top of the index."""
    out: list[str] = []
    section_options = "".join(
        f'<option value="{s.id}">{html.escape(s.title)}</option>'
        for s in sections
        if index.in_section(s.id)
    )
    exam_options = "".join(
        f'<option value="{e}">{html.escape(name)}</option>' for e, name in index.exams
    )
    out += [
        '<div class="qz-bar qz-bar--index" data-qz-bar="index">',
        '<button type="button" class="qz-btn qz-mode" aria-pressed="false">Test yourself</button>',
        '<label class="qz-filter">Section <select data-qz-filter="section">'
        f'<option value="">All sections</option>{section_options}</select></label>',
        '<label class="qz-filter">Exam <select data-qz-filter="exam">'
        f'<option value="">All exams</option>{exam_options}</select></label>',
        '<label class="qz-filter">Show <select data-qz-filter="state">'
        '<option value="">All questions</option><option value="new">Not marked yet'
        '</option><option value="review">To review</option><option value="known">Known'
        "</option></select></label>",
        f'<p class="qz-status" aria-live="polite">Showing <span class="qz-n" '
        f'data-qz-count="visible">{total}</span> of {total} questions.</p>',
        "</div>",
        "",
    ]
    return out


def _index_progress(index: Index, sections: list[Section], total: int) -> list[str]:
    """The progress table (filled in by selftest.js) and the export/import controls."""
    out: list[str] = []
    out += [
        "## Your progress {#your-progress}",
        "",
        "| Section | Questions | Known | To review | Pages read |",
        "| --- | --- | --- | --- | --- |",
    ]
    for section in sections:
        count = len(index.in_section(section.id))
        pages = _content_pages(section)
        name = f"[{section.title}](#{section.id})" if count else section.title
        cells = (
            [_count("known", section=section.id), _count("review", section=section.id)]
            if count
            else ["-", "-"]
        )
        out.append(
            f"| {name} | {count} | {cells[0]} | {cells[1]} | "
            f"{_count('read', pages=' '.join(pages))} of {len(pages)} |"
        )
    all_pages = [p for s in sections for p in _content_pages(s)]
    out += [
        f"| **All sections** | **{total}** | **{_count('known')}** | "
        f"**{_count('review')}** | **{_count('read', pages=' '.join(all_pages))}** of "
        f"**{len(all_pages)}** |",
        "",
    ]
    out += [
        '<div class="qz-bar" data-qz-bar="files">',
        '<button type="button" class="qz-btn qz-export">Export progress</button>',
        '<button type="button" class="qz-btn qz-import">Import progress</button>',
        '<input type="file" accept=".json,application/json" class="qz-import-file" '
        'aria-label="Progress file to import" hidden>',
        '<p class="qz-status qz-message" role="status"></p>',
        "</div>",
        "",
    ]
    return out


def _index_groups(index: Index, sections: list[Section]) -> list[str]:
    """Every question, by section and page, with a link back to it on its page."""
    out: list[str] = []
    for section in sections:
        questions = index.in_section(section.id)
        if not questions:
            continue
        out += [f"## {section.title} {{#{section.id}}}", ""]
        order = [p for p in section.pages if any(q.page == p for q in questions)]
        order += sorted({q.page for q in questions} - set(order))
        for page in order:
            mine = [q for q in questions if q.page == page]
            out += [
                f"### [{index.label(page)}]({_link(page)})",
                "",
                f"{len(mine)} questions: {_count('known')} known, {_count('review')} to review.",
                "{ .qz-status data-qz-group }",
                "",
            ]
            for q in mine:
                answer = rebase_links(q.answer, q.page)
                body = [("    " + line) if line.strip() else "" for line in answer.split("\n")]
                out += [
                    f'??? question "{q.text}"',
                    *body,
                    "",
                    f"    On its page: [{index.label(q.page)}]({_link(q.page)}#{q.anchor})",
                    "",
                ]
    return out


def render_index(index: Index) -> str:
    """The Markdown of reference/questions.md."""
    total = len(index.questions)
    pages_with = sorted({q.page for q in index.questions})
    sections = [s for s in index.sections if index.in_section(s.id) or _content_pages(s)]
    out = [
        "---",
        "search:",
        "  exclude: true  # every answer is on its own page, found there",
        "---",
        f"# {INDEX_TITLE}",
        "",
        f"Every interview question on this site, {total} questions from "
        f"{len(pages_with)} pages, grouped by section and by the page that explains the "
        "topic. Each answer ends with a link to the question on its page.",
        "",
        "To study, choose **Test yourself**: the answers are hidden until you show them, "
        "one at a time, and you mark each one *Knew it* or *Review again*. Your marks, and "
        "the pages you marked as read, stay in this browser only; export them to a file to "
        "keep them or to move them to another browser.",
        "",
    ]
    out += _index_controls(index, sections, total)
    out += _index_progress(index, sections, total)
    out += _index_groups(index, sections)
    return "\n".join(out)


def is_content_page(page: str) -> bool:
    """Pages a reader can mark as read: every page in a section, except generated ones."""
    return "/" in page and not page.startswith("exam-guide/") and page != INDEX_PAGE


# ---------------------------------------------------------------------------------------------
# Completeness: a looser scan of the pages against the rendered index


INDEX_BLOCK = re.compile(r'^\?\?\? question "(?P<text>.*)"\n(?P<body>(?:(?: {4}.*)?\n)*)', re.M)
SOURCE_LINK = re.compile(r"On its page: \[[^\]]*\]\((?P<target>[^)#]+)#(?P<anchor>[^)]+)\)")


def scan_questions(docs_dir: Path) -> list[tuple[str, int, str]]:
    """(page, line, title text) of every line that opens a question block, at any indentation
    and in any form, outside code fences: what a reader sees as a question."""
    found = []
    for file in sorted(Path(docs_dir).rglob("*.md")):
        rel = file.relative_to(docs_dir).as_posix()
        if rel == INDEX_PAGE:
            continue
        in_fence = False
        for n, line in enumerate(file.read_text(encoding="utf-8").split("\n"), 1):
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and (match := ANY_QUESTION.match(line)):
                found.append((rel, n, match["rest"].strip().strip('"')))
    return found


def index_problems(docs_dir: Path, index_markdown: str) -> list[str]:
    """`docs/<page>:<line>: ...` for every question on a page that the index does not list
    (matched by page and question text, counting repeats)."""
    listed: Counter[tuple[str, str]] = Counter()
    for block in INDEX_BLOCK.finditer(index_markdown):
        link = SOURCE_LINK.search(block["body"])
        if link:
            page = posixpath.normpath(posixpath.join(posixpath.dirname(INDEX_PAGE), link["target"]))
            listed[(page, block["text"])] += 1
    problems = []
    for page, line, text in scan_questions(docs_dir):
        if listed[(page, text)]:
            listed[(page, text)] -= 1
        else:
            problems.append(
                f"docs/{page}:{line}: question {text!r} is not in the index "
                f'({INDEX_PAGE}); write it as ??? question "..." at the start '
                "of a line"
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Rendering pages: anchors and controls, through a Markdown tree processor


@dataclass
class PagePlan:
    """What the tree processor adds to the page being rendered."""

    page: str
    questions: list[tuple[str, str, dict[str, str]]]  # (id, storage key, data-* attributes)
    bar: bool  # the "Test yourself" bar before the first question
    read_button: bool
    index_link: str = ""  # relative link to the index's progress table


def plan_for(index: Index, page: str) -> PagePlan:
    if page == INDEX_PAGE:
        items = [
            (q.index_id, q.key, {"section": q.section, "exams": " ".join(q.exams)})
            for s in index.sections
            for q in _index_order(index, s)
        ]
        return PagePlan(page, items, bar=False, read_button=False)
    mine = index.on_page(page)
    items = [(q.anchor, q.key, {"section": q.section, "exams": " ".join(q.exams)}) for q in mine]
    return PagePlan(
        page,
        items,
        bar=bool(mine),
        read_button=is_content_page(page),
        index_link=f"{posixpath.relpath(INDEX_PAGE, posixpath.dirname(page) or '.')}#your-progress",
    )


def _index_order(index: Index, section: Section) -> list[Question]:
    questions = index.in_section(section.id)
    order = [p for p in section.pages if any(q.page == p for q in questions)]
    order += sorted({q.page for q in questions} - set(order))
    return [q for p in order for q in questions if q.page == p]


def _button(cls: str, text: str, **attrs: str) -> etree.Element:
    el = etree.Element("button", {"type": "button", "class": f"qz-btn {cls}", **attrs})
    el.text = text
    return el


def _controls() -> etree.Element:
    row = etree.Element("div", {"class": "qz-row", "data-search-exclude": ""})
    row.append(_button("qz-reveal", "Show answer", **{"aria-expanded": "false"}))
    row.append(_button("qz-mark", "Knew it", **{"data-qz-mark": "known", "aria-pressed": "false"}))
    row.append(
        _button("qz-mark", "Review again", **{"data-qz-mark": "review", "aria-pressed": "false"})
    )
    return row


def _page_bar(plan: PagePlan) -> etree.Element:
    bar = etree.Element(
        "div",
        {
            "class": "qz-bar",
            "data-qz-bar": "page",
            "data-qz-page": plan.page,
            "data-search-exclude": "",
        },
    )
    bar.append(_button("qz-mode", "Test yourself", **{"aria-pressed": "false"}))
    status = etree.SubElement(bar, "p", {"class": "qz-status", "aria-live": "polite"})
    count = len(plan.questions)
    known = etree.SubElement(status, "span", {"class": "qz-n", "data-qz-count": "known"})
    known.text = "0"
    known.tail = f" of {count} known, "
    review = etree.SubElement(status, "span", {"class": "qz-n", "data-qz-count": "review"})
    review.text = "0"
    review.tail = " to review. "
    link = etree.SubElement(status, "a", {"href": plan.index_link})
    link.text = "All questions and your progress"
    return bar


def _read_button(plan: PagePlan) -> etree.Element:
    box = etree.Element("div", {"class": "qz-read", "data-search-exclude": ""})
    box.append(
        _button(
            "qz-read-toggle",
            "Mark page as read",
            **{"aria-pressed": "false", "data-qz-page": plan.page},
        )
    )
    return box


class QuestionsTreeprocessor(Treeprocessor):
    def __init__(self, md: Any, ext: QuestionsExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        plan = self.ext.plan
        if plan is None:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        found = [el for el in root.iter("details") if "question" in (el.get("class") or "").split()]
        if len(found) != len(plan.questions):
            raise QuestionsError(
                [
                    f"docs/{plan.page}: {len(found)} question blocks rendered, "
                    f"{len(plan.questions)} collected; the index would be wrong"
                ]
            )
        for details, (ident, key, data) in zip(found, plan.questions, strict=True):
            details.set("id", ident)
            details.set("data-qz-key", key)
            for name, value in data.items():
                details.set(f"data-qz-{name}", value)
            details.append(_controls())
        if found and plan.bar:
            parent = parents[found[0]]
            parent.insert(list(parent).index(found[0]), _page_bar(plan))
        if plan.read_button:
            root.append(_read_button(plan))


class QuestionsExtension(Extension):
    """Registered once (build hook, on_config); `plan` is set before each page renders."""

    def __init__(self) -> None:
        super().__init__()
        self.plan: PagePlan | None = None

    def extendMarkdown(self, md: Any) -> None:
        # After attr_list (8) and inline (20); before MkDocs' anchor check and toc (5).
        md.treeprocessors.register(QuestionsTreeprocessor(md, self), "field_notes_questions", 7)


def build(
    docs_dir: Path, nav: list[Any], curricula: exam_guide.Curricula, site: exam_guide.Site
) -> tuple[Index, str]:
    """Collect, render the index, check it lists every question; raise QuestionsError.
    A question's exams are those its topic page serves (front matter `exams:`, drills)."""
    exams_of = {
        p: tuple(e.id for e in exam_guide.page_exams(curricula, site, p)) for p in site.titles
    }
    names = tuple((e.id, exam_guide.short_name(e)) for e in curricula.exams)
    index = collect(docs_dir, nav_sections(nav), exams_of, names)
    text = render_index(index)
    problems = index_problems(docs_dir, text)
    if problems:
        raise QuestionsError(problems)
    return index, text
