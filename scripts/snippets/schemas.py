"""Kubernetes v1.37 schemas, loaded once per process.

Why not kubernetes-validate's own ``validate()``: it re-reads its 1.8 MB definitions file
on every call, stops at the first error, and exits 0 on unknown kinds. Loading
``_definitions.json`` once into a ``referencing.Registry`` and validating with
``Draft202012Validator`` reports every error for ~0.3 ms per document.

Gateway API schemas come from npm @kubernetes-models/gateway-api (Gateway API v1.0.0):
the package stores them as JSON literals inside its JS modules, so they are read as data
(no Node needed), converted from OpenAPI (``nullable``) to JSON Schema, and made strict
(``additionalProperties: false``) like the core ones.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from scripts import project

from .kinds import EXTRA_KINDS, GATEWAY

K8S_VERSION = f"{project.versions().latest}.0"
DEFS_ID = "https://kubernetes.io/api/_definitions.json"
GATEWAY_ID = "https://gateway-api.local/"
REPO = project.ROOT
GATEWAY_PACKAGE = REPO / "node_modules" / "@kubernetes-models" / "gateway-api"
# find_spec locates the package without importing it (its import alone costs ~0.2 s).
SCHEMA_ROOT = (
    Path(find_spec("kubernetes_validate").origin).parent  # type: ignore[union-attr, arg-type]
    / "kubernetes-json-schema"
)
DEFS_FILE = SCHEMA_ROOT / f"v{K8S_VERSION}-local-strict" / "_definitions.json"


def defs_file(version: str | None = None) -> Path:
    """kubernetes-validate's strict definitions of a minor ("1.35"; default: the latest)."""
    minor = version or project.versions().latest
    return SCHEMA_ROOT / f"v{minor}.0-local-strict" / "_definitions.json"


Schema = dict[str, Any]


def _int_range(bits: int) -> Any:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high

    return check


def _is_base64(value: object) -> bool:
    """Go's encoding/json decodes []byte fields with base64.StdEncoding (padding
    required); that is what the API server applies to Secret data."""
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


FORMATS = FormatChecker(formats=("ipv4", "ipv6"))
FORMATS.checks("int32")(_int_range(32))
FORMATS.checks("int64")(_int_range(64))
FORMATS.checks("byte")(_is_base64)


@dataclass(eq=False)
class Schemas:
    """Definitions, the apiVersion/kind index and a validator factory."""

    defs: dict[str, Schema]
    registry: Registry
    gvk: dict[tuple[str, str], str]  # (apiVersion, kind) -> definition name or gateway id
    gateway_error: str | None
    _validators: dict[str, Draft202012Validator] = field(default_factory=dict)

    def validator(self, ref: str) -> Draft202012Validator:
        """A validator for a full ``$ref`` URI (built once per ref)."""
        if ref not in self._validators:
            self._validators[ref] = Draft202012Validator(
                {"$ref": ref}, registry=self.registry, format_checker=FORMATS
            )
        return self._validators[ref]

    def definition_validator(self, name: str) -> Draft202012Validator:
        return self.validator(f"{DEFS_ID}#/$defs/{name}")

    def fragment_validator(self, name: str) -> Draft202012Validator:
        """Mapping fragment of ``name``: only its properties, none of them required."""
        props = self.defs[name].get("properties", {})
        schema = {
            "type": "object",
            "properties": {k: {"$ref": f"{DEFS_ID}#/$defs/{name}/properties/{k}"} for k in props},
            "additionalProperties": False,
        }
        return Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)

    def list_validator(self, name: str) -> Draft202012Validator:
        schema = {"type": "array", "items": {"$ref": f"{DEFS_ID}#/$defs/{name}"}}
        return Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)

    def api_versions_of(self, kind: str) -> list[str]:
        """Every apiVersion under which ``kind`` exists, GA first."""
        found = [av for (av, k) in self.gvk if k == kind]
        return sorted(found, key=version_rank)


def version_rank(api_version: str) -> tuple[int, int, int]:
    """Sort key: v1 before v1beta2 before v1beta1 before v1alpha1 (higher is better)."""
    m = re.search(r"v(\d+)(?:(alpha|beta)(\d+))?$", api_version)
    if not m:
        return (9, 0, 0)
    stability = {"alpha": 2, "beta": 1, None: 0}[m[2]]
    return (stability, -int(m[1]), -int(m[3] or 0))


def _gateway_schema_text(js: str) -> str:
    """Cut the ``const schema = {...};`` JSON literal out of a generated module."""
    start = js.index("const schema = ") + len("const schema = ")
    end = js.index("\n};\n", start) + 2
    return js[start:end]


