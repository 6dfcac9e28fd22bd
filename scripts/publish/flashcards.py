"""Flashcards for Anki and other apps: `python -m scripts.publish.flashcards SITE_DIR`.

Why generated: the site's interview questions, glossary, ports table and kubectl cheat sheet
are what learners copy into flashcards by hand. Made at build time from the same sources as
the pages, the cards cannot disagree with them. Four kinds of note, each with a stable key:

- every `??? question "..."` block on a page (the same blocks the site renders as collapsed
  questions; this module reads them itself): key = page + slug of the question;
- every glossary term of `data/glossary/*.yaml`: key = the term;
- every port of `data/ports.yaml`: key = port + component (a component's rows for several node
  roles or protocols on one port are one card);
- every `kubectl` command of the cheat sheet: key = the command.

Outputs, written atomically into SITE_DIR/downloads/:
- an Anki package (`.apkg`, made with genanki) with one deck per site section
  (`Kubernetes Field Notes::Workloads`, ...). Note GUIDs, note ids and card ids are derived
  from the key, never from the build time, so importing a newer deck updates the notes a
  reader already studies instead of adding duplicates (Anki matches notes by GUID);
- a CSV (front, back, deck, tags; HTML in the fields) for apps that import CSV.

Tags: the exam domains of the source page (the domain part of its front matter `exams:`
competency ids, e.g. `cka-workloads`), plus the kind of note (`question`, `glossary`, `port`,
`command`). Answers are Markdown rendered to HTML; code stays `<pre><code>`, links point at the
hosted page (the build's site_url).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import posixpath
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from scripts import project
from scripts.build import build_info, page_vars
from scripts.common import atomic
from scripts.content import glossary, ports, questions, site_nav

DECK_ROOT = "Kubernetes Field Notes"
CHEAT_SHEET = "reference/kubectl-cheat-sheet.md"
PORTS_PAGE = "reference/ports.md"
# Fixed for the life of the deck: a new id would make Anki treat every note as a new type.
MODEL_ID = 1_607_392_319_016
MODEL_NAME = "Kubernetes Field Notes (front, back, source)"
CSV_FIELDS = ("front", "back", "deck", "tags")

QUESTION = re.compile(r'^\?\?\?\+?\s+question\s+"(?P<title>.*)"\s*$')
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.+?)\s*(?:\{[^}]*\})?\s*$")
HREF = re.compile(r'href="([^"]*)"')

CARD_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left;
        color: #1d1d1f; background: #fff; line-height: 1.45; }
.card.nightMode, .nightMode .card { color: #e6e6e6; background: #1e2129; }
pre { white-space: pre-wrap; font-size: 15px; padding: .5em; background: rgba(127,127,127,.12); }
code { font-family: ui-monospace, monospace; }
.source { margin-top: 1.2em; font-size: 14px; opacity: .8; }
.hint { font-size: 15px; opacity: .8; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .2em .4em; }
"""


@dataclass(frozen=True)
class Card:
    """One note: `key` is what stays the same when its text changes."""

    key: str
    deck: str  # full Anki deck name, "Kubernetes Field Notes::Workloads"
    front: str  # HTML
    back: str  # HTML
    source: str  # HTML: a link to the page it comes from
    tags: tuple[str, ...]

    @property
    def guid(self) -> str:
        import genanki

        return genanki.guid_for("k8s-field-notes", self.key)

    @property
    def note_id(self) -> int:
        return stable_id("note", self.key)

    @property
    def card_id(self) -> int:
        return stable_id("card", self.key)


def stable_id(kind: str, key: str) -> int:
    """A positive id below 2**53 (Anki's ids are JavaScript-safe integers), from the key."""
    digest = hashlib.sha256(f"{kind}:{key}".encode()).digest()
    return 10**12 + int.from_bytes(digest[:8], "big") % (2**53 - 10**12)


# ---------------------------------------------------------------------------------------------
# Markdown to HTML


def _markdown():
    import markdown

    return markdown.Markdown(
        extensions=[
            "tables",
            "attr_list",
            "def_list",
            "admonition",
            "pymdownx.highlight",
            "pymdownx.superfences",
            "pymdownx.keys",
        ],
        extension_configs={"pymdownx.highlight": {"use_pygments": False}},
    )


