"""The Exam guide: CNCF curricula + page front matter + drills -> one Markdown page per exam.

Why generated: which page teaches which exam competency changes every time a page is added or
retagged. A guide kept by hand drifts from the pages; one rendered at build time cannot. There
are three inputs, each kept where it is edited:

- `data/exams.yaml`: the CKA, CKAD and CKS curricula (domains, weights, competencies as the
  CNCF words them), the competencies no page covers (`gaps:`, with the reason), and the pages
  being written (`planned:`, page -> competency ids);
- each page's front matter `exams: [<competency id>, ...]`: what that page teaches;
- the drills: `### Title {#drill-<id> data-domains="<domain id> ..."}` headings on pages whose
  front matter says `drills: true`.

Everything here is a pure function of those inputs (no MkDocs import), so the tests can plant a
mistake and the build hook only calls `load_curricula`, `collect_site`, `check_coverage` and
the `render_*` functions. Every problem reads `file:line: what is wrong`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from scripts import project
from scripts.common import parsed

EXAMS_FILE = project.DATA / "exams.yaml"
DOCS_DIR = project.DOCS
GUIDE_DIR = "exam-guide"  # the generated pages: exam-guide/index.md and exam-guide/<exam>.md

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DRILL_HEADING = re.compile(r"^###\s+(?P<title>.+?)\s*\{(?P<attrs>[^}]*)\}\s*$")
DRILL_ID = re.compile(r"(?:^|\s)#(?P<id>[A-Za-z0-9_-]+)")
DRILL_DOMAINS = re.compile(r'(?:^|\s)data-domains="(?P<domains>[^"]*)"')
FENCE = re.compile(r"^\s*(```|~~~)")

TOP_KEYS = {"curriculum_repository", "curriculum_commit", "exams", "planned"}
EXAM_KEYS = {"id", "name", "curriculum", "checked", "sources", "domains", "gaps", "version_notes"}
DOMAIN_KEYS = {"id", "name", "weight", "pdf_weight", "competencies"}
COMPETENCY_KEYS = {"id", "text"}
GAP_KEYS = {"id", "reason"}
NOTE_KEYS = {"text", "source"}


class ExamGuideError(ValueError):
    """Invalid exam data, front matter or drills; `errors` holds one `file:line: ...` each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Competency:
    id: str
    text: str
    domain: str
    exam: str
    line: int


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    weight: int
    pdf_weight: int | None
    competencies: tuple[Competency, ...]
    line: int


@dataclass(frozen=True)
class Note:
    text: str
    source: str


@dataclass(frozen=True)
class Exam:
    id: str
    name: str
    curriculum: str
    checked: str
    sources: tuple[str, ...]
    domains: tuple[Domain, ...]
    gaps: dict[str, str]
    version_notes: tuple[Note, ...]


@dataclass(frozen=True)
class Curricula:
    path: Path
    repository: str
    commit: str
    exams: tuple[Exam, ...]
    planned: dict[str, tuple[str, ...]]
    line_of: dict[str, int] = field(default_factory=dict)  # competency/domain/gap id -> line

    @property
    def competencies(self) -> dict[str, Competency]:
        return {c.id: c for e in self.exams for d in e.domains for c in d.competencies}

    @property
    def domains(self) -> dict[str, Domain]:
        return {d.id: d for e in self.exams for d in e.domains}

    def exam_of(self, competency_or_domain: str) -> str:
        domain = competency_or_domain.split("/")[0]
        return next(e.id for e in self.exams if any(d.id == domain for d in e.domains))


@dataclass(frozen=True)
class Drill:
    id: str
    title: str
    page: str  # relative to docs/
    domains: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Site:
    """What the pages say: their competency claims, drills, titles."""

    claims: dict[str, tuple[str, ...]]  # page -> competency ids (front matter `exams:`)
    drills: tuple[Drill, ...]
    titles: dict[str, str]  # page -> H1 text, for every page under docs/


Versions = project.Versions


# ---------------------------------------------------------------------------------------------
# Loading and validating data/exams.yaml


def _line(node: Any, key: Any = None, offset: int = 1) -> int:
    """1-based line of `key` in a mapping (or of the node itself); `offset` shifts it."""
    if isinstance(node, CommentedMap) and key is not None and key in node:
        return node.lc.key(key)[0] + offset
    if isinstance(node, (CommentedMap, CommentedSeq)):
        return node.lc.line + offset
    return offset


def _item_line(seq: CommentedSeq, index: int, offset: int = 1) -> int:
    return seq.lc.item(index)[0] + offset


