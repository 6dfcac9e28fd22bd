"""Timing of the snippet checks, for `make bench` (scripts.bench calls ``measure``).

Cold = no cache (every manifest validated, every command run, Node started); warm = the
cache filled by the cold run, which is what a rebuild pays. Per-snippet costs divide each
checker's cold time by what it checked.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from scripts.snippets import check_paths, runner


def measure(paths: list[Path]) -> dict[str, float | int | str]:
    timings: dict[str, float] = {}
    real = dict(runner.CHECKERS)

    def timed(kind: str):
        def wrapper(blocks):
            start = time.perf_counter()
            try:
                return real[kind](blocks)
            finally:
                timings[kind] = timings.get(kind, 0.0) + time.perf_counter() - start

        return wrapper

    with tempfile.TemporaryDirectory() as tmp:
        cache_file = Path(tmp) / "results.json"
        runner.CHECKERS = {kind: timed(kind) for kind in real}
        try:
            start = time.perf_counter()
            report = check_paths(paths, cache_file=cache_file)
            cold = time.perf_counter() - start
        finally:
            runner.CHECKERS = real
        warm_runs = []
        for _ in range(3):
            start = time.perf_counter()
            check_paths(paths, cache_file=cache_file)
            warm_runs.append(time.perf_counter() - start)
    counts = report.counts
    yaml_docs = counts["manifests"] + counts["fragments"] + counts["other YAML"]

    def per(kind: str, n: int) -> float:
        return round(1000 * timings.get(kind, 0.0) / n, 2) if n else 0.0

    return {
        "summary": report.summary(),
        "cold_s": round(cold, 3),
        "warm_s": round(min(warm_runs), 3),
        "yaml_ms_per_document": per("yaml", yaml_docs),
        "kubectl_etcd_ms_per_command": per("shell", counts["commands"]),
        "mermaid_ms_per_diagram": per("mermaid", counts["diagrams"]),
    }


if __name__ == "__main__":
    targets = [Path(p) for p in sys.argv[1:]] or [Path("docs")]
    print(json.dumps(measure(targets), indent=2))