class Renderer:
    """Markdown -> HTML for cards; relative links become links to the hosted page."""

    def __init__(self, site_url: str) -> None:
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self._md = _markdown()

    def page_url(self, src: str) -> str:
        html_path = src.removesuffix(".md") + ".html"
        return self.site_url + ("" if html_path == "index.html" else html_path)

    def _link(self, href: str, page: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # https:, mailto:
            return href
        path, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        url = self.page_url(target) if target.endswith(".md") else self.site_url + target
        return url + (f"#{anchor}" if anchor else "")

    def block(self, text: str, page: str) -> str:
        self._md.reset()
        out = self._md.convert(text)
        return HREF.sub(
            lambda m: f'href="{html.escape(self._link(html.unescape(m[1]), page))}"', out
        )

    def inline(self, text: str, page: str) -> str:
        out = self.block(text, page)
        return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") else out


# ---------------------------------------------------------------------------------------------
# Reading the pages


@dataclass(frozen=True)
class PageInfo:
    src: str
    title: str
    domains: tuple[str, ...]
    body: str  # Markdown without front matter, tokens expanded


def read_page(docs_dir: Path, src: str) -> PageInfo:
    text = (docs_dir / src).read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        meta = YAML(typ="safe").load(text[4:end]) or {}
        # keep line count: blank lines where the front matter was
        text = "\n" * (text[: end + 4].count("\n")) + text[end + 4 :].split("\n", 1)[-1]
    body = page_vars.expand(text, f"docs/{src}", src)
    title = next(
        (m["text"] for line in body.splitlines() if (m := HEADING.match(line)) and m[1] == "#"), src
    )
    domains: list[str] = []
    for competency in meta.get("exams") or []:
        domain = str(competency).split("/")[0]
        if domain not in domains:
            domains.append(domain)
    return PageInfo(src, title, tuple(domains), body)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "question"


def extract_questions(markdown: str, src: str = "page.md") -> list[tuple[str, str]]:
    """(question, answer Markdown) of every top-level `??? question "..."` block, read by the
    same parser as the site's question index (scripts/content/questions.py)."""
    _, found = questions.parse_page(src, markdown)
    return [(text.replace('\\"', '"'), answer.strip("\n")) for _, text, answer, _, _ in found]


# ---------------------------------------------------------------------------------------------
# The four kinds of card


class Sources:
    """Every input of the cards, with the section of each page."""

    def __init__(self, docs_dir: Path, data_dir: Path, mkdocs_yml: Path, site_url: str) -> None:
        self.docs_dir = Path(docs_dir)
        self.data_dir = Path(data_dir)
        self.sections = site_nav.load_sections(mkdocs_yml)
        self.section = site_nav.section_of(self.sections)
        self.render = Renderer(site_url)
        self._pages: dict[str, PageInfo] = {}

    def page(self, src: str) -> PageInfo:
        if src not in self._pages:
            self._pages[src] = read_page(self.docs_dir, src)
        return self._pages[src]

    def deck(self, src: str) -> str:
        return f"{DECK_ROOT}::{self.section.get(src, 'Other')}"

    def source(self, src: str, anchor: str = "") -> str:
        url = self.render.page_url(src) + (f"#{anchor}" if anchor else "")
        return f'<a href="{html.escape(url)}">{html.escape(self.page(src).title)}</a>'

    def tags(self, src: str, kind: str) -> tuple[str, ...]:
        return (*self.page(src).domains, kind)


def question_cards(s: Sources) -> list[Card]:
    cards: list[Card] = []
    for section in s.sections:
        for nav_page in section.pages:
            if not (s.docs_dir / nav_page.src).is_file():
                continue  # generated pages (exam guide) hold no questions
            info = s.page(nav_page.src)
            seen: dict[str, int] = {}
            for question, answer in extract_questions(info.body, info.src):
                base = slug(question)
                seen[base] = seen.get(base, 0) + 1
                key_slug = base if seen[base] == 1 else f"{base}-{seen[base]}"
                cards.append(
                    Card(
                        key=f"question:{info.src}#{key_slug}",
                        deck=s.deck(info.src),
                        front=s.render.inline(question, info.src),
                        back=s.render.block(answer, info.src),
                        source=s.source(info.src),
                        tags=s.tags(info.src, "question"),
                    )
                )
    return cards


def glossary_cards(s: Sources) -> list[Card]:
    cards = []
    for term in glossary.load_glossary(s.data_dir / "glossary", s.docs_dir):
        page, _, anchor = term.page.partition("#")
        cards.append(
            Card(
                key=f"term:{term.term.lower()}",
                deck=s.deck(page),
                front=s.render.inline(term.term, page),
                back=s.render.block(term.definition, page),
                source=s.source(page, anchor),
                tags=s.tags(page, "glossary"),
            )
        )
    return cards


def port_cards(s: Sources) -> list[Card]:
    rows = ports.load_ports(s.data_dir / "ports.yaml")
    groups: dict[tuple[str, str], list[ports.PortRow]] = {}
    for row in rows:
        groups.setdefault((str(row.port), row.component), []).append(row)
    esc = html.escape
    cards = []
    for (port, component), group in groups.items():
        first = group[0]
        front = f"Which port does <b>{esc(component)}</b> use for: {esc(first.purpose)}?"
        lines = []
        for row in group:
            role = ports.ROLES[row.role].lower()
            lines.append(
                f"<li><b>{row.protocol} {esc(port)}</b>, {row.direction}, "
                f"{esc(role)}: {esc(row.purpose)}. Used by: {esc(row.used_by)}. "
                f'<a href="{esc(row.source)}">Source</a></li>'
            )
        cards.append(
            Card(
                key=f"port:{port}:{component}",
                deck=s.deck(PORTS_PAGE),
                front=front,
                back="<ul>" + "".join(lines) + "</ul>",
                source=s.source(PORTS_PAGE),
                tags=s.tags(PORTS_PAGE, "port"),
            )
        )
    return cards


def cheat_sheet_commands(markdown: str) -> list[tuple[str, str, str]]:
    """(command, what it does or "", the H2 it is under) for every `kubectl` command in the
    bash blocks. What it does is a `# comment` on the line above or at the end of the line."""
    out: list[tuple[str, str, str]] = []
    heading = ""
    fence: str | None = None
    comment = ""
    pending = ""
    for line in markdown.split("\n"):
        opened = FENCE.match(line)
        if fence is None:
            if opened:
                fence = opened.group(1)
                lang = line.strip()[len(fence) :].strip().strip("{}. ").split(" ")[0]
                fence = fence if lang in ("bash", "sh", "shell") else fence + "skip"
                comment = pending = ""
            elif line.startswith("## "):
                heading = line[3:].strip()
            continue
        if line.strip().startswith(fence.removesuffix("skip")) and not line.strip().strip(fence[0]):
            fence = None
            continue
        if fence.endswith("skip"):
            continue
        stripped = line.strip()
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            continue
        if pending:  # a `\` continuation
            pending += " " + stripped
        elif stripped.startswith("kubectl"):
            pending = stripped
        else:
            comment = ""
            continue
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        command, trailing = _split_comment(pending)
        out.append((command, trailing or comment, heading))
        comment = pending = ""
    return out


def _split_comment(command: str) -> tuple[str, str]:
    """Split a trailing ` # comment` off a command line (a # inside quotes is not one)."""
    quote = ""
    for i, ch in enumerate(command):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and i and command[i - 1].isspace():
            return command[:i].rstrip(), command[i + 1 :].strip()
    return command, ""


def command_cards(s: Sources) -> list[Card]:
    info = s.page(CHEAT_SHEET)
    esc = html.escape
    cards, seen = [], set()
    for command, what, heading in cheat_sheet_commands(info.body):
        if command in seen:
            continue
        seen.add(command)
        code = f"<pre><code>{esc(command)}</code></pre>"
        topic = f'<p class="hint">{s.render.inline(heading, CHEAT_SHEET)}</p>'
        if what:
            what = what[0].upper() + what[1:]
            front, back = f"<p>kubectl: {s.render.inline(what, CHEAT_SHEET)}</p>{topic}", code
        else:
            front = f"<p>What does this command do?</p>{code}"
            back = topic
        cards.append(
            Card(
                key=f"command:{command}",
                deck=s.deck(CHEAT_SHEET),
                front=front,
                back=back,
                source=s.source(CHEAT_SHEET, slug(heading)),
                tags=s.tags(CHEAT_SHEET, "command"),
            )
        )
    return cards


def collect(
    docs_dir: Path = project.DOCS,
    data_dir: Path = project.DATA,
    mkdocs_yml: Path = project.MKDOCS_YML,
    site_url: str = "",
) -> list[Card]:
    """Every card, in site order; raises ValueError if two cards share a key."""
    s = Sources(docs_dir, data_dir, mkdocs_yml, site_url)
    cards = question_cards(s) + glossary_cards(s) + port_cards(s) + command_cards(s)
    keys: set[str] = set()
    for card in cards:
        if card.key in keys:
            raise ValueError(f"two flashcards share the key {card.key!r}")
        keys.add(card.key)
    return cards


# ---------------------------------------------------------------------------------------------
# Writing


def _model():
    import genanki

    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>',
            }
        ],
        css=CARD_CSS,
    )