def _load_yaml(path: Path, text: str | None = None) -> Any:
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
        return parsed.parse("exam-guide", text, YAML(typ="rt").load)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", exc)
        raise ExamGuideError([f"{show(path)}:{line}: yaml: {problem}"]) from exc


def show(path: Path) -> str:
    """A path as the reader typed it: relative to the working directory when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


class _Errors:
    def __init__(self, path: Path) -> None:
        self.path = show(path)
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {message}")

    def keys(self, node: Any, allowed: set[str], required: set[str], what: str) -> bool:
        """Check a mapping's keys; False if it is not a mapping."""
        if not isinstance(node, CommentedMap):
            self.add(_line(node), f"{what}: expected a mapping")
            return False
        for key in node:
            if key not in allowed:
                self.add(
                    _line(node, key),
                    f"{what}: unknown field {key!r} (allowed: {', '.join(sorted(allowed))})",
                )
        for key in sorted(required):
            value = node.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.add(_line(node, key), f"{what}: missing or empty field {key!r}")
        return True

    def seq(self, node: Any, key: str, what: str, empty_ok: bool = False) -> CommentedSeq:
        value = node.get(key) if isinstance(node, CommentedMap) else None
        if value is None and empty_ok:
            return CommentedSeq()
        if not isinstance(value, CommentedSeq) or (not value and not empty_ok):
            self.add(_line(node, key), f"{what}: {key!r} must be a non-empty list")
            return CommentedSeq()
        return value


def _https(value: object) -> bool:
    return isinstance(value, str) and value.startswith("https://") and " " not in value


def _load_domain(
    err: _Errors, exam_id: str, node: Any, seen: dict[str, int], line_of: dict[str, int]
) -> Domain | None:
    if not err.keys(node, DOMAIN_KEYS, {"id", "name", "weight"}, "domain"):
        return None
    domain_id = str(node.get("id", ""))
    if not domain_id.startswith(f"{exam_id}-") or not SLUG.match(domain_id):
        err.add(_line(node, "id"), f"domain: id {domain_id!r} must be '{exam_id}-<slug>'")
    if domain_id in seen:
        err.add(_line(node, "id"), f"domain: duplicate id {domain_id!r} (line {seen[domain_id]})")
    seen[domain_id] = _line(node, "id")
    line_of[domain_id] = _line(node, "id")
    weights = {}
    for key in ("weight", "pdf_weight"):
        value = node.get(key)
        if key in node and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100
        ):
            err.add(_line(node, key), f"domain {domain_id}: {key} must be a whole percentage 1-100")
            value = None
        weights[key] = value
    competencies = []
    items = err.seq(node, "competencies", f"domain {domain_id}")
    for index, item in enumerate(items):
        if not err.keys(item, COMPETENCY_KEYS, COMPETENCY_KEYS, f"domain {domain_id} competency"):
            continue
        cid = str(item.get("id", ""))
        prefix, _, slug = cid.partition("/")
        if prefix != domain_id or not SLUG.match(slug):
            err.add(_line(item, "id"), f"competency: id {cid!r} must be '{domain_id}/<slug>'")
        if cid in seen:
            err.add(_line(item, "id"), f"competency: duplicate id {cid!r} (line {seen[cid]})")
        seen[cid] = line_of[cid] = _line(item, "id")
        competencies.append(
            Competency(
                cid,
                " ".join(str(item.get("text", "")).split()),
                domain_id,
                exam_id,
                _item_line(items, index),
            )
        )
    return Domain(
        domain_id,
        str(node.get("name", "")),
        weights["weight"] or 0,
        weights["pdf_weight"],
        tuple(competencies),
        _line(node, "id"),
    )


