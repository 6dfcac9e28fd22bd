"""What running one command line produced, shared by the kubectl and etcd checkers.

Its own module so that ``commands`` (kubectl) and ``etcd`` import it instead of each
other.
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts import project

# Scratch directories for tool runs (HOME, kubeconfig, sandbox roots) live under .cache/.
CACHE_ROOT = project.CACHE


@dataclass(frozen=True)
class Outcome:
    severity: str | None  # "error", "warning" or None (fine)
    message: str