def _note_class():
    import genanki

    class StableNote(genanki.Note):
        """A note whose note id and card id come from its key: genanki numbers them from the
        build time, which would give the same note a new id in every build."""

        def __init__(self, card: Card, model) -> None:
            super().__init__(
                model=model,
                fields=[card.front, card.back, card.source],
                tags=list(card.tags),
                guid=card.guid,
            )
            self.stable = card

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            ids = iter((self.stable.note_id, self.stable.card_id))
            super().write_to_db(cursor, timestamp, deck_id, ids)

    return StableNote


def write_apkg(
    cards: list[Card], out: Path, description: str = "", timestamp: float | None = None
) -> dict[str, int]:
    """Write the Anki package atomically; return the number of notes per deck."""
    import genanki

    model, note = _model(), _note_class()
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        if card.deck not in decks:
            decks[card.deck] = genanki.Deck(
                stable_id("deck", card.deck) % 2**31 + 2**30, card.deck, description
            )
        decks[card.deck].add_note(note(card, model))
    with atomic.replacing(out) as tmp:
        genanki.Package(list(decks.values())).write_to_file(
            str(tmp), timestamp=time.time() if timestamp is None else timestamp
        )
    return {name: len(deck.notes) for name, deck in decks.items()}


def to_csv(cards: list[Card]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for card in cards:
        back = f'{card.back}<div class="source">{card.source}</div>'
        writer.writerow((card.front, back, card.deck, " ".join(card.tags)))
    return buffer.getvalue()


def export(
    site_dir: Path,
    docs_dir: Path = project.DOCS,
    data_dir: Path = project.DATA,
    mkdocs_yml: Path = project.MKDOCS_YML,
) -> tuple[Path, Path, dict[str, int]]:
    """Write both files into SITE_DIR/downloads/; return their paths and notes per deck."""
    site_dir = Path(site_dir)
    info = build_info.read(site_dir)
    cards = collect(docs_dir, data_dir, mkdocs_yml, build_info.site_url(site_dir))
    downloads = site_dir / "downloads"
    apkg = downloads / project.download_name("flashcards-apkg", info["k8s_version"])
    table = downloads / project.download_name("flashcards-csv", info["k8s_version"])
    description = (
        f"{info['site_name']}: flashcards checked against Kubernetes "
        f"v{info['k8s_version']}, built {info['build_date']}."
    )
    counts = write_apkg(cards, apkg, description)
    atomic.write_text(table, to_csv(cards))
    return apkg, table, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.publish.flashcards", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("site_dir", type=Path, nargs="?", default=project.SITE)
    args = parser.parse_args(argv)
    try:
        apkg, table, counts = export(args.site_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for deck, count in counts.items():
        print(f"  {deck}: {count}")
    print(
        f"{apkg} ({sum(counts.values())} notes in {len(counts)} decks, "
        f"{apkg.stat().st_size / 1024:.0f} KiB); {table}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Card", "collect", "export", "extract_questions", "to_csv", "write_apkg"]
