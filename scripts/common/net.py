"""Loopback helpers shared by the local servers (site preview, discovery stub, etcd sandbox).

Why: every server the tests, the checks and the bench start listens on 127.0.0.1 on a port
the kernel picks, so two runs side by side never collide.
"""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
