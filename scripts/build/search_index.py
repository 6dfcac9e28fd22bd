"""Post-process Material's search index: prose previews, code in its own field, aliases.

Why: Material's search plugin puts each section's whole HTML text in the index, and shows the
matched part of it under each result. A section that is only a manifest showed the manifest as
its "preview"; a section that is only a heading over sub-sections ("How it works") showed
nothing; mermaid sources (flowchart syntax) were indexed and shown like prose. This step runs
after the search plugin wrote `search/search_index.json` and before the offline plugin copies it
into `search/search_index.js` (hook priority between the two), and:

- moves every `<pre>` block out of `text` into a `code` field that is indexed (learners search
  for flags and commands) but never displayed (Material's result template shows title and
  text only);
- replaces a mermaid source by its `accDescr` sentence, which is prose written for readers;
- gives a section whose text was only code a one-line preview (the kind of manifest, the
  config comment, or the first command), and drops sections with no text at all (a heading
  right above its sub-sections: its title words are on the page's other entries);
- adds `config.aliases` (from data/search-aliases.yaml): the query rewriter in
  docs/assets/javascripts/search.js reads it from the index, so the aliases cost nothing
  until the reader searches; and a `keywords` field on each alias's page (indexed, never shown)
  so that the alias typed alone finds that page first.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from scripts import project
from scripts.common import atomic
from scripts.common.datafile import DataError, load_rows, require

ALIASES_FILE = project.DATA / "search-aliases.yaml"
_PRE = re.compile(r"<pre[^>]*>(?:<code[^>]*>)?(.*?)(?:</code>)?</pre>", re.S)
_MERMAID = re.compile(
    r"^\s*(?:flowchart|graph|sequenceDiagram|stateDiagram(?:-v2)?|classDiagram|erDiagram"
    r"|gantt|pie|journey|timeline|mindmap)\b"
)
_ACC_DESCR = re.compile(r"^\s*accDescr\s*:\s*(.+)$", re.M)
_TAG = re.compile(r"<[^>]+>")
_KIND = re.compile(r"^kind:\s*(\w+)\s*$", re.M)
_CONFIG = re.compile(r"^#\s*(?:config|fragment):\s*(.+)$", re.M)
_ALIAS = re.compile(r"^[a-z][a-z0-9]*$")
# Code counts half as much as prose: with code in a field of its own, a word in both a
# section's prose and its code would otherwise score twice (lunr saturates term frequency per
# field), and pages that show a command would outrank the page that explains it (measured on
# data/search-queries.yaml: boost 1 put etcd quorum before backup for "etcdctl").
CODE_BOOST = 0.5
# An alias typed alone is searched as `alias^10` (search.js): the `keywords` field of the
# alias's page holds it, weighted like a title, so that page comes first.
KEYWORDS_BOOST = 1000.0


@dataclass(frozen=True)
class Alias:
    """A short name a learner types and the words the page they want uses."""

    alias: str
    means: str
    page: str


def load_aliases(path: Path = ALIASES_FILE) -> list[Alias]:
    """Read data/search-aliases.yaml; aliases are lower-case single words, each once."""
    aliases: list[Alias] = []
    seen: set[str] = set()
    for row in load_rows(path):
        require(row, ("alias", "means", "page", "source"))
        alias = row.data["alias"]
        if not isinstance(alias, str) or not _ALIAS.match(alias):
            raise row.error("alias", "must be one lower-case word (letters and digits)")
        if alias in seen:
            raise row.error("alias", f"{alias!r} is listed twice")
        seen.add(alias)
        aliases.append(Alias(alias, str(row.data["means"]), str(row.data["page"])))
    return aliases


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def _preview(code: str) -> tuple[str, str]:
    """(preview, code left) for a section that holds only code.

    The preview is one line: the config comment, the kind of the manifest or the first command.
    What it quotes is taken out of the code, so no word is indexed twice for the section.
    """
    text = html.unescape(code)
    comment = _CONFIG.search(text)
    if comment:
        rest = text[: comment.start()] + text[comment.end() :]
        return f"<p>{html.escape(comment.group(1).strip())}</p>", html.escape(rest.strip())
    kind = _KIND.search(text)
    if kind:
        return f"<p>An example {kind.group(1)} manifest.</p>", code
    lines = text.strip().splitlines()
    first, rest = lines[0].strip(), "\n".join(lines[1:])
    more = sum(1 for line in lines[1:] if line.strip() and not line.startswith((" ", "\t")))
    tail = f" and {more} more" if more else ""
    return f"<p>Commands: <code>{html.escape(first)}</code>{tail}.</p>", html.escape(rest)


def split_doc(text: str) -> tuple[str, str]:
    """(prose, code) of a section's indexed text; mermaid sources become their description."""
    code: list[str] = []

    def take(match: re.Match[str]) -> str:
        body = match.group(1)
        if _MERMAID.match(html.unescape(body)):
            descr = _ACC_DESCR.search(html.unescape(body))
            return f"<p>{html.escape(descr.group(1).strip())}</p>" if descr else ""
        code.append(body.strip())
        return ""

    prose = re.sub(r"\s{2,}", " ", _PRE.sub(take, text)).strip()
    return prose, "\n".join(code)


def process(index: dict, aliases: list[Alias]) -> dict:
    """The index with prose-only `text`, a `code` field, empty sections dropped, aliases."""
    docs = []
    for doc in index["docs"]:
        prose, code = split_doc(doc.get("text", ""))
        is_section = "#" in doc["location"]
        if is_section and not prose and not code:
            continue  # a heading straight above its sub-sections
        if not _plain(prose) and code:
            prose, code = _preview(code)
        new = {**doc, "text": prose}
        if code:
            new["code"] = code
        docs.append(new)
    articles = {doc["location"]: doc for doc in docs if "#" not in doc["location"]}
    for alias in aliases:
        doc = articles.get(alias.page)
        if doc is None:
            raise DataError(
                f"{ALIASES_FILE}: alias {alias.alias!r}: page {alias.page} is not "
                "in the search index"
            )
        doc["keywords"] = f"{doc.get('keywords', '')} {alias.alias}".strip()
    config = dict(index["config"])
    config["fields"] = {
        **config["fields"],
        "code": {"boost": CODE_BOOST},
        "keywords": {"boost": KEYWORDS_BOOST},
    }
    config["aliases"] = {a.alias: a.means for a in aliases}
    return {**index, "config": config, "docs": docs}


def rewrite(site_dir: Path, aliases: list[Alias]) -> dict[str, int]:
    """Rewrite site_dir/search/search_index.json in place; return before/after figures."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return {}
    raw = path.read_text(encoding="utf-8")
    index = json.loads(raw)
    out = process(index, aliases)
    data = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    atomic.write_text(path, data)
    return {
        "docs_before": len(index["docs"]),
        "docs_after": len(out["docs"]),
        "bytes_before": len(raw.encode()),
        "bytes_after": len(data.encode()),
    }


__all__ = ["Alias", "DataError", "load_aliases", "process", "rewrite", "split_doc"]
