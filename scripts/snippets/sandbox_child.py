"""The child side of the kubectl sandbox: `python -m scripts.snippets.sandbox_child`.

Why a module of its own: the child (started in fresh network and mount namespaces by
`sandbox.py`) needs both the sandbox set-up and `commands.run_all`; keeping it apart means
`sandbox` and `commands` never import each other. It reads the batch of (kubectl minor,
argv, stdin) jobs as JSON on stdin, brings up loopback, hides the real kubeconfig and cluster
folders, runs the batch and prints the raw results as JSON.
"""

from __future__ import annotations

import json
import os
import sys

from .commands import run_all
from .sandbox import HIDDEN, _hide, _loopback_up


def main() -> int:
    jobs = [(version, tuple(argv), stdin) for version, argv, stdin in json.loads(sys.stdin.read())]
    _loopback_up()
    real_home = os.environ.get("SNIPPETS_REAL_HOME", "/root")
    _hide([*HIDDEN, f"{real_home}/.kube"])
    json.dump(run_all(jobs), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