def _openapi_to_strict(node: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema 2020-12, strict: ``nullable`` becomes a null type, every
    object with ``properties`` rejects unknown ones, ObjectMeta points at the core one."""
    if isinstance(node, list):
        return [_openapi_to_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi_to_strict(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    strict = not node.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in out and "additionalProperties" not in out and strict:
        out["additionalProperties"] = False
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("io.k8s."):
        out["$ref"] = f"{DEFS_ID}#/$defs/{ref.rstrip('#')}"
    return out


def crd_to_strict(raw: Schema, api_version: str, kind: str) -> Schema:
    """A CRD version's openAPIV3Schema as a strict JSON Schema for a whole object: unknown
    fields rejected (the API server prunes or, with strict field validation, rejects them),
    ``x-kubernetes-int-or-string`` honoured, metadata checked as ObjectMeta."""

    def convert(node: Any) -> Any:
        if isinstance(node, list):
            return [convert(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: convert(v) for k, v in node.items() if k != "nullable"}
        if node.get("x-kubernetes-int-or-string"):
            out.pop("type", None)
            out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        if node.get("nullable") and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        strict = not node.get("x-kubernetes-preserve-unknown-fields")
        if "properties" in out and "additionalProperties" not in out and strict:
            out["additionalProperties"] = False
        return out

    schema = convert(raw)
    props = schema.setdefault("properties", {})
    props["apiVersion"] = {"type": "string", "enum": [api_version]}
    props["kind"] = {"type": "string", "enum": [kind]}
    props["metadata"] = {
        "$ref": f"{DEFS_ID}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    }
    schema["additionalProperties"] = False
    schema["required"] = sorted({*schema.get("required", []), "apiVersion", "kind"})
    return schema


def gateway_package_version() -> str:
    try:
        return json.loads((GATEWAY_PACKAGE / "package.json").read_text())["version"]
    except OSError:
        return "missing"


def _load_gateway(
    resources: list[tuple[str, Resource]], gvk: dict[tuple[str, str], str]
) -> str | None:
    if not GATEWAY_PACKAGE.is_dir():
        return "npm package @kubernetes-models/gateway-api is not installed (run `npm ci`)"
    for entry in EXTRA_KINDS:
        if entry.schema != "gateway":
            continue
        for version in entry.versions:
            source = entry.schema_version or version
            module = GATEWAY_PACKAGE / GATEWAY / source / f"{entry.kind}.js"
            if not module.is_file():
                continue
            schema = _openapi_to_strict(json.loads(_gateway_schema_text(module.read_text())))
            api_version = f"{GATEWAY}/{version}"
            schema["properties"]["apiVersion"] = {"type": "string", "enum": [api_version]}
            schema.setdefault("additionalProperties", False)
            uri = f"{GATEWAY_ID}{version}/{entry.kind}.json"
            resources.append((uri, DRAFT202012.create_resource(schema)))
            gvk[(api_version, entry.kind)] = uri
    return None


DATA_SCHEMAS = project.DATA / "schemas"


def _load_data(resources: list[tuple[str, Resource]], gvk: dict[tuple[str, str], str]) -> None:
    """data/schemas/: CRDs and configuration kinds no package ships a schema for, generated
    by scripts/snippets/gen_schemas.py (each file records its upstream source)."""
    index_file = DATA_SCHEMAS / "index.json"
    if not index_file.is_file():
        return
    for key, entry in json.loads(index_file.read_text()).items():
        api_version, kind = key.split(" ", 1)
        schema = json.loads((DATA_SCHEMAS / entry["file"]).read_text())
        resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
        gvk[(api_version, kind)] = schema["$id"]


@functools.cache
def load(version: str | None = None) -> Schemas:
    """Load everything for one minor (default: the latest) once per process (~0.1 s);
    every checker shares the result."""
    if version == project.versions().latest:
        return load()
    doc = json.loads(defs_file(version).read_text())
    defs: dict[str, Schema] = doc["$defs"]
    gvk: dict[tuple[str, str], str] = {}
    for name, schema in defs.items():
        entries = schema.get("x-kubernetes-group-version-kind", [])
        if len(entries) != 1:  # shared types (DeleteOptions, WatchEvent) list dozens
            continue
        e = entries[0]
        api_version = f"{e['group']}/{e['version']}" if e["group"] else e["version"]
        gvk[(api_version, e["kind"])] = name
    resources: list[tuple[str, Resource]] = [(DEFS_ID, DRAFT202012.create_resource(doc))]
    gateway_error = _load_gateway(resources, gvk)
    _load_data(resources, gvk)
    registry = Registry().with_resources(resources).crawl()
    return Schemas(defs=defs, registry=registry, gvk=gvk, gateway_error=gateway_error)
