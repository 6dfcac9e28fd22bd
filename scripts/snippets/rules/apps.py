"""apps/v1 (and the workload-wide) rules: selector vs template labels, restart policies
per controller, update strategies (pkg/apis/apps/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import names
from .common import (
    POD_RESTART,
    TOP,
    Context,
    Path_,
    Violation,
    check_enum,
    dig,
    invalid,
    rule,
    unsupported,
)
from .meta import selector_matches, selector_text

# Where each workload keeps its selector and pod template, and which pod restart
# policies its controller accepts.
WORKLOADS: dict[str, tuple[Path_, tuple[str, ...]]] = {
    "Deployment": (("spec",), ("Always",)),
    "ReplicaSet": (("spec",), ("Always",)),
    "StatefulSet": (("spec",), ("Always",)),
    "DaemonSet": (("spec",), ("Always",)),
    "ReplicationController": (("spec",), ("Always",)),
    "Job": (("spec",), ("OnFailure", "Never")),
    "CronJob": (("spec", "jobTemplate", "spec"), ("OnFailure", "Never")),
}


@rule(TOP)
def selector_matches_template_labels(ctx: Context, data: Any, path: Path_) -> Iterator[Violation]:
    """apps/batch validation: `selector` does not match template `labels`; empty selector;
    a Job's selector is generated unless manualSelector is true."""
    if ctx.kind not in WORKLOADS:
        return
    spec_path, _ = WORKLOADS[ctx.kind]
    spec = dig(data, *spec_path)
    if not isinstance(spec, dict):
        return
    selector = spec.get("selector")
    tmpl_path = (*spec_path, "template", "metadata", "labels")
    labels = dig(data, *tmpl_path)
    labels = labels if isinstance(labels, dict) else {}
    if selector is None:
        return
    if ctx.kind == "ReplicationController":  # a plain map selector
        if isinstance(selector, dict) and any(labels.get(k) != v for k, v in selector.items()):
            yield invalid(tmpl_path, labels, "`selector` does not match template `labels`")
        return
    if ctx.kind in ("Job", "CronJob") and spec.get("manualSelector") is not True:
        yield invalid(
            (*spec_path, "selector"),
            selector_text(selector),
            "`selector` not auto-generated "
            "(leave it out, or set `manualSelector: true` to choose your own)",
        )
        return
    if (
        isinstance(selector, dict)
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    ):
        yield invalid(
            (*spec_path, "selector"), "<empty>", f"empty selector is invalid for {ctx.kind.lower()}"
        )
        return
    if not selector_matches(selector, labels):
        shown = ",".join(f"{k}={v}" for k, v in labels.items()) or "<none>"
        yield invalid(
            tmpl_path,
            shown,
            f"`selector` does not match template `labels` (selector: {selector_text(selector)})",
        )


@rule(TOP)
def template_restart_policy(ctx: Context, data: Any, path: Path_) -> Iterator[Violation]:
    """Controllers accept only some pod restart policies (Deployment: Always; Job: OnFailure
    or Never, and a Job must set one: the default Always is rejected)."""
    if ctx.kind not in WORKLOADS:
        return
    spec_path, allowed = WORKLOADS[ctx.kind]
    pod_path = (*spec_path, "template", "spec")
    pod = dig(data, *pod_path)
    if not isinstance(pod, dict):
        return
    policy = pod.get("restartPolicy")
    if policy is None and "Always" not in allowed:  # the default, Always, is rejected
        yield unsupported((*pod_path, "restartPolicy"), "Always", allowed)
    elif policy is not None and policy not in allowed and policy in POD_RESTART:
        yield unsupported((*pod_path, "restartPolicy"), policy, allowed)


@rule("io.k8s.api.apps.v1.DeploymentStrategy")
def deployment_strategy(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from check_enum(node, "type", ("RollingUpdate", "Recreate"), path)
    rolling = node.get("rollingUpdate")
    if node.get("type") == "Recreate" and rolling:
        yield Violation(
            (*path, "rollingUpdate"),
            "Forbidden: may not be specified when strategy `type` is 'Recreate'",
        )
    if isinstance(rolling, dict):
        for key in ("maxSurge", "maxUnavailable"):
            if rolling.get(key) is not None:
                problem = names.int_or_percent(rolling[key])
                if problem:
                    yield invalid((*path, "rollingUpdate", key), rolling[key], problem)
        if rolling.get("maxSurge") in (0, "0%") and rolling.get("maxUnavailable") in (0, "0%"):
            yield invalid(
                (*path, "rollingUpdate", "maxUnavailable"),
                rolling["maxUnavailable"],
                "may not be 0 when `maxSurge` is 0",
            )


@rule("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "io.k8s.api.apps.v1.StatefulSetUpdateStrategy")
def update_strategy(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "type", ("RollingUpdate", "OnDelete"), path)


@rule("io.k8s.api.apps.v1.StatefulSetSpec")
def statefulset_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "podManagementPolicy", ("OrderedReady", "Parallel"), path)
