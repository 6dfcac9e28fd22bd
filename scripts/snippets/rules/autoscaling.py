"""autoscaling/v2 rules: HorizontalPodAutoscaler (pkg/apis/autoscaling/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .common import Context, Path_, Violation, invalid, required, rule, unsupported


@rule("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec")
def hpa_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    low, high = node.get("minReplicas"), node.get("maxReplicas")
    if isinstance(low, int) and low < 1:
        yield invalid((*path, "minReplicas"), low, "must be greater than or equal to 1")
    if isinstance(low, int) and isinstance(high, int) and high < low:
        yield invalid(
            (*path, "maxReplicas"), high, "must be greater than or equal to `minReplicas`"
        )


@rule("io.k8s.api.autoscaling.v2.MetricSpec")
def hpa_metric(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    kinds = {
        "Resource": "resource",
        "Pods": "pods",
        "Object": "object",
        "External": "external",
        "ContainerResource": "containerResource",
    }
    mtype = node.get("type")
    if mtype not in kinds:
        if mtype is not None:
            yield unsupported((*path, "type"), mtype, kinds)
        return
    if node.get(kinds[mtype]) is None:
        yield required(
            (*path, kinds[mtype]),
            f"must populate information for the given metric source (type {mtype})",
        )


@rule("io.k8s.api.autoscaling.v2.MetricTarget")
def hpa_target(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    fields = {"Utilization": "averageUtilization", "Value": "value", "AverageValue": "averageValue"}
    ttype = node.get("type")
    if ttype not in fields:
        if ttype is not None:
            yield unsupported((*path, "type"), ttype, fields)
        return
    if node.get(fields[ttype]) is None:
        yield required((*path, fields[ttype]), f"must set {fields[ttype]} when `type` is '{ttype}'")
