"""YAML blocks: manifests, fragments and other YAML.

Classification (CONTRIBUTING.md):
- a document with ``apiVersion`` and ``kind`` is a manifest, validated strictly against
  the v1.37 schema (or a Gateway API schema) plus the API-server rules;
- a block whose first line is ``# fragment: <OpenAPI definition>`` (``[]`` for a list)
  is validated against that definition, with its required fields not enforced;
- ``# config: <what>`` marks YAML that is not a Kubernetes object (counted, parsed);
- anything else is an error, so no YAML is ever skipped silently.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema import ValidationError

from scripts import project

from . import rules
from .blocks import Block
from .kinds import extra_kind
from .report import BlockResult
from .schemas import Schemas, load
from .yamldoc import Document, PathPart, format_path, line_of, parse, value_line, yaml11_booleans

MARKER = re.compile(r"^\s*#\s*(?P<what>fragment|config)\s*:\s*(?P<value>.*?)\s*(\s#.*)?$")
JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return JSON_TYPES.get(type(value), type(value).__name__)


def _marker(text: str) -> tuple[str, str] | None:
    """("fragment", "io.k8s...") or ("config", "what") from the first non-blank line."""
    for line in text.splitlines():
        if line.strip():
            m = MARKER.match(line)
            return (m["what"], m["value"]) if m else None
    return None


# (apiVersion, kind) -> validator, for CustomResourceDefinitions shown on the page being
# checked (set by ``check`` for the duration of one block).
_PAGE_KINDS: dict[tuple[str, str], Any] = {}


def page_crd_validators(crd_texts: Sequence[str]) -> dict[tuple[str, str], Any]:
    """Validators for every served version of the CRDs in ``crd_texts`` (YAML blocks of
    one page): a custom resource on the page is validated like the API server would,
    against its CRD's openAPIV3Schema."""
    from jsonschema import Draft202012Validator

    from .schemas import FORMATS, crd_to_strict

    schemas = load()
    found: dict[tuple[str, str], Any] = {}
    for text in crd_texts:
        docs, _ = parse(text)
        for doc in docs:
            data = doc.data
            if not (isinstance(data, dict) and data.get("kind") == "CustomResourceDefinition"):
                continue
            spec = data.get("spec") or {}
            group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
            for version in spec.get("versions") or []:
                raw = ((version or {}).get("schema") or {}).get("openAPIV3Schema")
                if not (group and kind and isinstance(raw, dict) and version.get("served")):
                    continue
                api_version = f"{group}/{version.get('name')}"
                schema = crd_to_strict(raw, api_version, kind)
                found[(api_version, kind)] = Draft202012Validator(
                    schema, registry=schemas.registry, format_checker=FORMATS
                )
    return found


def check(block: Block, page_crds: Sequence[str] = ()) -> BlockResult:
    """Check one YAML block (all its documents); ``page_crds``: the YAML blocks of the
    same page that define CustomResourceDefinitions."""
    _PAGE_KINDS.clear()
    if page_crds:
        _PAGE_KINDS.update(page_crd_validators(page_crds))
    try:
        return _check(block)
    finally:
        _PAGE_KINDS.clear()


def _check(block: Block) -> BlockResult:
    result = BlockResult()
    docs, error = parse(block.text)
    if error:
        result.add(error.offset, "YAML", "", error.message)
    marker = _marker(block.text)
    if not docs and not error:
        result.count("other YAML")
        return result
    if marker and marker[0] == "fragment":
        _check_fragment(docs, marker[1], result)
        return _close_versions(result)
    for doc in docs:
        data = doc.data
        is_object = isinstance(data, dict) and ("apiVersion" in data or "kind" in data)
        if is_object and marker and marker[0] == "config" and not _known(data):
            result.count("other YAML")  # the author says it is not a Kubernetes object
        elif is_object:
            _check_manifest(doc.tree, data, result)
        elif marker and marker[0] == "config":
            result.count("other YAML")
            _warn_yaml11(doc, "YAML", result)
        else:
            result.count("other YAML")
            result.add(
                doc.start,
                "YAML",
                "",
                "YAML without apiVersion/kind: add `# fragment: <OpenAPI definition>` "
                "or `# config: <what it is>` as its first line",
            )
    return _close_versions(result)


