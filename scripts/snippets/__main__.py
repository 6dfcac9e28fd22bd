"""``python -m scripts.snippets [FILE_OR_DIR ...]`` (default docs/): print every finding,
then the summary line; exit 1 on any error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import check_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.snippets", description=__doc__)
    parser.add_argument(
        "paths", nargs="*", type=Path, default=[Path("docs")], metavar="FILE_OR_DIR"
    )
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not update .cache/")
    parser.add_argument(
        "--versions",
        action="store_true",
        help="list every block that is not valid on all supported Kubernetes minors, and why",
    )
    args = parser.parse_args(argv)
    try:
        report = check_paths(args.paths, use_cache=not args.no_cache)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for finding in report.findings:
        print(finding)
    if args.versions:
        for line in report.version_details():
            print(line)
    print(report.version_summary())
    print(report.summary())
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
