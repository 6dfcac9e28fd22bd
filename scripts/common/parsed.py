"""Parsed data files kept by the hash of their text, in memory and in .cache/parsed/.

Why: ruamel.yaml is pure Python here (no ruamel.yaml.clib wheel pinned), and the build reads
data/feature-gates.yaml (85 KB) at every build: 0.6 s of parsing on this machine, a tenth of a
full build, for a file that changes only when it is regenerated. The key is the text itself
(SHA-256), so an edited file is parsed again and a stale result is never used; the value is
pickled beside the other build caches (ruamel's round-trip nodes keep their line numbers
through pickle, so errors found later still name file:line). The other data files read at
every build (glossary, ports, exams and every page's front matter) go through here too.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from scripts import project
from scripts.common import atomic

CACHE_DIR = project.CACHE / "parsed"
_memory: dict[str, bytes] = {}  # pickles: every call gets its own copy, never a shared one


def parse(kind: str, text: str, parser: Callable[[str], object], cache: Path = CACHE_DIR):
    """`parser(text)`, or its result for the same `kind` and text from an earlier call.
    A parser that raises is never cached: the error comes from the parser every time."""
    key = f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
    data = _memory.get(key)
    if data is None:
        path = cache / f"{key}.pickle"
        try:
            data = path.read_bytes()
            value = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            value = parser(text)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(OSError):  # a read-only checkout still builds, slower
                atomic.write_bytes(path, data)
        _memory[key] = data
        return value
    return pickle.loads(data)