def _close_versions(result: BlockResult) -> BlockResult:
    """A block invalid on the latest minor is invalid on every minor: its errors count
    everywhere a schema was checked (version-specific differences are already noted)."""
    if result.versions or result.counts.get("manifests") or result.counts.get("fragments"):
        errors = [i.message for i in result.issues if i.severity == "error"]
        for version in SUPPORTED:
            result.note_version(version, errors)
    return result


def _warn_yaml11(doc: Document, obj: str, result: BlockResult) -> None:
    """Where no schema can catch it, an unquoted yes/no/on/off is worth a warning: kubectl
    (YAML 1.1) reads it as a boolean."""
    for path, value in yaml11_booleans(doc.tree):
        result.add(
            line_of(doc.tree, path),
            obj,
            format_path(path),
            f"unquoted `{value}` is a boolean for kubectl (YAML 1.1): "
            "quote it if you mean the string",
            "warning",
        )


def _known(data: dict[str, Any]) -> bool:
    """True when apiVersion/kind name a core, Gateway API or listed extra kind."""
    api, kind = str(data.get("apiVersion")), str(data.get("kind"))
    return (api, kind) in load().gvk or extra_kind(api, kind) is not None


def _object_name(data: dict[str, Any]) -> str:
    kind = str(data.get("kind") or "object")
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    if meta.get("name"):
        return f"{kind}/{meta['name']}"
    if meta.get("generateName"):
        return f"{kind}/{meta['generateName']}*"
    return kind


def _check_manifest(
    tree: Any, data: dict[str, Any], result: BlockResult, prefix: Sequence[PathPart] = ()
) -> None:
    """One manifest: resolve its schema, validate, then run the API-server rules."""
    schemas = load()
    obj = _object_name(data)
    api, kind = data.get("apiVersion"), data.get("kind")
    for key, value in (("apiVersion", api), ("kind", kind)):
        if not isinstance(value, str) or not value:
            result.count("manifests")
            result.add(
                line_of(tree, [*prefix]),
                obj,
                format_path([*prefix, key]),
                f'missing required field "{key}"',
            )
            return
    assert isinstance(api, str) and isinstance(kind, str)
    if (api, kind) == ("v1", "List"):
        for i, item in enumerate(data.get("items") or []):
            if isinstance(item, dict):
                _check_manifest(tree, item, result, [*prefix, "items", i])
        return
    target = schemas.gvk.get((api, kind))
    if target is None and (api, kind) in _PAGE_KINDS:
        _check_page_custom_resource(tree, data, api, kind, obj, result, prefix)
        return
    if target is None:
        _check_unlisted(tree, data, api, kind, obj, result, prefix)
        return
    result.count("manifests")
    extra = extra_kind(api, kind)
    if extra is not None and extra.plural is None:  # a configuration file, not an object
        _validate(schemas, target, tree, data, obj, result, prefix)
        return
    if re.search(r"v\d+alpha\d+$", api):
        result.add(
            line_of(tree, [*prefix, "apiVersion"]),
            obj,
            format_path([*prefix, "apiVersion"]),
            f"{api} is an alpha API: disabled unless the API server enables it",
            "warning",
        )
    latest = _validate(schemas, target, tree, data, obj, result, prefix)
    if not target.startswith("http"):  # core kinds: the schemas differ per minor
        _other_minors(api, kind, tree, data, obj, result, prefix, latest)
    ctx = rules.Context(kind=kind, api_version=api, standalone=True, root=data, schemas=schemas)
    violations = rules.run_top(ctx, data)
    if not target.startswith("http"):
        violations += rules.run(ctx, data, target)
    elif isinstance(data.get("metadata"), dict):
        violations += rules.run(ctx, data["metadata"], rules.META + "ObjectMeta", ("metadata",))
    _rule_issues(violations, tree, obj, result, prefix)