def _load_exam(
    err: _Errors, node: Any, seen: dict[str, int], line_of: dict[str, int]
) -> Exam | None:
    if not err.keys(node, EXAM_KEYS, EXAM_KEYS - {"gaps", "version_notes"}, "exam"):
        return None
    exam_id = str(node.get("id", ""))
    if not SLUG.match(exam_id):
        err.add(_line(node, "id"), f"exam: id {exam_id!r} must be lower-case letters and digits")
    if not DATE.match(str(node.get("checked", ""))):
        err.add(_line(node, "checked"), f"exam {exam_id}: checked must be a YYYY-MM-DD string")
    sources = err.seq(node, "sources", f"exam {exam_id}")
    for index, url in enumerate(sources):
        if not _https(url):
            err.add(
                _item_line(sources, index), f"exam {exam_id}: source {url!r} is not an https URL"
            )
    domains = [
        d
        for d in (
            _load_domain(err, exam_id, item, seen, line_of)
            for item in err.seq(node, "domains", f"exam {exam_id}")
        )
        if d
    ]
    total = sum(d.weight for d in domains)
    if domains and total != 100:
        err.add(
            _line(node, "domains"), f"exam {exam_id}: domain weights add up to {total}%, not 100%"
        )
    own = {c.id for d in domains for c in d.competencies}
    gaps: dict[str, str] = {}
    items = err.seq(node, "gaps", f"exam {exam_id}", empty_ok=True)
    for item in items:
        if not err.keys(item, GAP_KEYS, GAP_KEYS, f"exam {exam_id} gap"):
            continue
        gid = str(item.get("id", ""))
        if gid not in own:
            err.add(_line(item, "id"), f"gap: {gid!r} is not a competency of {exam_id}")
        elif gid in gaps:
            err.add(_line(item, "id"), f"gap: {gid!r} is listed twice")
        gaps[gid] = " ".join(str(item.get("reason", "")).split())
        line_of[f"gap:{gid}"] = _line(item, "id")
    notes = []
    for item in err.seq(node, "version_notes", f"exam {exam_id}", empty_ok=True):
        if not err.keys(item, NOTE_KEYS, NOTE_KEYS, f"exam {exam_id} version note"):
            continue
        if not _https(item.get("source")):
            err.add(
                _line(item, "source"), f"exam {exam_id}: version note source is not an https URL"
            )
        notes.append(Note(" ".join(str(item.get("text", "")).split()), str(item.get("source"))))
    return Exam(
        exam_id,
        str(node.get("name", "")),
        str(node.get("curriculum", "")),
        str(node.get("checked", "")),
        tuple(str(s) for s in sources),
        tuple(domains),
        gaps,
        tuple(notes),
    )


def load_curricula(path: Path = EXAMS_FILE) -> Curricula:
    """Read and validate data/exams.yaml; raise ExamGuideError listing every problem."""
    path = Path(path)
    err = _Errors(path)
    doc = _load_yaml(path)
    if not err.keys(doc, TOP_KEYS, TOP_KEYS - {"planned"}, "file"):
        raise ExamGuideError(err.items)
    if not _https(doc.get("curriculum_repository")):
        err.add(_line(doc, "curriculum_repository"), "curriculum_repository: not an https URL")
    if not COMMIT.match(str(doc.get("curriculum_commit", ""))):
        err.add(_line(doc, "curriculum_commit"), "curriculum_commit: expected 40 hex digits")
    seen: dict[str, int] = {}
    line_of: dict[str, int] = {}
    exams = [
        e
        for e in (_load_exam(err, item, seen, line_of) for item in err.seq(doc, "exams", "file"))
        if e
    ]
    known = {c.id for e in exams for d in e.domains for c in d.competencies}
    planned: dict[str, tuple[str, ...]] = {}
    node = doc.get("planned")
    if node is not None and not isinstance(node, CommentedMap):
        err.add(_line(doc, "planned"), "planned: expected a mapping of page -> competency ids")
    elif node is not None:
        for page, ids in node.items():
            if not str(page).endswith(".md") or str(page).startswith(("/", "docs/")):
                err.add(
                    _line(node, page),
                    f"planned: {page!r} must be a page path relative to "
                    "docs/, e.g. workloads/probes.md",
                )
            if not isinstance(ids, CommentedSeq) or not ids:
                err.add(
                    _line(node, page),
                    f"planned: {page}: expected a non-empty list of competency ids",
                )
                continue
            for index, cid in enumerate(ids):
                if cid not in known:
                    err.add(_item_line(ids, index), f"planned: {page}: unknown competency {cid!r}")
            planned[str(page)] = tuple(str(c) for c in ids)
    if err.items:
        raise ExamGuideError(err.items)
    return Curricula(
        path,
        str(doc["curriculum_repository"]),
        str(doc["curriculum_commit"]),
        tuple(exams),
        planned,
        line_of,
    )


# ---------------------------------------------------------------------------------------------
# Reading the pages: front matter claims, drills, titles


