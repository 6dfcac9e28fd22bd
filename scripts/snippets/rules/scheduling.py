"""scheduling.k8s.io/v1 rules: PriorityClass (pkg/apis/scheduling/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .common import Context, Path_, Violation, check_enum, dig, invalid, rule


@rule("io.k8s.api.scheduling.v1.PriorityClass")
def priority_class(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from check_enum(node, "preemptionPolicy", ("PreemptLowerPriority", "Never"), path)
    value = node.get("value")
    name = dig(node, "metadata", "name")
    if isinstance(value, int) and value > 1_000_000_000 and not str(name).startswith("system-"):
        yield invalid(
            (*path, "value"),
            value,
            "maximum allowed value of a user defined priority is 1000000000",
        )
