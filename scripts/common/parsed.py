"""Parsed data files kept by the hash of their text, in memory and in .cache/parsed/.

Why: ruamel.yaml is pure Python here (no ruamel.yaml.clib wheel pinned), and the build reads
data/feature-gates.yaml (85 KB) at every build: 0.6 s of parsing on this machine, a tenth of a
full build, for a file that changes only when it is regenerated. The key is the text itself
(SHA-256), so an edited file is parsed again and a stale result is never used; the value is
plain data (dicts, lists, strings, numbers), pickled beside the other build caches.
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
_memory: dict[str, object] = {}


def parse(kind: str, text: str, parser: Callable[[str], object], cache: Path = CACHE_DIR):
    """`parser(text)`, or its result for the same `kind` and text from an earlier call."""
    key = f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
    if key in _memory:
        return _memory[key]
    path = cache / f"{key}.pickle"
    try:
        value = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        value = parser(text)
        with contextlib.suppress(OSError):  # a read-only checkout still builds, only slower
            atomic.write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    _memory[key] = value
    return value