def split_front_matter(text: str) -> tuple[str | None, int]:
    """(front matter YAML or None, file line where the YAML starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0
    for n, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1 : n - 1]), 2
    return None, 0


def _title(text: str) -> str | None:
    in_fence = False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("# "):
            return line[2:].strip()
    return None


def _drills(path: str, rel: str, text: str, domains: set[str], err: list[str]) -> list[Drill]:
    found = []
    in_fence = False
    for n, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not line.startswith("### "):
            continue
        match = DRILL_HEADING.match(line)
        ident = DRILL_ID.search(match["attrs"]) if match else None
        listed = DRILL_DOMAINS.search(match["attrs"]) if match else None
        if not match or not ident or not listed:
            err.append(
                f'{path}:{n}: drill: heading needs {{#drill-<id> data-domains="<domain id> ..."}}'
            )
            continue
        if not ident["id"].startswith("drill-"):
            err.append(f"{path}:{n}: drill: id {ident['id']!r} must start with 'drill-'")
        names = tuple(listed["domains"].split())
        if not names:
            err.append(f"{path}:{n}: drill: data-domains is empty")
        for name in names:
            if name not in domains:
                err.append(f"{path}:{n}: drill: unknown domain {name!r} in data-domains")
        found.append(Drill(ident["id"], match["title"], rel, names, n))
    return found


def collect_site(docs_dir: Path, curricula: Curricula) -> Site:
    """Read every page's front matter claims, its drills and its title; check them."""
    docs_dir = Path(docs_dir)
    known = curricula.competencies
    domains = set(curricula.domains)
    claims: dict[str, tuple[str, ...]] = {}
    drills: list[Drill] = []
    titles: dict[str, str] = {}
    errors: list[str] = []
    for file in sorted(docs_dir.rglob("*.md")):
        rel = file.relative_to(docs_dir).as_posix()
        path = show(file)
        text = file.read_text(encoding="utf-8")
        titles[rel] = _title(text) or rel
        yaml_text, start = split_front_matter(text)
        if yaml_text is None:
            continue
        try:
            meta = YAML(typ="rt").load(yaml_text)
        except YAMLError as exc:  # report at the file's line, not the front matter's
            mark = getattr(exc, "problem_mark", None)
            errors.append(
                f"{path}:{(mark.line if mark else 0) + start}: front matter: "
                f"{getattr(exc, 'problem', exc)}"
            )
            continue
        if not isinstance(meta, CommentedMap):
            continue
        if "exams" in meta:
            ids = meta["exams"]
            if not isinstance(ids, CommentedSeq):
                errors.append(
                    f"{path}:{_line(meta, 'exams', start)}: exams: expected a list "
                    "of competency ids from data/exams.yaml"
                )
                continue
            for index, cid in enumerate(ids):
                if cid not in known:
                    errors.append(
                        f"{path}:{_item_line(ids, index, start)}: exams: unknown "
                        f"competency {cid!r} (see data/exams.yaml)"
                    )
            if len(set(ids)) != len(ids):
                errors.append(f"{path}:{_line(meta, 'exams', start)}: exams: duplicate ids")
            claims[rel] = tuple(str(c) for c in ids)
        if meta.get("drills") is True:
            drills += _drills(path, rel, text, domains, errors)
    first: dict[str, Drill] = {}
    for drill in drills:
        if drill.id in first:
            other = first[drill.id]
            errors.append(
                f"{show(docs_dir / drill.page)}:{drill.line}: drill: id {drill.id!r} "
                f"is already used at {show(docs_dir / other.page)}:{other.line}"
            )
        first.setdefault(drill.id, drill)
    if errors:
        raise ExamGuideError(errors)
    return Site(claims, tuple(drills), titles)


# ---------------------------------------------------------------------------------------------
# Coverage


def covering_pages(
    curricula: Curricula, site: Site, competency: str, include_missing_planned: bool = False
) -> list[str]:
    """Pages that teach a competency: front matter claims, then planned pages that exist
    (or all planned pages, for the coverage check)."""
    pages = {p for p, ids in site.claims.items() if competency in ids}
    pages |= {
        p
        for p, ids in curricula.planned.items()
        if competency in ids and (include_missing_planned or p in site.titles)
    }
    return sorted(pages)


def drills_for(site: Site, domain: str) -> list[Drill]:
    return [d for d in site.drills if domain in d.domains]


