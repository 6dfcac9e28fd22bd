"""Feature-gate states from data, never typed by hand.

Why: "beta since v1.33" is true the day it is written and silently false a release later.
Pages therefore name the gate (`[[gate:ImageVolume]]`) and the build writes the state from
`data/feature-gates.yaml`, which this module generates from the primary sources:

- kubernetes/kubernetes `test/compatibility_lifecycle/reference/versioned_feature_list.yaml`
  (generated from the code: per version preRelease, default, lockToDefault);
- kubernetes/website feature-gate pages
  (`content/en/docs/reference/command-line-tools-reference/feature-gates/<Gate>.md`, whose
  front matter lists every stage, down to patch releases, and gates removed long ago);
- `data/feature-gate-fills.yaml`: hand-written entries for changes newer than both copies
  (or removal versions they lack), each with the merged PR or release blog it comes from.

The kubernetes copy may come from master after the release cut: versions after `latest` are
dropped, `minCompatibilityVersion` entries take effect a release later, a "GA since 1.0"
backfill before a gate's first deprecated entry is dropped, and `--earlier-list` keeps the
gates an older copy of the same cycle has and the main copy no longer has.

The same data drives a prose check: a page that names a gate (or one of its usual names from
`data/feature-gate-aliases.yaml`) next to a stated state ("beta since v1.35", "graduated to
stable in 1.33", "generally available as of v1.33", see `_CLAIM`) that the data contradicts
fails the build at file:line.

Command line:
  python -m scripts.content.feature_gates generate --website-dir DIR --feature-list FILE \
      --feature-list-repo OWNER/NAME --feature-list-commit SHA [--earlier-list FILE REPO SHA]
  python -m scripts.content.feature_gates check [FILE_OR_DIR ...]
  python -m scripts.content.feature_gates render GATE [--history]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from scripts import project
from scripts.common import parsed
from scripts.common.atomic import replacing
from scripts.common.datafile import DataError

ROOT = project.ROOT
DATA_FILE = project.DATA / "feature-gates.yaml"
ALIASES_FILE = project.DATA / "feature-gate-aliases.yaml"
FILLS_FILE = project.DATA / "feature-gate-fills.yaml"
PENDING_FILE = project.DATA / "feature-gate-pending.yaml"
LATEST = project.versions().latest

GATES_URL = "https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/"
REMOVED_URL = (
    "https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates-removed/"
)
STAGES = ("alpha", "beta", "stable", "deprecated")
DASH = "\u2013"  # en dash between the first and last release of a stage
_KK_STAGE = {"Alpha": "alpha", "Beta": "beta", "GA": "stable", "Deprecated": "deprecated"}

# ---------------------------------------------------------------------------------------------
# Versions: "1.35" (a minor) or "1.35.4" (a patch release). "1.0" in the kubernetes list means
# "before versioned gates existed": no real start version.


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int = 0
    has_patch: bool = field(default=False, compare=False)

    @classmethod
    def parse(cls, text: object) -> Version:
        m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?", str(text).strip())
        if not m:
            raise ValueError(f"not a version: {text!r}")
        patch = m.group(3)
        return cls(int(m.group(1)), int(m.group(2)), int(patch or 0), patch is not None)

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}"
        return f"{base}.{self.patch}" if self.has_patch else base

    @property
    def minor_key(self) -> tuple[int, int]:
        return (self.major, self.minor)

    @property
    def unknown_start(self) -> bool:
        return self.minor_key == (1, 0)

    def before(self) -> Version:
        """The last version before this one starts (1.35.4 -> 1.35.3, 1.36 -> 1.35)."""
        if self.has_patch and self.patch > 0:
            return Version(self.major, self.minor, self.patch - 1, True)
        return Version(self.major, self.minor - 1)


@dataclass(frozen=True)
class Entry:
    """From `version` on, the gate is at `stage` with this default (until the next entry)."""

    version: Version
    stage: str
    default: bool
    locked: bool


@dataclass
class Gate:
    name: str
    entries: list[Entry]
    removed: bool = False
    removed_in: Version | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def entries_until(self, latest: Version) -> list[Entry]:
        return [e for e in self.entries if e.version.minor_key <= latest.minor_key]

    def at(self, version: Version) -> Entry | None:
        """The entry in force at `version` (a minor means its .0 release)."""
        found = None
        for e in self.entries:
            if e.version <= version:
                found = e
        if self.removed_in is not None and version.minor_key >= self.removed_in.minor_key:
            return None
        return found

    def stages_in_minor(self, minor: tuple[int, int]) -> set[str]:
        """Every stage the gate was at during any patch release of `minor`."""
        if self.removed_in is not None and minor >= self.removed_in.minor_key:
            return set()
        result = set()
        start = self.at(Version(*minor))
        if start:
            result.add(start.stage)
        result |= {e.stage for e in self.entries if e.version.minor_key == minor}
        return result


@dataclass
class GateData:
    gates: dict[str, Gate]
    latest: Version
    sources: dict

    def find(self, name: str) -> Gate | None:
        return self.gates.get(name)


# ---------------------------------------------------------------------------------------------
# Reading the primary sources


def _yaml_load(text: str, path: Path) -> object:
    try:
        return YAML(typ="safe").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DataError(f"{path}:{line}: yaml: {getattr(exc, 'problem', exc)}") from exc


def read_feature_list(path: Path, latest: Version | None = None) -> dict[str, list[Entry]]:
    """kubernetes/kubernetes versioned_feature_list.yaml -> {gate: entries}.

    With `latest`, entries of later releases are dropped (a copy from master after a release
    cut already has the next release's changes). An entry with `minCompatibilityVersion: M`
    holds only when the compatibility version is at least M; a release's default
    compatibility version is the release before it, so by default the entry takes effect one
    release after M (DRAFractionalCapacityRange: off in v1.37, on from v1.38)."""
    doc = _yaml_load(path.read_text(encoding="utf-8"), path) or []
    gates: dict[str, list[Entry]] = {}
    for item in doc:
        by_version: dict[Version, Entry] = {}
        for s in item["versionedSpecs"]:
            version = Version.parse(s["version"])
            if s.get("minCompatibilityVersion"):
                mc = Version.parse(s["minCompatibilityVersion"])
                version = max(version, Version(mc.major, mc.minor + 1))
            if latest is not None and version.minor_key > latest.minor_key:
                continue
            by_version[version] = Entry(
                version,
                _KK_STAGE[s["preRelease"]],
                bool(s["default"]),
                bool(s.get("lockToDefault", False)),
            )
        if by_version:
            gates[item["name"]] = sorted(by_version.values(), key=lambda e: e.version)
    return gates


def drop_backfill(entries: list[Entry]) -> tuple[list[Entry], str]:
    """A gate added to switch off old behaviour starts deprecated, and the kubernetes list
    backfills it as "GA since 1.0" (KubeProxyIPVS: GA 1.0, deprecated 1.37; its website page
    starts it at deprecated v1.37). The gate did not exist before its deprecated entry, so a
    reader must not see "stable until v1.36": drop the backfill and say so in a note."""
    if (
        len(entries) > 1
        and entries[0].version.unknown_start
        and entries[0].stage == "stable"
        and entries[1].stage == "deprecated"
    ):
        return entries[1:], (
            f"the kubernetes list backfills stable from 1.0; the gate was added, "
            f"deprecated, in v{entries[1].version}"
        )
    return entries, ""


@dataclass
class WebsitePage:
    name: str
    stages: list[dict]
    removed: bool
    commit: str


def read_website_pages(directory: Path) -> dict[str, WebsitePage]:
    """kubernetes/website feature-gate pages (front matter only) -> {gate: page}.

    `commits.yaml` in the same directory maps each page file to the website commit it was
    read at; a page without a commit is refused (the data must say where it came from)."""
    commits_path = directory / "commits.yaml"
    commits = _yaml_load(commits_path.read_text(encoding="utf-8"), commits_path) or {}
    pages: dict[str, WebsitePage] = {}
    for path in sorted(directory.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = re.match(r"---\n(.*?)\n---\n", text, re.S)
        if not m:
            raise DataError(f"{path}:1: no front matter")
        front = _yaml_load(m.group(1), path) or {}
        name = str(front.get("title", path.stem))
        if path.name not in commits:
            raise DataError(f"{commits_path}:1: no commit recorded for {path.name}")
        pages[name] = WebsitePage(
            name,
            list(front.get("stages") or []),
            bool(front.get("removed", False)),
            str(commits[path.name]),
        )
    return pages


def _page_entries(stages: Iterable[dict]) -> list[Entry]:
    entries = []
    for s in stages:
        stage = str(s["stage"]).strip()
        if stage not in STAGES:
            raise DataError(f"unknown stage {stage!r}")
        entries.append(
            Entry(
                Version.parse(s["fromVersion"]),
                stage,
                bool(s.get("defaultValue", False)),
                bool(s.get("locked", False)),
            )
        )
    # Later entries win where upstream ranges overlap (LoadBalancerIPMode: alpha to 1.30,
    # beta from 1.30).
    by_version: dict[Version, Entry] = {}
    for e in entries:
        by_version[e.version] = e
    return sorted(by_version.values(), key=lambda e: e.version)


def _page_last_version(page: WebsitePage) -> Version | None:
    last = page.stages[-1] if page.stages else None
    if last and last.get("toVersion"):
        return Version.parse(last["toVersion"])
    return None


def read_fills(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    doc = _yaml_load(path.read_text(encoding="utf-8"), path) or []
    for item in doc:
        if not item.get("name") or not item.get("source"):
            raise DataError(f"{path}:1: every fill needs name and source")
    return doc


def _state(e: Entry | None) -> str:
    if e is None:
        return "absent"
    return f"{e.stage} {'on' if e.default else 'off'}{' locked' if e.locked else ''}"


def merge(
    kk: dict[str, list[Entry]],
    pages: dict[str, WebsitePage],
    fills: list[dict],
    latest: Version,
    kk_commit: str,
    earlier: dict[str, list[Entry]] | None = None,
    earlier_commit: str = "",
) -> dict[str, Gate]:
    """One timeline per gate. The kubernetes list (generated from the code) decides every
    version it covers; a website page adds what the list cannot say (patch releases, gates
    removed before the list existed, stages newer than the list's copy); fills come last.

    `earlier` is an older copy of the list from the same release cycle: a gate it has and the
    main copy lacks was removed after it was taken (for a main copy from after the release
    cut, often only in the next release), so its entries are kept, with a note; a fill with
    `removedIn` says when, from the removal PR."""
    earlier = earlier or {}
    gates: dict[str, Gate] = {}
    carried = {n: e for n, e in earlier.items() if n not in kk}
    for name in sorted(set(kk) | set(pages) | set(carried), key=str.lower):
        page = pages.get(name)
        page_entries = _page_entries(page.stages) if page else []
        if name in kk or name in carried:
            entries, note = drop_backfill(list(kk.get(name) or carried[name]))
            commit = kk_commit if name in kk else earlier_commit
            source = f"kubernetes@{commit[:12]}"
            gate = Gate(name, entries, source=source, notes=[note] if note else [])
            if name in carried:
                gate.notes.append(
                    f"not in the kubernetes list at {kk_commit[:12]}: removed after "
                    f"{earlier_commit[:12]} (in v{latest} or later)"
                )
            if page:
                _cross_check(gate, page_entries, latest)
                kk_last = max(e.version for e in entries)
                patched = {e.version.minor_key for e in page_entries if e.version.has_patch}
                for minor in sorted(patched):
                    gate.entries = [e for e in gate.entries if e.version.minor_key != minor]
                    gate.entries += [e for e in page_entries if e.version.minor_key == minor]
                    gate.notes.append(f"v{minor[0]}.{minor[1]} patch releases from the website")
                newer = [
                    e
                    for e in page_entries
                    if e.version.minor_key > kk_last.minor_key
                    and e.version.minor_key >= latest.minor_key
                    and _state(gate.at(e.version)) != _state(e)
                ]
                if newer:
                    gate.entries += newer
                    gate.notes.append(
                        "stages newer than the kubernetes copy from the website: "
                        + ", ".join(f"{e.stage} v{e.version}" for e in newer)
                    )
                gate.entries.sort(key=lambda e: e.version)
                gate.source += f" + website@{page.commit[:12]}"
            gates[name] = gate
        else:
            gate = Gate(name, page_entries, source=f"website@{page.commit[:12]}")
            last = _page_last_version(page)
            if page.removed:
                gate.removed = True
                gate.removed_in = Version(last.major, last.minor + 1) if last else None
            else:
                gate.removed = True
                gate.notes.append(
                    f"not in the kubernetes list at {kk_commit[:12]}: the gate "
                    "was removed; the website copy does not say when"
                )
            gates[name] = gate
    for fill in fills:
        name = str(fill["name"])
        gate = gates.setdefault(name, Gate(name, []))
        if fill.get("stages"):
            new = _page_entries(fill["stages"])
            first = new[0].version
            gate.entries = [e for e in gate.entries if e.version < first] + new
        if "removedIn" in fill:
            gate.removed = True
            gate.removed_in = Version.parse(fill["removedIn"])
            gate.notes = [n for n in gate.notes if "does not say when" not in n]
        gate.source = (gate.source + " + " if gate.source else "") + f"fill ({fill['source']})"
    return gates


def _cross_check(gate: Gate, page_entries: list[Entry], latest: Version) -> None:
    """Record where the website page and the kubernetes list disagree, minor by minor."""
    if not page_entries:
        return
    page_gate = Gate(gate.name, page_entries)
    first = max(page_entries[0].version, gate.entries[0].version).minor_key
    last = min(max(e.version for e in page_entries), max(e.version for e in gate.entries))
    for minor in range(first[1], min(last.minor, latest.minor) + 1):
        v = Version(1, minor)
        a, b = gate.at(v), page_gate.at(v)
        if a and b and (a.stage, a.default) != (b.stage, b.default):
            gate.notes.append(
                f"v1.{minor}: kubernetes list says {_state(a)}, website page says {_state(b)}"
            )


# ---------------------------------------------------------------------------------------------
# The data file


def _dump_gate(gate: Gate) -> list[str]:
    lines = [f"  - name: {gate.name}", "    stages:"]
    for i, e in enumerate(gate.entries):
        nxt = gate.entries[i + 1].version.before() if i + 1 < len(gate.entries) else None
        if nxt is None and gate.removed_in is not None:
            nxt = gate.removed_in.before()
        to = f', toVersion: "{nxt}"' if nxt else ""
        lines.append(
            f"      - {{stage: {e.stage}, defaultValue: {str(e.default).lower()}, "
            f'locked: {str(e.locked).lower()}, fromVersion: "{e.version}"{to}}}'
        )
    if gate.removed:
        lines.append("    removed: true")
        if gate.removed_in:
            lines.append(f'    removedIn: "{gate.removed_in}"')
    lines.append(f"    source: {_quote(gate.source)}")
    if gate.notes:
        lines.append("    notes:")
        lines += [f"      - {_quote(n)}" for n in gate.notes]
    if gate.aliases:
        lines.append("    aliases: [" + ", ".join(_quote(a) for a in gate.aliases) + "]")
    return lines


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(
    website_dir: Path,
    feature_list: Path,
    kk_repo: str,
    kk_commit: str,
    out: Path = DATA_FILE,
    fills_path: Path = FILLS_FILE,
    aliases_path: Path = ALIASES_FILE,
    latest: str = LATEST,
    earlier: tuple[Path, str, str] | None = None,
) -> dict[str, Gate]:
    """Write the data file. `earlier` (file, repository, commit) is an older copy of the
    kubernetes list from the same release cycle (see `merge`)."""
    latest_v = Version.parse(latest)
    kk = read_feature_list(feature_list, latest_v)
    earlier_kk = read_feature_list(earlier[0], latest_v) if earlier else {}
    pages = read_website_pages(website_dir)
    fills = read_fills(fills_path)
    gates = merge(kk, pages, fills, latest_v, kk_commit, earlier_kk, earlier[2] if earlier else "")
    for name, aliases in load_aliases(aliases_path, set(gates)).items():
        gates[name].aliases = aliases
    kk_newest = max(e.version for entries in kk.values() for e in entries)
    page_commits = sorted({p.commit for p in pages.values()})
    page_newest = max(
        (e.version for p in pages.values() for e in _page_entries(p.stages)), default=None
    )
    head = [
        "# GENERATED by `python -m scripts.content.feature_gates generate`; do not edit.",
        "# Change data/feature-gate-fills.yaml (newer than the copies, with a source) or",
        "# data/feature-gate-aliases.yaml (usual names prose uses) and regenerate.",
        "# stages: each from fromVersion to toVersion (inclusive; none = still in force).",
        f'latest: "{latest}"',
        "sources:",
        "  kubernetes:",
        f"    repository: {kk_repo}",
        "    path: test/compatibility_lifecycle/reference/versioned_feature_list.yaml",
        f"    commit: {kk_commit}",
        f'    describes: "{kk_newest} (newest version key kept; later ones dropped)"',
        f"    gates: {len(kk)}",
    ]
    if earlier:
        carried = sorted(set(earlier_kk) - set(kk))
        head += [
            "  kubernetes-earlier:",
            f"    repository: {earlier[1]}",
            f"    commit: {earlier[2]}",
            f"    carried: [{', '.join(carried)}]",
        ]
    head += [
        "  website:",
        "    repository: kubernetes/website",
        "    path: content/en/docs/reference/command-line-tools-reference/feature-gates/",
        f"    pages: {len(pages)}",
        f'    describes: "{page_newest} (newest version in the pages read)"',
        "    commits: [" + ", ".join(page_commits) + "]",
        "  fills: data/feature-gate-fills.yaml",
        f"gate_count: {len(gates)}",
        "gates:",
    ]
    body = []
    for gate in gates.values():
        body += _dump_gate(gate)
    with replacing(out) as tmp:
        tmp.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return gates


def load_aliases(path: Path = ALIASES_FILE, known: set[str] | None = None) -> dict[str, list[str]]:
    """data/feature-gate-aliases.yaml: `GateName: [usual name, ...]`, hand-written."""
    if not path.is_file():
        return {}
    doc = YAML(typ="rt").load(path.read_text(encoding="utf-8")) or {}
    result = {}
    for name, aliases in doc.items():
        line = doc.lc.key(name)[0] + 1
        if known is not None and name not in known:
            raise DataError(f"{path}:{line}: {name}: unknown feature gate")
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise DataError(f"{path}:{line}: {name}: expected a list of names")
        result[str(name)] = [str(a) for a in aliases]
    return result


def load(path: Path = DATA_FILE, aliases_path: Path = ALIASES_FILE) -> GateData:
    """Read the generated data (aliases from their hand-written file, so an edit there needs
    no regeneration). The parse is cached by the file's text (common.parsed)."""
    text = path.read_text(encoding="utf-8")
    doc = parsed.parse("feature-gates", text, lambda t: _yaml_load(t, path))
    if not isinstance(doc, dict) or "gates" not in doc or "sources" not in doc:
        raise DataError(f"{path}:1: expected latest, sources and gates")
    gates: dict[str, Gate] = {}
    for item in doc["gates"]:
        try:
            entries = _page_entries(item["stages"])
        except (KeyError, ValueError, DataError) as exc:
            raise DataError(f"{path}:1: {item.get('name')}: {exc}") from exc
        removed_in = item.get("removedIn")
        gates[item["name"]] = Gate(
            item["name"],
            entries,
            bool(item.get("removed", False)),
            Version.parse(removed_in) if removed_in else None,
            str(item.get("source", "")),
            list(item.get("notes") or []),
            list(item.get("aliases") or []),
        )
    for name, aliases in load_aliases(aliases_path, set(gates)).items():
        gates[name].aliases = aliases
    return GateData(gates, Version.parse(doc.get("latest", LATEST)), doc["sources"])


# ---------------------------------------------------------------------------------------------
# Wording


def _v(version: Version) -> str:
    """v1.35, or v1.35.4 for a patch release (v1.35.0 reads as v1.35)."""
    if version.has_patch and version.patch == 0:
        return f"v{version.major}.{version.minor}"
    return f"v{version}"


def _groups(entries: list[Entry]) -> list[list[Entry]]:
    groups: list[list[Entry]] = []
    for e in entries:
        if groups and groups[-1][-1].stage == e.stage:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


def _default_words(on: bool) -> str:
    return "on by default" if on else "off by default"


def _group_phrase(group: list[Entry], end: Version | None, current: bool) -> str:
    """One stage: "beta since v1.35, on by default, off by default from v1.35.4"."""
    first = group[0]
    stage = first.stage
    if first.version.unknown_start:
        head = stage if current else f"{stage} until {_v(end)}" if end else stage
    elif current:
        head = f"{stage} since {_v(first.version)}"
    elif (
        end is None
        or end == first.version
        or (end.minor_key == first.version.minor_key and not end.has_patch)
    ):
        head = f"{stage} in {_v(first.version)}"
    else:
        head = f"{stage} in {_v(first.version)}{DASH}{_v(end)}"
    parts = [head]
    word = "since" if current else "from"
    # Defaults: stable is on unless said otherwise; list every change within the stage.
    prev_default = None
    for i, e in enumerate(group):
        if e.default == prev_default:
            continue
        if i == 0:
            if stage != "stable" or not e.default:
                parts.append(_default_words(e.default))
        else:
            last_change = all(x.default == e.default for x in group[i:])
            w = word if last_change else "from"
            parts.append(f"{_default_words(e.default)} {w} {_v(e.version)}")
        prev_default = e.default
    text = ", ".join(parts)
    locks = [e for e in group if e.locked]
    if locks and all(x.locked for x in group[group.index(locks[0]) :]):
        onoff = "on" if locks[0].default else "off"
        if locks[0] is first:
            text += f" (locked {onoff})"
        else:
            text += f" (locked {onoff} {'in' if current else 'from'} {_v(locks[0].version)})"
    return text


def render(
    gate: Gate | str,
    latest: str | Version = LATEST,
    history: bool = False,
    data: GateData | None = None,
) -> str:
    """The state of a gate in words, from the data only.

    Current state:  "stable since v1.33 (locked on in v1.35)".
    History:        "alpha in v1.31-v1.32, off by default; beta in v1.33-v1.35, off by
                     default, on by default from v1.35; stable since v1.36 (locked on)"
                    (with an en dash between versions).
    """
    if isinstance(gate, str):
        data = data or load()
        found = data.find(gate)
        if found is None:
            raise KeyError(f"unknown feature gate {gate}")
        gate = found
    latest_v = latest if isinstance(latest, Version) else Version.parse(latest)
    entries = gate.entries_until(latest_v)
    if not entries:
        return f"not yet in Kubernetes {_v(latest_v)}"
    removed_now = removed_by(gate, latest_v)
    groups = _groups(entries)
    phrases = []
    for i, group in enumerate(groups):
        is_last = i == len(groups) - 1
        end = (
            groups[i + 1][0].version.before()
            if not is_last
            else (gate.removed_in.before() if removed_now and gate.removed_in else None)
        )
        if history or is_last:
            phrases.append(_group_phrase(group, end, current=is_last))
    text = "; ".join(phrases)
    if removed_now:
        if gate.removed_in:
            text += f"; the gate was removed in {_v(gate.removed_in)}"
        else:
            text += "; the gate has since been removed"
    return text


def removed_by(gate: Gate, latest: Version) -> bool:
    """Whether the gate is gone in `latest` (a gate removed only in a later release is not)."""
    return gate.removed and (
        gate.removed_in is None or gate.removed_in.minor_key <= latest.minor_key
    )


def gate_url(gate: Gate, latest: str | Version = LATEST) -> str:
    latest_v = latest if isinstance(latest, Version) else Version.parse(latest)
    return (REMOVED_URL if removed_by(gate, latest_v) else GATES_URL) + "#" + gate.name


# ---------------------------------------------------------------------------------------------
# Pages: the inline syntax and the prose check

SYNTAX = re.compile(r"\[\[gate:([A-Za-z0-9]+)(\|history)?\]\]")
_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# A stated state: "beta since v1.35", "graduated to stable in v1.33", "generally available
# since 1.33", "GA as of v1.33", "beta, enabled by default, since v1.35" (one short aside
# between the stage and the word, in commas or brackets), with or without the "v".
_CLAIM = re.compile(
    r"\b(?P<moved>(?i:graduated|promoted|moved)\s+to\s+)?"
    r"(?:(?i:(?P<stage>alpha|beta|stable|generally\s+available|deprecated))|(?P<ga>GA))\b"
    r"(?:\s*,[^,.;|()]{1,40},|\s*\([^()]{1,40}\))?\s+"
    r"(?i:(?P<word>in|since|from|as\s+of))\s+v?(?P<version>1\.\d+(?:\.\d+)?)\b"
)
# A claim belongs to a gate named in the same sentence, clause (";") or table cell ("|").
SENTENCE_END = re.compile(
    r"(?<![ .]e\.g\.)(?<![ .]i\.e\.)(?<! vs\.)(?<=[.!?])\s+(?=\S)"
    r"|\s*[;|]\s*"
)
# A list item, heading, table row or admonition starts a new paragraph.
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|#|\||!!!|\?\?\?)")
_CAMEL = re.compile(r"\b[A-Z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+\b")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    gate: str = ""
    claim: str = ""
    pending: str = ""  # the reason from data/feature-gate-pending.yaml: reported, not failing

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text} [pending: {self.pending}]" if self.pending else text


def load_pending(path: Path = PENDING_FILE) -> dict[tuple[str, str, str], str]:
    """data/feature-gate-pending.yaml: known contradictions on pages this branch may not edit
    (page, gate, claim, reason). Each is reported on every build but does not fail it; delete
    the entry when the page is fixed."""
    if not path.is_file():
        return {}
    doc = _yaml_load(path.read_text(encoding="utf-8"), path) or []
    result = {}
    for item in doc:
        if not all(item.get(k) for k in ("page", "gate", "claim", "reason")):
            raise DataError(f"{path}:1: every entry needs page, gate, claim and reason")
        result[(item["page"], item["gate"], item["claim"])] = str(item["reason"])
    return result


def _prose_lines(markdown: str) -> list[tuple[int, str | None]]:
    """(line number, text) for every line; text is None inside fenced code blocks."""
    out: list[tuple[int, str | None]] = []
    fence: str | None = None
    fence_indent = 0
    for number, line in enumerate(markdown.split("\n"), start=1):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, fence_indent = m.group("fence"), len(m.group("indent"))
            out.append((number, None))
            continue
        if fence is not None:
            if (
                m
                and m.group("fence")[0] == fence[0]
                and len(m.group("fence")) >= len(fence)
                and line.strip() == m.group("fence")
                and len(m.group("indent")) <= fence_indent + 3
            ):
                fence = None
            out.append((number, None))
            continue
        out.append((number, line))
    return out


def _outside_code_spans(line: str, fn) -> str:
    """Apply fn to the parts of a line that are not inline code."""
    pieces, pos = [], 0
    for m in CODE_SPAN.finditer(line):
        pieces.append(fn(line[pos : m.start()]))
        pieces.append(m.group(0))
        pos = m.end()
    pieces.append(fn(line[pos:]))
    return "".join(pieces)


def expand(markdown: str, path: str, data: GateData) -> tuple[str, list[Problem]]:
    """Replace every [[gate:Name]] outside code with the linked state; unknown names are
    problems. Code blocks and inline code are returned unchanged."""
    problems: list[Problem] = []
    out_lines = []
    lines = markdown.split("\n")
    for number, text in _prose_lines(markdown):
        if text is None:
            out_lines.append(lines[number - 1])
            continue

        def sub(part: str, number: int = number) -> str:
            def one(m: re.Match) -> str:
                gate = data.find(m.group(1))
                if gate is None:
                    problems.append(Problem(path, number, f"unknown feature gate {m.group(1)}"))
                    return m.group(0)
                if gate.removed and gate.removed_in is None:
                    problems.append(
                        Problem(
                            path,
                            number,
                            f"{gate.name}: the data does not say when the gate was removed; "
                            "add removedIn with its source to data/feature-gate-fills.yaml",
                        )
                    )
                words = render(gate, data.latest, history=bool(m.group(2)))
                return f'[{words}]({gate_url(gate, data.latest)} "Feature gate {gate.name}")'

            return SYNTAX.sub(one, part)

        out_lines.append(_outside_code_spans(text, sub))
    return "\n".join(out_lines), problems


def paragraphs(markdown: str) -> Iterable[tuple[str, list[int]]]:
    """Prose paragraphs as one string, with the file line of every character."""
    text, lines = "", []
    for number, line in _prose_lines(markdown):
        if text and line is not None and _BLOCK_START.match(line):
            yield text, lines
            text, lines = "", []
        if line is None or not line.strip():
            if text:
                yield text, lines
            text, lines = "", []
            continue
        chunk = line.strip() + " "
        text += chunk
        lines += [number] * len(chunk)
    if text:
        yield text, lines


def _mentions(sentence: str, data: GateData, alias_index: list[tuple[re.Pattern, str]]):
    found = []
    for m in _CAMEL.finditer(sentence):
        if data.find(m.group(0)):
            found.append((m.start(), m.group(0)))
    for pattern, name in alias_index:
        for m in pattern.finditer(sentence):
            found.append((m.start(), name))
    return sorted(found)


def _owner(claim: re.Match, claims: list[re.Match], mentions: list[tuple[int, str]]):
    """The gate a claim is about: the nearest name before it, else the nearest name after it
    that no later claim follows ("alpha in v1.35 behind the `X` gate", but not "deprecated
    since v1.33 in favour of X (stable since v1.21)")."""
    before = [m for m in mentions if m[0] < claim.start()]
    if before:
        return before[-1][1]
    for pos, name in mentions:
        if not any(c.start() > pos for c in claims):
            return name
    return None


def _alias_pattern(alias: str) -> re.Pattern:
    """An alias matches case-insensitively, whole words, with or without code backticks
    around its words ("`ipvs` mode")."""
    words = r"`?\s+`?".join(re.escape(w) for w in alias.split())
    return re.compile(r"(?<![\w-])`?" + words + r"`?(?![\w-])", re.I)


def _claim_parts(claim: re.Match) -> tuple[str, str, Version]:
    """(stage, word, version) of a claim. "GA" and "generally available" mean stable; "as of"
    means the stage holds in that release ("in"); "graduated to X in" means X began there
    ("from")."""
    stage = " ".join((claim.group("stage") or "stable").lower().split())
    stage = "stable" if stage == "generally available" else stage
    word = " ".join(claim.group("word").lower().split())
    word = "in" if word == "as of" else word
    if claim.group("moved") and word == "in":
        word = "from"
    return stage, word, Version.parse(claim.group("version"))


def _claim_holds(gate: Gate, stage: str, word: str, version: Version, latest: Version) -> bool:
    if word == "in":
        return stage in gate.stages_in_minor(version.minor_key)
    # since / from: a run of this stage starts in that version ...
    entries = gate.entries_until(latest)
    for group in _groups(entries):
        if group[0].stage != stage:
            continue
        start = group[0].version
        starts_here = (
            start.unknown_start and version.minor_key <= max(e.version for e in group).minor_key
        ) or start.minor_key == version.minor_key
        if not starts_here:
            continue
        if word == "from":
            return True
        # ... and, for "since", is still the state at `latest` (or was the last state
        # before the gate was removed).
        return group is _groups(entries)[-1] or group[-1] is entries[-1]
    return False


def check(
    markdown: str, path: str, data: GateData, pending: dict[tuple[str, str, str], str] | None = None
) -> list[Problem]:
    """Unknown gates in the syntax, and stated states the data contradicts (those listed in
    `pending` come back with their reason, for the caller to report without failing)."""
    pending = pending or {}
    problems = expand(markdown, path, data)[1]
    alias_index = [(_alias_pattern(a), g.name) for g in data.gates.values() for a in g.aliases]
    for text, lines in paragraphs(markdown):
        plain = SYNTAX.sub(lambda m: " " * len(m.group(0)), text)
        plain = plain.replace("**", "  ").replace("__", "  ")
        pos = 0
        for piece in SENTENCE_END.split(plain):
            start = plain.index(piece, pos)
            pos = start + len(piece)
            claims = list(_CLAIM.finditer(piece))
            if not claims:
                continue
            mentions = _mentions(piece, data, alias_index)
            if not mentions:
                continue
            for claim in claims:
                name = _owner(claim, claims, mentions)
                if name is None:
                    continue
                gate = data.gates[name]
                stage, word, version = _claim_parts(claim)
                if version.minor_key > data.latest.minor_key:
                    continue
                if not _claim_holds(gate, stage, word, version, data.latest):
                    line = lines[start + claim.start()]
                    problems.append(
                        Problem(
                            path,
                            line,
                            f'{name}: "{claim.group(0)}" contradicts the data: '
                            f"{render(gate, data.latest, history=True)}",
                            name,
                            claim.group(0),
                            pending.get((path, name, claim.group(0)), ""),
                        )
                    )
    return sorted(problems, key=lambda p: (p.path, p.line))


def check_paths(
    paths: Iterable[Path], data: GateData, pending: dict[tuple[str, str, str], str] | None = None
) -> list[Problem]:
    problems = []
    for p in paths:
        files = sorted(p.rglob("*.md")) if p.is_dir() else [p]
        for f in files:
            problems += check(f.read_text(encoding="utf-8"), _rel(f), data, pending)
    return problems


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.content.feature_gates")
    sub = parser.add_subparsers(dest="cmd", required=True)
    gen = sub.add_parser("generate", help="write data/feature-gates.yaml from the sources")
    gen.add_argument(
        "--website-dir",
        type=Path,
        required=True,
        help="copies of kubernetes/website feature-gate pages, plus commits.yaml",
    )
    gen.add_argument(
        "--feature-list",
        type=Path,
        required=True,
        help="a copy of kubernetes/kubernetes versioned_feature_list.yaml",
    )
    gen.add_argument("--feature-list-repo", default="kubernetes/kubernetes")
    gen.add_argument("--feature-list-commit", required=True)
    gen.add_argument(
        "--earlier-list",
        nargs=3,
        metavar=("FILE", "REPO", "COMMIT"),
        help="an older copy of the list from the same cycle: gates it alone has are kept",
    )
    gen.add_argument("--out", type=Path, default=DATA_FILE)
    chk = sub.add_parser("check", help="check pages against the data")
    chk.add_argument("paths", nargs="*", type=Path, default=[ROOT / "docs"])
    ren = sub.add_parser("render", help="print a gate's state")
    ren.add_argument("gate")
    ren.add_argument("--history", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "generate":
            gates = generate(
                args.website_dir,
                args.feature_list,
                args.feature_list_repo,
                args.feature_list_commit,
                out=args.out,
                earlier=(Path(args.earlier_list[0]), *args.earlier_list[1:])
                if args.earlier_list
                else None,
            )
            print(f"{_rel(args.out)}: {len(gates)} gates")
            return 0
        data = load()
        if args.cmd == "render":
            print(render(args.gate, data.latest, history=args.history, data=data))
            return 0
        problems = check_paths(args.paths, data, load_pending())
    except (DataError, KeyError) as exc:
        print(exc, file=sys.stderr)
        return 1
    for p in problems:
        print(p)
    return 1 if any(not p.pending for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
