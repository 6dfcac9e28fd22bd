"""The rule framework: registration by OpenAPI definition, the walker that follows a
document through the schema, and the helpers every rule module uses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import names
from ..schemas import Schemas
from ..yamldoc import PathPart

Path_ = tuple[PathPart, ...]


@dataclass(frozen=True)
class Violation:
    """A rule's finding: the field path (in the document) and the message."""

    path: Path_
    message: str
    severity: str = "error"


@dataclass
class Context:
    """What a rule may need beyond the node it inspects."""

    kind: str | None  # the document's kind (None for a fragment)
    api_version: str | None
    standalone: bool  # a complete object as sent to the API server (not a fragment)
    root: Any  # the whole document (plain data)
    schemas: Schemas


RuleFn = Callable[[Context, Any, Path_], Iterable[Violation]]


RULES: dict[str, list[RuleFn]] = defaultdict(list)


TOP = "<document>"  # rules run once on a whole manifest


CORE = "io.k8s.api.core.v1."


META = "io.k8s.apimachinery.pkg.apis.meta.v1."


def rule(*definitions: str) -> Callable[[RuleFn], RuleFn]:
    """Register a rule for one or more OpenAPI definitions (or TOP)."""

    def register(fn: RuleFn) -> RuleFn:
        for name in definitions:
            RULES[name].append(fn)
        return fn

    return register


def run(ctx: Context, data: Any, definition: str, path: Path_ = ()) -> list[Violation]:
    """Every rule violation in ``data`` read as ``definition`` (found at ``path``)."""
    found: list[Violation] = []
    _walk(ctx, data, {"$ref": f"#/$defs/{definition}"}, path, found)
    return found


def run_top(ctx: Context, data: Any) -> list[Violation]:
    """The rules that look at a whole standalone manifest (names, selectors)."""
    return [v for fn in RULES[TOP] for v in fn(ctx, data, ())]


def _walk(
    ctx: Context, data: Any, schema: dict[str, Any], path: Path_, found: list[Violation]
) -> None:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        for fn in RULES.get(name, ()):
            found.extend(fn(ctx, data, path))
        schema = ctx.schemas.defs.get(name, {})
    if isinstance(data, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in data.items():
            if key in props:
                _walk(ctx, value, props[key], (*path, key), found)
            elif isinstance(extra, dict):
                _walk(ctx, value, extra, (*path, key), found)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(data):
            _walk(ctx, item, schema["items"], (*path, i), found)


def _quote(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def unsupported(path: Path_, value: object, allowed: Iterable[str]) -> Violation:
    values = ", ".join(f'"{a}"' for a in sorted(allowed))
    return Violation(path, f"Unsupported value: {_quote(value)}: supported values: {values}")


def invalid(path: Path_, value: object, detail: str) -> Violation:
    return Violation(path, f"Invalid value: {_quote(value)}: {detail}")


def required(path: Path_, detail: str = "") -> Violation:
    return Violation(path, "Required value" + (f": {detail}" if detail else ""))


def check_enum(node: Any, key: str, allowed: Iterable[str], path: Path_) -> Iterator[Violation]:
    """An optional enum field: absent or empty is fine, anything else must be listed."""
    if isinstance(node, dict) and node.get(key) not in (None, ""):
        allowed = tuple(allowed)
        if node[key] not in allowed:
            yield unsupported((*path, key), node[key], allowed)


def check_name(
    value: object, path: Path_, validator: Callable[[str], str | None]
) -> Iterator[Violation]:
    if isinstance(value, str):
        problem = validator(value)
        if problem:
            yield invalid(path, value, problem)


def check_labels(labels: Any, path: Path_) -> Iterator[Violation]:
    """Label maps (metadata.labels, matchLabels, nodeSelector, Service selector)."""
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        problem = names.qualified_name(key)
        if problem:
            yield invalid((*path, key), key, problem)
        if isinstance(value, str):
            problem = names.label_value(value)
            if problem:
                yield invalid((*path, key), value, problem)


def check_port(value: object, path: Path_, allow_name: bool = True) -> Iterator[Violation]:
    """A port number 1-65535, or (where allowed) an IANA service name."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not 1 <= value <= 65535:
            yield invalid(path, value, "must be between 1 and 65535, inclusive")
    elif isinstance(value, str) and allow_name:
        if value.isdigit():
            yield invalid(path, value, "a port number must be an integer, not a quoted string")
        else:
            yield from check_name(value, path, names.iana_svc_name)


def dig(data: Any, *keys: PathPart) -> Any:
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


POD_RESTART = ("Always", "OnFailure", "Never")


PULL_POLICIES = ("Always", "IfNotPresent", "Never")


PROTOCOLS = ("TCP", "UDP", "SCTP")


TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
