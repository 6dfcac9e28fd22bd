"""apimachinery rules: object metadata (names per kind, labels, annotations), quantity
syntax and label selectors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from .. import names
from .common import (
    META,
    TOP,
    Context,
    Path_,
    Violation,
    check_labels,
    check_name,
    invalid,
    required,
    rule,
    unsupported,
)

# Which name syntax the API server applies to metadata.name, per kind (default: subdomain).
NAME_RULES: dict[str, Callable[[str], str | None]] = {
    "Service": names.dns1035_label,
    "Namespace": names.dns1123_label,
    "Role": names.path_segment,
    "ClusterRole": names.path_segment,
    "RoleBinding": names.path_segment,
    "ClusterRoleBinding": names.path_segment,
    "PersistentVolume": names.path_segment,
    "HorizontalPodAutoscaler": names.path_segment,
}


@rule(TOP)
def name_or_generate_name_required(ctx: Context, data: Any, path: Path_) -> Iterator[Violation]:
    """ValidateObjectMeta: a standalone object needs metadata.name or generateName."""
    meta = data.get("metadata") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or not (meta.get("name") or meta.get("generateName")):
        yield required(("metadata", "name"), "name or generateName is required")


@rule(META + "ObjectMeta")
def object_meta(ctx: Context, meta: Any, path: Path_) -> Iterator[Violation]:
    """Names (per kind), namespace, label and annotation syntax."""
    if not isinstance(meta, dict):
        return
    if path == ("metadata",) and ctx.kind:
        validator = NAME_RULES.get(ctx.kind, names.dns1123_subdomain)
        yield from check_name(meta.get("name"), (*path, "name"), validator)
        generate = meta.get("generateName")
        if isinstance(generate, str) and generate:
            # The API server validates the prefix with a trailing '-' masked.
            yield from check_name(generate.rstrip("-") or "a", (*path, "generateName"), validator)
        if ctx.kind == "CronJob" and isinstance(meta.get("name"), str) and len(meta["name"]) > 52:
            yield invalid((*path, "name"), meta["name"], "must be no more than 52 characters")
    yield from check_name(meta.get("namespace"), (*path, "namespace"), names.dns1123_label)
    yield from check_labels(meta.get("labels"), (*path, "labels"))
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        for key in annotations:
            yield from check_name(key, (*path, "annotations", key), names.qualified_name)


@rule("io.k8s.apimachinery.pkg.api.resource.Quantity")
def quantity_syntax(ctx: Context, value: Any, path: Path_) -> Iterator[Violation]:
    """resource.ParseQuantity: `512MB`, `1.5 Gi`, `100mi` are not quantities."""
    if value is not None and names.parse_quantity(value) is None:
        yield invalid(
            path,
            value,
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' "
            "(e.g. 512Mi, 1Gi, 500m, 0.5)",
        )


SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


NODE_SELECTOR_OPS = (*SELECTOR_OPS, "Gt", "Lt")


def _requirement(req: Any, path: Path_, ops: tuple[str, ...]) -> Iterator[Violation]:
    if not isinstance(req, dict):
        return
    yield from check_name(req.get("key"), (*path, "key"), names.qualified_name)
    op = req.get("operator")
    values = req.get("values") or []
    if op not in ops:
        if op is not None:
            yield unsupported((*path, "operator"), op, ops)
        return
    if op in ("In", "NotIn") and not values:
        yield required((*path, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
    if op in ("Exists", "DoesNotExist") and values:
        yield Violation(
            (*path, "values"),
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        )
    if op in ("Gt", "Lt"):
        if len(values) != 1:
            yield required(
                (*path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"
            )
        elif not re.fullmatch(r"-?[0-9]+", str(values[0])):
            yield invalid(
                (*path, "values", 0),
                values[0],
                "must be an integer when `operator` is 'Lt' or 'Gt'",
            )


@rule(META + "LabelSelector")
def label_selector(ctx: Context, sel: Any, path: Path_) -> Iterator[Violation]:
    """ValidateLabelSelector: matchLabels syntax and matchExpressions operators/values."""
    if not isinstance(sel, dict):
        return
    yield from check_labels(sel.get("matchLabels"), (*path, "matchLabels"))
    for i, req in enumerate(sel.get("matchExpressions") or []):
        yield from _requirement(req, (*path, "matchExpressions", i), SELECTOR_OPS)


def selector_matches(selector: Any, labels: dict[str, Any]) -> bool:
    """metav1.LabelSelectorAsSelector(...).Matches(labels)."""
    if not isinstance(selector, dict):
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if str(labels.get(key)) != str(value) or key not in labels:
            return False
    for req in selector.get("matchExpressions") or []:
        if not isinstance(req, dict):
            continue
        key, op = req.get("key"), req.get("operator")
        values = [str(v) for v in req.get("values") or []]
        present = key in labels
        if op == "In" and not (present and str(labels[key]) in values):
            return False
        if op == "NotIn" and present and str(labels[key]) in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def selector_text(selector: Any) -> str:
    if not isinstance(selector, dict):
        return str(selector)
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for req in selector.get("matchExpressions") or []:
        if isinstance(req, dict):
            parts.append(
                f"{req.get('key')} {req.get('operator')} {req.get('values') or ''}".strip()
            )
    return ",".join(parts) or "<empty>"