def _validate(
    schemas: Schemas,
    target: str,
    tree: Any,
    data: dict[str, Any],
    obj: str,
    result: BlockResult,
    prefix: Sequence[PathPart],
) -> set[tuple[str, str]]:
    """Schema-validate ``data`` against ``target``; returns the (field, message) pairs."""
    validator = (
        schemas.validator(target)
        if target.startswith("http")
        else schemas.definition_validator(target)
    )
    root_def = None if target.startswith("http") else target
    before = len(result.issues)
    _schema_issues(validator.iter_errors(data), tree, schemas, root_def, obj, result, prefix)
    return {(i.field, i.message) for i in result.issues[before:]}


def _other_minors(
    api: str,
    kind: str,
    tree: Any,
    data: dict[str, Any],
    obj: str,
    result: BlockResult,
    prefix: Sequence[PathPart],
    latest: set[tuple[str, str]],
) -> None:
    """Validate against every other supported minor's schema; note what differs there
    (field path and message) on ``result.versions``, never as an error of the page."""
    for version in SUPPORTED:
        if version == LATEST:
            continue
        schemas = load(version)
        target = schemas.gvk.get((api, kind))
        if target is None:
            result.note_version(version, [f"{api} {kind} is not served in v{version}"])
            continue
        scratch = BlockResult()
        found = _validate(schemas, target, tree, data, obj, scratch, prefix)
        result.note_version(version, [f"{f}: {m}" if f else m for f, m in sorted(found - latest)])


def _check_page_custom_resource(
    tree: Any,
    data: dict[str, Any],
    api: str,
    kind: str,
    obj: str,
    result: BlockResult,
    prefix: Sequence[PathPart],
) -> None:
    """A custom resource whose CRD is on the same page."""
    schemas = load()
    result.count("manifests")
    errors = _PAGE_KINDS[(api, kind)].iter_errors(data)
    _schema_issues(errors, tree, schemas, None, obj, result, prefix)
    ctx = rules.Context(kind=kind, api_version=api, standalone=True, root=data, schemas=schemas)
    violations = rules.run_top(ctx, data)
    if isinstance(data.get("metadata"), dict):
        violations += rules.run(ctx, data["metadata"], rules.META + "ObjectMeta", ("metadata",))
    _rule_issues(violations, tree, obj, result, prefix)


def _check_unlisted(
    tree: Any,
    data: dict[str, Any],
    api: str,
    kind: str,
    obj: str,
    result: BlockResult,
    prefix: Sequence[PathPart],
) -> None:
    """A kind outside the core definitions: a listed extra kind, or an error."""
    schemas = load()
    extra = extra_kind(api, kind)
    if extra is not None:
        result.count("other YAML")
        _warn_yaml11(Document(tree, data, 0), obj, result)
        if extra.schema == "gateway" and schemas.gateway_error:
            result.add(line_of(tree, prefix), obj, "", schemas.gateway_error)
        else:
            result.add(
                line_of(tree, [*prefix, "kind"]),
                obj,
                "",
                f"no schema available for {api} {kind} ({extra.what}): parsed as YAML only",
                "warning",
            )
        return
    result.count("manifests")
    result.add(
        value_line(tree, [*prefix, "apiVersion"]),
        obj,
        format_path([*prefix, "apiVersion"]),
        _unknown_kind(schemas, api, kind),
    )


LATEST = project.versions().latest
SUPPORTED = project.versions().supported


