"""The flashcards (scripts/publish/flashcards.py): the Anki package opened as Anki stores it
(SQLite `collection.anki2` in a zip) and the CSV, checked against the sources they come from.

Expected counts are counted here from the sources with plain line matching, not with the
exporter's own parser.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from scripts import project
from scripts.content import site_nav
from scripts.publish import flashcards

ROOT = project.ROOT


def read_apkg(path: Path, tmp: Path) -> dict:
    """Notes (by guid) with their id, deck, fields and tags; card ids by note id."""
    with zipfile.ZipFile(path) as archive:
        assert "collection.anki2" in archive.namelist()
        db = tmp / "collection.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        decks = {
            int(k): v["name"]
            for k, v in json.loads(con.execute("select decks from col").fetchone()[0]).items()
        }
        cards = {nid: (cid, did) for cid, nid, did in con.execute("select id, nid, did from cards")}
        notes = {}
        for nid, guid, flds, tags in con.execute("select id, guid, flds, tags from notes"):
            cid, did = cards[nid]
            notes[guid] = {
                "id": nid,
                "card": cid,
                "deck": decks[did],
                "fields": flds.split("\x1f"),
                "tags": tags.split(),
            }
        assert len(cards) == len(notes), "one card per note"
        return notes
    finally:
        con.close()


@pytest.fixture(scope="module")
def notes(site_flashcards, tmp_path_factory) -> dict:
    return read_apkg(site_flashcards[0], tmp_path_factory.mktemp("apkg"))


def expected_counts() -> Counter:
    """Notes per deck, counted from the sources."""
    sections = site_nav.load_sections()
    section = site_nav.section_of(sections)
    deck = lambda page: f"{flashcards.DECK_ROOT}::{section[page]}"  # noqa: E731
    counts: Counter = Counter()
    for page in section:
        path = project.DOCS / page
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            counts[deck(page)] += len(re.findall(r'^\?\?\? question "', text, re.M))
    for path in sorted((project.DATA / "glossary").glob("*.yaml")):
        for row in YAML(typ="safe").load(path.read_text(encoding="utf-8")):
            counts[deck(row["page"].split("#")[0])] += 1
    rows = YAML(typ="safe").load((project.DATA / "ports.yaml").read_text(encoding="utf-8"))
    counts[deck(flashcards.PORTS_PAGE)] += len({(str(r["port"]), r["component"]) for r in rows})
    sheet = (project.DOCS / flashcards.CHEAT_SHEET).read_text(encoding="utf-8")
    commands = {
        line.split(" #")[0].strip() for line in sheet.splitlines() if line.startswith("kubectl ")
    }
    counts[deck(flashcards.CHEAT_SHEET)] += len(commands)
    return +counts


def test_one_deck_per_section_with_every_source(notes, site_flashcards) -> None:
    found = Counter(n["deck"] for n in notes.values())
    assert found == expected_counts()
    assert site_flashcards[2] == dict(found)
    assert all(d.startswith(f"{flashcards.DECK_ROOT}::") for d in found)


def test_tags_are_exam_domains_of_the_page(notes) -> None:
    pods = [
        n
        for n in notes.values()
        if "question" in n["tags"] and "workloads/pods.html" in n["fields"][2]
    ]
    assert pods, "no question cards from the Pods page"
    for note in pods:  # docs/workloads/pods.md: exams ckad-design-build/..., cka-workloads/...
        assert {"ckad-design-build", "cka-workloads"} <= set(note["tags"]), note["tags"]
    kinds = Counter(
        next(t for t in n["tags"] if t in ("question", "glossary", "port", "command"))
        for n in notes.values()
    )
    assert set(kinds) == {"question", "glossary", "port", "command"}


def test_csv_holds_the_same_cards(notes, site_flashcards) -> None:
    rows = list(csv.reader(io.StringIO(site_flashcards[1].read_text(encoding="utf-8"))))
    assert rows[0] == ["front", "back", "deck", "tags"]
    assert len(rows) - 1 == len(notes)
    assert Counter(r[2] for r in rows[1:]) == Counter(n["deck"] for n in notes.values())
    assert {r[0] for r in rows[1:]} == {n["fields"][0] for n in notes.values()}


def test_ids_are_stable_across_builds(tmp_path: Path) -> None:
    cards = flashcards.collect(site_url="https://example.org/")
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    flashcards.write_apkg(cards, first, timestamp=1_700_000_000)
    flashcards.write_apkg(
        flashcards.collect(site_url="https://example.org/"), second, timestamp=1_800_000_000
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = read_apkg(first, tmp_path / "a"), read_apkg(second, tmp_path / "b")
    assert len(a) == len(cards)
    assert {g: (n["id"], n["card"], n["deck"]) for g, n in a.items()} == {
        g: (n["id"], n["card"], n["deck"]) for g, n in b.items()
    }
    assert len({n["id"] for n in a.values()}) == len(a)


PLANTED_CODE = """\
    Run this:

    ```yaml
    # fragment: io.k8s.api.core.v1.PodSpec
    restartPolicy: Never
    ```
"""


def test_changed_answer_keeps_its_note(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(project.DOCS, docs)
    page = docs / "workloads" / "pods.md"
    question = '??? question "Why are containers in the same Pod called co-located?"'
    text = page.read_text(encoding="utf-8")
    assert question in text
    old = flashcards.collect(site_url="https://example.org/")
    page.write_text(
        text.replace(
            question,
            question
            + "\n    Planted answer `x <y>`.\n\n"
            + PLANTED_CODE
            + "\n    Old answer follows.",
            1,
        ),
        encoding="utf-8",
    )
    new = flashcards.collect(docs_dir=docs, site_url="https://example.org/")
    for cards, name in ((old, "old"), (new, "new")):
        flashcards.write_apkg(cards, tmp_path / f"{name}.apkg", timestamp=1_700_000_000)
        (tmp_path / name).mkdir()
    before = read_apkg(tmp_path / "old.apkg", tmp_path / "old")
    after = read_apkg(tmp_path / "new.apkg", tmp_path / "new")
    assert before.keys() == after.keys(), "a changed answer must not add or drop a note"
    changed = [g for g in before if before[g]["fields"] != after[g]["fields"]]
    assert len(changed) == 1
    note, was = after[changed[0]], before[changed[0]]
    assert (note["id"], note["card"]) == (was["id"], was["card"])
    assert note["fields"][0] == "Why are containers in the same Pod called co-located?"
    back = note["fields"][1]
    assert "<p>Planted answer <code>x &lt;y&gt;</code>.</p>" in back
    assert '<pre class="highlight"><code class="language-yaml">' in back
    assert "restartPolicy: Never" in back


def test_cheat_sheet_comments_become_the_question() -> None:
    sheet = """## Taints

```bash
# remove the taint
kubectl taint nodes <node-name> dedicated=gpu:NoSchedule-
kubectl get pods -o jsonpath='{.items[*].metadata.name}'  # list Pod names only
kubectl get nodes
```
"""
    found = flashcards.cheat_sheet_commands(sheet)
    assert found == [
        ("kubectl taint nodes <node-name> dedicated=gpu:NoSchedule-", "remove the taint", "Taints"),
        (
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            "list Pod names only",
            "Taints",
        ),
        ("kubectl get nodes", "", "Taints"),
    ]
