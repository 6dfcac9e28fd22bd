"""rbac.authorization.k8s.io/v1 rules: roleRef, subjects, policy rules
(pkg/apis/rbac/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import names
from .common import Context, Path_, Violation, check_name, invalid, required, rule, unsupported

RBAC_GROUP = "rbac.authorization.k8s.io"


@rule("io.k8s.api.rbac.v1.RoleRef")
def role_ref(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """ValidateRoleBinding / ValidateClusterRoleBinding roleRef rules."""
    if not isinstance(node, dict):
        return
    allowed = ("ClusterRole",) if ctx.kind == "ClusterRoleBinding" else ("Role", "ClusterRole")
    if node.get("kind") is not None and node["kind"] not in allowed:
        yield unsupported((*path, "kind"), node["kind"], allowed)
    if node.get("apiGroup") is not None and node["apiGroup"] != RBAC_GROUP:
        yield unsupported((*path, "apiGroup"), node["apiGroup"], (RBAC_GROUP,))


@rule("io.k8s.api.rbac.v1.Subject")
def rbac_subject(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    kind = node.get("kind")
    if kind not in ("User", "Group", "ServiceAccount"):
        if kind is not None:
            yield unsupported((*path, "kind"), kind, ("User", "Group", "ServiceAccount"))
        return
    group = node.get("apiGroup") or ""
    if kind == "ServiceAccount":
        if group:
            yield unsupported((*path, "apiGroup"), group, ("",))
        if ctx.kind == "ClusterRoleBinding" and not node.get("namespace"):
            yield required((*path, "namespace"))
        if isinstance(node.get("name"), str):
            yield from check_name(node["name"], (*path, "name"), names.dns1123_subdomain)
    elif group != RBAC_GROUP and "apiGroup" in node:
        yield unsupported((*path, "apiGroup"), group, (RBAC_GROUP,))


@rule("io.k8s.api.rbac.v1.PolicyRule")
def policy_rule(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """ValidatePolicyRule: verbs required; resource rules need apiGroups; nonResourceURLs
    only in ClusterRoles and not mixed with resources."""
    if not isinstance(node, dict):
        return
    if not node.get("verbs") and (ctx.standalone or "verbs" in node):
        yield required((*path, "verbs"), "verbs must contain at least one value")
    if node.get("nonResourceURLs"):
        if ctx.kind == "Role":
            yield invalid(
                (*path, "nonResourceURLs"), "", "namespaced rules cannot apply to non-resource URLs"
            )
        if node.get("resources") or node.get("apiGroups"):
            yield invalid(
                (*path, "nonResourceURLs"),
                "",
                "rules cannot apply to both regular resources and non-resource URLs",
            )
    elif node.get("resources") and node.get("apiGroups") is None:
        yield required((*path, "apiGroups"), "resource rules must supply at least one api group")
