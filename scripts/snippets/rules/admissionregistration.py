"""admissionregistration.k8s.io/v1 rules: failure policies and policy bindings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .common import Context, Path_, Violation, check_enum, required, rule, unsupported


@rule(
    "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec",
    "io.k8s.api.admissionregistration.v1.ValidatingWebhook",
    "io.k8s.api.admissionregistration.v1.MutatingWebhook",
)
def failure_policy(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "failurePolicy", ("Fail", "Ignore"), path)


@rule("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec")
def policy_binding_actions(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    for i, action in enumerate(node.get("validationActions") or []):
        if action not in ("Deny", "Warn", "Audit"):
            yield unsupported((*path, "validationActions", i), action, ("Deny", "Warn", "Audit"))
    if ctx.standalone and not node.get("policyName"):
        yield required((*path, "policyName"))