def _unknown_kind(schemas: Schemas, api: str, kind: str) -> str:
    versions = schemas.api_versions_of(kind)
    if versions:
        return f"{api} {kind} does not exist in v{LATEST}; use {versions[0]}"
    matches = {k for (_, k) in schemas.gvk if k.lower() == kind.lower()}
    if matches:
        return f'unknown kind "{kind}" in {api}: did you mean {sorted(matches)[0]}?'
    return (
        f"unknown apiVersion/kind {api} {kind}: not in Kubernetes v{LATEST} and not listed "
        "in scripts/snippets/kinds.py"
    )


def _check_fragment(docs: list[Document], definition: str, result: BlockResult) -> None:
    schemas = load()
    is_list = definition.endswith("[]")
    name = definition[:-2] if is_list else definition
    short = name.rsplit(".", 1)[-1]
    obj = f"{short} fragment"
    for doc in docs:
        result.count("fragments")
        if name not in schemas.defs:
            close = [d for d in schemas.defs if d.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]]
            close = close or difflib.get_close_matches(name, list(schemas.defs), n=1)
            hint = f": did you mean {close[0]}{'[]' if is_list else ''}?" if close else ""
            result.add(
                0, obj, "", f'unknown OpenAPI definition "{name}" in the fragment marker{hint}'
            )
            return
        data = doc.data
        if is_list and not isinstance(data, list):
            result.add(
                doc.start,
                obj,
                "",
                f"the marker says a list ({definition}) but the YAML is a {_json_type(data)}",
            )
            continue
        if not is_list and not isinstance(data, dict):
            hint = f": mark it `# fragment: {name}[]`" if isinstance(data, list) else ""
            result.add(
                doc.start,
                obj,
                "",
                f"the marker says a mapping of {short} fields "
                f"but the YAML is a {_json_type(data)}{hint}",
            )
            continue
        latest = _validate_fragment(schemas, name, is_list, doc, obj, result)
        for version in SUPPORTED:
            if version == LATEST:
                continue
            older = load(version)
            if name not in older.defs:
                result.note_version(version, [f"{name} does not exist in v{version}"])
                continue
            found = _validate_fragment(older, name, is_list, doc, obj, BlockResult())
            result.note_version(
                version, [f"{f}: {m}" if f else m for f, m in sorted(found - latest)]
            )
        ctx = rules.Context(
            kind=None, api_version=None, standalone=False, root=data, schemas=schemas
        )
        if is_list:
            violations = [
                v for i, item in enumerate(data) for v in rules.run(ctx, item, name, (i,))
            ]
        else:
            violations = rules.run(ctx, data, name)
        _rule_issues(violations, doc.tree, obj, result)


def _validate_fragment(
    schemas: Schemas, name: str, is_list: bool, doc: Document, obj: str, result: BlockResult
) -> set[tuple[str, str]]:
    validator = schemas.list_validator(name) if is_list else schemas.fragment_validator(name)
    root = "[]" + name if is_list else name
    before = len(result.issues)
    _schema_issues(validator.iter_errors(doc.data), doc.tree, schemas, root, obj, result)
    return {(i.field, i.message) for i in result.issues[before:]}


# --------------------------------------------------------------------------- schema errors


def _definitions_along(
    schemas: Schemas, root: str | None, path: Sequence[PathPart]
) -> list[str | None]:
    """The OpenAPI definition at each prefix of ``path`` (None where unknown).
    ``root`` "[]X" means a list of X."""
    if root is None:
        return [None] * (len(path) + 1)
    out: list[str | None] = []
    schema: dict[str, Any]
    if root.startswith("[]"):
        schema = {"type": "array", "items": {"$ref": f"#/$defs/{root[2:]}"}}
    else:
        schema = {"$ref": f"#/$defs/{root}"}
    for part in [*path, None]:
        name = None
        if isinstance(schema.get("$ref"), str):
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = schemas.defs.get(name, {})
        out.append(name)
        if part is None:
            break
        if isinstance(part, int):
            schema = schema.get("items") or {}
        else:
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            schema = props.get(part) or (extra if isinstance(extra, dict) else {})
    return out


