"""policy/v1 rules: PodDisruptionBudget (pkg/apis/policy/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import names
from .common import Context, Path_, Violation, check_enum, invalid, rule


@rule("io.k8s.api.policy.v1.PodDisruptionBudgetSpec")
def pdb_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    if node.get("minAvailable") is not None and node.get("maxUnavailable") is not None:
        yield invalid(
            (*path, "minAvailable"),
            node["minAvailable"],
            "minAvailable and maxUnavailable cannot be both set",
        )
    for key in ("minAvailable", "maxUnavailable"):
        if node.get(key) is not None:
            problem = names.int_or_percent(node[key])
            if problem:
                yield invalid((*path, key), node[key], problem)
    yield from check_enum(
        node, "unhealthyPodEvictionPolicy", ("IfHealthyBudget", "AlwaysAllow"), path
    )
