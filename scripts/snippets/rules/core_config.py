"""core/v1 ConfigMap, Secret and LimitRange rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import names
from .common import CORE, Context, Path_, Violation, check_enum, check_name, required, rule


@rule(CORE + "ConfigMap", CORE + "Secret")
def config_keys(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """IsConfigMapKey for data/binaryData/stringData keys; keys unique across maps."""
    if not isinstance(node, dict):
        return
    seen: set[str] = set()
    for section in ("data", "binaryData", "stringData"):
        values = node.get(section)
        if not isinstance(values, dict):
            continue
        for key in values:
            yield from check_name(key, (*path, section, key), names.config_map_key)
            if key in seen and section != "stringData":
                yield Violation((*path, section, key), f'Duplicate value: "{key}"')
            seen.add(key)


SECRET_TYPE_KEYS = {
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/basic-auth": (),
    "kubernetes.io/ssh-auth": ("ssh-privatekey",),
}


@rule(CORE + "Secret")
def secret_type(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """ValidateSecret: typed Secrets need their keys."""
    if not isinstance(node, dict) or not ctx.standalone:
        return
    keys = set(node.get("data") or {}) | set(node.get("stringData") or {})
    for key in SECRET_TYPE_KEYS.get(node.get("type") or "", ()):
        if key not in keys:
            yield required((*path, "data", key))


@rule(CORE + "LimitRangeItem")
def limit_range_item(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "type", ("Container", "Pod", "PersistentVolumeClaim"), path)