def check_coverage(curricula: Curricula, site: Site) -> list[str]:
    """Every competency is taught by a page (or a planned page) or listed in gaps, never both;
    every domain has a page, a drill, or all of its competencies in gaps."""
    path = show(curricula.path)
    problems = []
    for exam in curricula.exams:
        for domain in exam.domains:
            anything = False
            for comp in domain.competencies:
                pages = covering_pages(curricula, site, comp.id, include_missing_planned=True)
                anything = anything or bool(pages)
                if comp.id in exam.gaps and pages:
                    problems.append(
                        f"{path}:{curricula.line_of[f'gap:{comp.id}']}: gap: "
                        f"{comp.id} is covered by {', '.join(pages)}; remove it "
                        "from gaps"
                    )
                elif comp.id not in exam.gaps and not pages:
                    problems.append(
                        f"{path}:{comp.line}: competency {comp.id}: no page claims "
                        "it (front matter `exams:`) or plans it (`planned:`), and it "
                        "is not in gaps:"
                    )
            all_gaps = all(c.id in exam.gaps for c in domain.competencies)
            if not anything and not drills_for(site, domain.id) and not all_gaps:
                problems.append(
                    f"{path}:{domain.line}: domain {domain.id}: no page and no drill "
                    "covers it, and not all of its competencies are in gaps:"
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Rendering


def page_exams(curricula: Curricula, site: Site, page: str) -> list[Exam]:
    """The exams a page serves: those of its claimed competencies and of its drills."""
    ids = {curricula.exam_of(c) for c in site.claims.get(page, ())}
    ids |= {
        curricula.exam_of(d) for drill in site.drills if drill.page == page for d in drill.domains
    }
    return [e for e in curricula.exams if e.id in ids]


def short_name(exam: Exam) -> str:
    return exam.id.upper()


def render_tag_row(exams: list[Exam], page: str) -> str:
    """`Exams: CKA · CKAD` under a page's title, each linking to its guide page. Kept out of
    the search index: it would add the same words to most pages."""
    if not exams:
        return ""
    up = "../" * page.count("/")
    links = " · ".join(
        f'[{short_name(e)}]({up}{GUIDE_DIR}/{e.id}.md "{e.name}: exam guide")' for e in exams
    )
    return f"Exams: {links}\n{{ .exam-tags data-search-exclude }}\n"


def insert_tag_row(markdown: str, row: str) -> str:
    """Put the tag row right after the H1 (or at the top if the page has none)."""
    if not row:
        return markdown
    lines = markdown.split("\n")
    in_fence = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", row, *lines[index + 1 :]])
    return row + "\n" + markdown


def _anchor(ident: str) -> str:
    return ident.replace("/", "-")


def _link(site: Site, page: str) -> str:
    return f"[{site.titles.get(page, page)}](../{page})"


def _warning(title: str, body: str) -> list[str]:
    return [f'!!! warning "{title}"', f"    {body}", ""]


def _short_commit(curricula: Curricula) -> str:
    return curricula.commit[:7]


def render_exam(curricula: Curricula, site: Site, exam: Exam, versions: Versions) -> str:
    """The Markdown of exam-guide/<exam>.md."""
    out = [
        "---",
        "search:",
        "  boost: 0.5  # lists many page titles; the pages come first",
        "---",
        f"# {short_name(exam)} exam guide: {exam.name}",
        "",
        f"What the {short_name(exam)} curriculum asks for, domain by domain, and the pages "
        "and drills of this site that teach and practise each competency. Where nothing "
        "covers a competency yet, a warning says so.",
        "",
    ]
    names = ", ".join(
        f"[{s.split(curricula.commit + '/')[-1].replace('%20', ' ')}]({s})" for s in exam.sources
    )
    out += [
        f"Source: {names} in [cncf/curriculum]({curricula.repository}) at commit "
        f"`{_short_commit(curricula)}`, read on {exam.checked}. Domain names and weights "
        "are the README's; competencies are worded exactly as in the curriculum PDF.",
        "",
    ]
    out += [
        "## Kubernetes version on the exam",
        "",
        f"The exam clusters run **Kubernetes v{versions.exam}** "
        f"([Linux Foundation FAQ]({versions.exam_source}), checked {versions.exam_checked}); "
        f"this site is verified against **v{versions.latest}**. What differs for this "
        "exam's topics:",
        "",
    ]
    for note in exam.version_notes:
        out.append(f"- {note.text} ([source]({note.source}))")
    out += [
        f"- Every command on this site is checked against kubectl v{versions.latest}. A "
        f"flag added after v{versions.exam} is missing from the exam's kubectl: check "
        "`kubectl <command> --help` in the exam terminal when in doubt.",
        "",
    ]
    out += [
        "## Domains and weights",
        "",
        "| Domain | Weight | Competencies with a page |",
        "| --- | --- | --- |",
    ]
    for domain in exam.domains:
        covered = sum(1 for c in domain.competencies if covering_pages(curricula, site, c.id))
        out.append(
            f"| [{domain.name}](#{domain.id}) | {domain.weight}% | "
            f"{covered} of {len(domain.competencies)} |"
        )
    out.append("")
    for domain in exam.domains:
        out += [
            f"## {domain.name} ({domain.weight}%) {{#{domain.id}}}",
            "",
            f"This domain is **{domain.weight}%** of the exam.",
        ]
        if domain.pdf_weight is not None and domain.pdf_weight != domain.weight:
            out[-1] += (
                f" The curriculum PDF ({exam.curriculum}) gives it "
                f"{domain.pdf_weight}%; this guide uses the README's figure."
            )
        out.append("")
        for comp in domain.competencies:
            out += [f"### {comp.text} {{#{_anchor(comp.id)}}}", ""]
            pages = covering_pages(curricula, site, comp.id)
            if pages:
                out += [f"- {_link(site, p)}" for p in pages] + [""]
            elif comp.id in exam.gaps:
                out += _warning("Not covered on this site yet", exam.gaps[comp.id])
            else:
                out += _warning(
                    "Not covered on this site yet", "A page on this competency is being written."
                )
        drills = drills_for(site, domain.id)
        out += [
            f"**Drills for this domain** ({len(drills)}):"
            if drills
            else "**Drills for this domain:** none yet.",
            "",
        ]
        out += [f"- [{d.title}](../{d.page}#{d.id})" for d in drills]
        if drills:
            out.append("")
    return "\n".join(out)


def render_index(curricula: Curricula, site: Site, versions: Versions) -> str:
    """The Markdown of exam-guide/index.md: the three exams at a glance."""
    out = [
        "# Exam guide: CKA, CKAD and CKS",
        "",
        "The CNCF publishes a curriculum for each Kubernetes certification exam: a few "
        "domains, each with a weight (its share of the exam) and a list of competencies. "
        "This section maps every competency to the pages of this site that teach it and "
        "to the drills that practise its domain, and shows plainly where the site has "
        "nothing yet.",
        "",
        "| Exam | Curriculum | Domains | Competencies with a page |",
        "| --- | --- | --- | --- |",
    ]
    for exam in curricula.exams:
        comps = [c for d in exam.domains for c in d.competencies]
        covered = sum(1 for c in comps if covering_pages(curricula, site, c.id))
        out.append(
            f"| [{exam.name}]({exam.id}.md) | {exam.curriculum} | "
            f"{len(exam.domains)} | {covered} of {len(comps)} |"
        )
    out += [
        "",
        f"Each exam runs on **Kubernetes v{versions.exam}**; this site is verified "
        f"against v{versions.latest}. Each exam page lists what differs between the two "
        "for its topics; [From the exam version to the latest]"
        "(../reference/exam-to-latest.md) lists it for the whole site, from the data and "
        "the snippet checks.",
        "",
        "Every page that teaches an exam competency shows the exams it serves in a small "
        'row under its title (for example "Exams: CKA · CKAD"), linking here.',
        "",
        f"The curricula were read from [cncf/curriculum]({curricula.repository}) at commit "
        f"`{_short_commit(curricula)}`. The CNCF updates them a few times a year: check the "
        "repository before you book an exam.",
        "",
    ]
    return "\n".join(out)


def render_all(curricula: Curricula, site: Site, versions: Versions) -> dict[str, str]:
    """Path under docs/ -> Markdown, for every generated page."""
    pages = {f"{GUIDE_DIR}/index.md": render_index(curricula, site, versions)}
    for exam in curricula.exams:
        pages[f"{GUIDE_DIR}/{exam.id}.md"] = render_exam(curricula, site, exam, versions)
    return pages


def build(
    docs_dir: Path = DOCS_DIR,
    exams_file: Path = EXAMS_FILE,
    versions_file: Path = project.VERSIONS_FILE,
) -> tuple[Curricula, Site, dict[str, str]]:
    """Load, check and render everything; raise ExamGuideError on any problem."""
    curricula = load_curricula(exams_file)
    site = collect_site(docs_dir, curricula)
    problems = check_coverage(curricula, site)
    if problems:
        raise ExamGuideError(problems)
    return curricula, site, render_all(curricula, site, project.versions(versions_file))


def add_tag_row(curricula: Curricula, site: Site, page: str, markdown: str) -> str:
    """The page's Markdown with its exam tag row under the title (unchanged if it has none)."""
    return insert_tag_row(markdown, render_tag_row(page_exams(curricula, site, page), page))