def _unknown_field_hint(
    schemas: Schemas, root: str | None, path: Sequence[PathPart], key: str, allowed: Iterable[str]
) -> str:
    """Where a misplaced field belongs (nearest ancestor that has it), or a spelling hint."""
    along = _definitions_along(schemas, root, path)
    for depth in range(len(path) - 1, -1, -1):
        name = along[depth]
        if name and key in schemas.defs.get(name, {}).get("properties", {}):
            where = format_path(path[:depth]) or "the top level"
            return f" (it belongs in {where})"
    here = along[len(path) - 1] if path else None
    for prop, sub in schemas.defs.get(here or "", {}).get("properties", {}).items():
        child = sub.get("$ref", "").rsplit("/", 1)[-1]
        if child and key in schemas.defs.get(child, {}).get("properties", {}):
            return f" (it belongs under {format_path([*path[:-1], prop])})"
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _types_of(schema: dict[str, Any]) -> list[str]:
    types: list[str] = []
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []) + [schema]:
        t = branch.get("type")
        for name in [t] if isinstance(t, str) else t or []:
            if name != "null" and name not in types:
                types.append(name)
    return types


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def _schema_issues(
    errors: Iterable[ValidationError],
    tree: Any,
    schemas: Schemas,
    root: str | None,
    obj: str,
    result: BlockResult,
    prefix: Sequence[PathPart] = (),
) -> None:
    """Turn jsonschema errors into issues at the offending field's line."""
    for err in errors:
        path: list[PathPart] = list(err.absolute_path)
        full = [*prefix, *path]
        inst = err.instance
        if err.validator == "additionalProperties" and isinstance(inst, dict):
            allowed = err.schema.get("properties", {})
            for key in inst:
                if key not in allowed:
                    hint = _unknown_field_hint(schemas, root, [*path, key], key, allowed)
                    result.add(
                        line_of(tree, [*full, key]),
                        obj,
                        format_path([*full, key]),
                        f'unknown field "{key}"{hint}',
                    )
            continue
        if err.validator == "required" and isinstance(inst, dict):
            for key in err.validator_value:
                if key not in inst:
                    result.add(
                        line_of(tree, full),
                        obj,
                        format_path([*full, key]),
                        f'missing required field "{key}"',
                    )
            continue
        message = _value_message(err, obj, full)
        result.add(line_of(tree, full), obj, format_path(full), message)


def _value_message(err: ValidationError, obj: str, full: Sequence[PathPart]) -> str:
    """The API server's wording for a bad value (type, enum, format)."""
    inst = err.instance
    if err.validator in ("type", "oneOf", "anyOf"):
        expected = " or ".join(_types_of(err.schema)) or "another type"
        shown = _show(inst)
        return f"expected {expected}, got {_json_type(inst)}{' ' + shown if shown else ''}"
    if err.validator == "enum":
        values = ", ".join(f'"{v}"' for v in err.validator_value if v is not None)
        return f"Unsupported value: {_show(inst)}: supported values: {values}"
    if err.validator == "format" and err.validator_value == "byte":
        # The stringData hint only makes sense for a Secret's data (not caBundle...).
        secret_data = obj.startswith("Secret") and list(full[:1]) == ["data"]
        hint = " (encode the value, or put plain text under stringData)" if secret_data else ""
        return "Invalid value: not valid base64" + hint
    if err.validator == "format":
        return f"Invalid value: {_show(inst)}: not a valid {err.validator_value}"
    return f"Invalid value: {err.message}"


def _rule_issues(
    violations: Iterable[rules.Violation],
    tree: Any,
    obj: str,
    result: BlockResult,
    prefix: Sequence[PathPart] = (),
) -> None:
    for v in violations:
        full = [*prefix, *v.path]
        result.add(line_of(tree, full), obj, format_path(full), v.message, v.severity)  # type: ignore[arg-type]
