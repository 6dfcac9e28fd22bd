"""Replace a file all at once: readers see the old file or the new one, never half of one.

Why one helper: the PDF, its TOC cache and the offline zip are written where readers (a web
server, the next export) may look while they are being written, and a failed write must leave
the previous file in place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside `out` (named `.<name>.*.tmp`); when the block ends
    without error it becomes `out`, otherwise it is removed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o644)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(out: Path, data: bytes) -> None:
    with replacing(out) as tmp:
        tmp.write_bytes(data)


def write_text(out: Path, text: str) -> None:
    with replacing(out) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
