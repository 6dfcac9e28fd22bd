"""Generate data/schemas/*.json: strict JSON Schemas for the kinds no installed package
ships a schema for, each from a named, versioned upstream source.

    .venv/bin/python -m scripts.snippets.gen_schemas [--mirrors DIR]

Two kinds of source, both listed in SOURCES with their repository, tag and path:

- **CRDs** (VolumeSnapshot, VolumeSnapshotClass, VerticalPodAutoscaler, ServiceMonitor): the
  upstream CustomResourceDefinition YAML; its ``openAPIV3Schema`` is what the API server
  validates a custom resource against, converted to JSON Schema 2020-12 and made strict
  (unknown fields rejected, as the API server prunes/rejects them).
- **Configuration files** (KubeletConfiguration, KubeProxyConfiguration,
  EncryptionConfiguration, AdmissionConfiguration, EgressSelectorConfiguration): no OpenAPI
  exists for them, so the schema is generated from the Go types the component decodes the
  file into (the struct fields and their `json:"..."` names), strict like the API types:
  the component's strict decoder rejects unknown fields too. Types from k8s.io/api are
  referenced from kubernetes-validate's definitions.

Sources are read from git mirrors (``<mirrors>/<owner>+<repo>/repo``), then from a
directory of plain copies (``--files DIR``, laid out ``<owner>+<repo>/<ref>/<path>``: for a
source pinned to a commit on a machine that can neither mirror the repository nor reach
GitHub), then downloaded from raw.githubusercontent.com. Every schema records its source
in ``x-source``; data/schemas/index.json maps apiVersion/kind to the file. Nothing at test or
build time runs this: the checker reads the committed JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from scripts import project

from .rules.common import PULL_POLICIES
from .schemas import crd_to_strict

OUT = project.DATA / "schemas"
DEFS_ID = "https://kubernetes.io/api/_definitions.json"
SCHEMA_BASE = "https://field-notes.local/schemas/"


@dataclass(frozen=True)
class Source:
    repo: str  # owner/name on GitHub
    ref: str  # tag, or a commit when no tag of the wanted version was reachable
    path: str
    files: tuple[str, ...] = ()  # Go files of a package, when they cannot be listed (no mirror)


SNAPSHOTTER = ("kubernetes-csi/external-snapshotter", "v8.6.0")
CRDS: dict[str, Source] = {
    "VolumeSnapshot": Source(
        *SNAPSHOTTER, "client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml"
    ),
    "VolumeSnapshotClass": Source(
        *SNAPSHOTTER, "client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml"
    ),
    "VerticalPodAutoscaler": Source(
        "kubernetes/autoscaler",
        "vertical-pod-autoscaler/v1.7.1",
        "vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml",
    ),
    # npm @kubernetes-models/prometheus-operator (6.0.0) ships compiled validators, not JSON
    # Schema, so the schema comes from the CRD it is generated from.
    "ServiceMonitor": Source(
        "prometheus-operator/prometheus-operator",
        "v0.93.0",
        "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml",
    ),
}
KUBEADM = "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/v1beta4"
# The newest v1.37 tag of the staging repositories in the mirror snapshot (2026-07).
STAGING = "v0.37.0-beta.0"
GO_PACKAGES: dict[str, Source] = {
    "k8s.io/kubelet/config/v1beta1": Source("kubernetes/kubelet", STAGING, "config/v1beta1"),
    "k8s.io/kube-proxy/config/v1alpha1": Source(
        "kubernetes/kube-proxy", STAGING, "config/v1alpha1"
    ),
    "k8s.io/apiserver/pkg/apis/apiserver/v1": Source(
        "kubernetes/apiserver", STAGING, "pkg/apis/apiserver/v1"
    ),
    "k8s.io/apiserver/pkg/apis/apiserver/v1beta1": Source(
        "kubernetes/apiserver", STAGING, "pkg/apis/apiserver/v1beta1"
    ),
    "k8s.io/apiserver/pkg/apis/audit/v1": Source(
        "kubernetes/apiserver", STAGING, "pkg/apis/audit/v1", ("types.go",)
    ),
    # kubernetes/kubernetes is too large to mirror here, and v1.37.0 was not in the stored
    # index: kubeadm's types come from pinned commits (raw GitHub, or a --files copy).
    # v1beta4 at a v1.37-cycle master commit (a fork's copy of master after
    # kubernetes/kubernetes#138260, json:"" for inlined fields): it has UpgradeConfiguration,
    # ResetConfiguration, Timeouts, EncryptionAlgorithm, certificateValidityPeriod and
    # ExternalEtcd.httpEndpoints (kubernetes/kubernetes#134890, v1.35).
    KUBEADM: Source(
        "liggitt/kubernetes",
        "94640da199f5d9df167ff8bef4e3aa0da2659aac",
        "cmd/kubeadm/app/apis/kubeadm/v1beta4",
        ("types.go",),
    ),
    # BootstrapToken has not changed since bootstraptoken/v1 was split out (v1.23).
    "k8s.io/kubernetes/cmd/kubeadm/app/apis/bootstraptoken/v1": Source(
        "kubernetes/kubernetes",
        "95f08499d652a6211121d8af35f470609217c730",
        "cmd/kubeadm/app/apis/bootstraptoken/v1",
        ("types.go",),
    ),
    "k8s.io/component-base/config/v1alpha1": Source(
        "kubernetes/component-base", STAGING, "config/v1alpha1"
    ),
    "k8s.io/component-base/logs/api/v1": Source(
        "kubernetes/component-base", STAGING, "logs/api/v1"
    ),
    "k8s.io/component-base/tracing/api/v1": Source(
        "kubernetes/component-base", STAGING, "tracing/api/v1"
    ),
}
# (apiVersion, kind) -> (Go package, struct)
CONFIG_KINDS: dict[tuple[str, str], tuple[str, str]] = {
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"): (
        "k8s.io/kubelet/config/v1beta1",
        "KubeletConfiguration",
    ),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration"): (
        "k8s.io/kube-proxy/config/v1alpha1",
        "KubeProxyConfiguration",
    ),
    ("apiserver.config.k8s.io/v1", "EncryptionConfiguration"): (
        "k8s.io/apiserver/pkg/apis/apiserver/v1",
        "EncryptionConfiguration",
    ),
    ("apiserver.config.k8s.io/v1", "AdmissionConfiguration"): (
        "k8s.io/apiserver/pkg/apis/apiserver/v1",
        "AdmissionConfiguration",
    ),
    **{
        ("kubeadm.k8s.io/v1beta4", kind): (KUBEADM, kind)
        for kind in (
            "ClusterConfiguration",
            "InitConfiguration",
            "JoinConfiguration",
            "ResetConfiguration",
            "UpgradeConfiguration",
        )
    },
    ("audit.k8s.io/v1", "Policy"): ("k8s.io/apiserver/pkg/apis/audit/v1", "Policy"),
    ("apiserver.k8s.io/v1beta1", "EgressSelectorConfiguration"): (
        "k8s.io/apiserver/pkg/apis/apiserver/v1beta1",
        "EgressSelectorConfiguration",
    ),
}


# --------------------------------------------------------------------------- reading sources


class Reader:
    def __init__(self, mirrors: Path, files: Path | None = None) -> None:
        self.mirrors = mirrors
        self.files = files

    def _git(self, source: Source, *args: str) -> str | None:
        repo = self.mirrors / source.repo.replace("/", "+") / "repo"
        if not repo.is_dir():
            return None
        proc = subprocess.run(
            ["git", "--git-dir", str(repo), *args], capture_output=True, text=True, check=False
        )
        return proc.stdout if proc.returncode == 0 else None

    def read(self, source: Source, path: str | None = None) -> str:
        path = path or source.path
        text = self._git(source, "show", f"{source.ref}:{path}")
        if text is not None:
            return text
        if self.files is not None:
            copy = self.files / source.repo.replace("/", "+") / source.ref / path
            if copy.is_file():
                return copy.read_text()
        url = f"https://raw.githubusercontent.com/{source.repo}/{source.ref}/{path}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode()

    def go_files(self, source: Source) -> list[str]:
        if source.files:
            return [self.read(source, f"{source.path}/{n}") for n in source.files]
        listing = self._git(source, "ls-tree", "--name-only", f"{source.ref}:{source.path}")
        if listing is None:
            raise FileNotFoundError(f"no mirror of {source.repo} (needed to list {source.path})")
        names = [
            n
            for n in listing.split()
            if n.endswith(".go") and not n.endswith("_test.go") and not n.startswith("zz_")
        ]
        return [self.read(source, f"{source.path}/{n}") for n in names]


# --------------------------------------------------------------------------- CRDs


def crd_schema(kind: str, text: str) -> dict[str, dict[str, Any]]:
    """{apiVersion: schema} for every served version of ``kind`` in a CRD file."""
    out: dict[str, dict[str, Any]] = {}
    for doc in YAML(typ="safe").load_all(text):
        if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
            continue
        spec = doc["spec"]
        if spec["names"]["kind"] != kind:
            continue
        for version in spec["versions"]:
            if not version.get("served"):
                continue
            api_version = f"{spec['group']}/{version['name']}"
            raw = version["schema"]["openAPIV3Schema"]
            out[api_version] = crd_to_strict(raw, api_version, kind)
    return out


# --------------------------------------------------------------------------- Go types

STRUCT = re.compile(r"^type (\w+) struct \{\n(.*?)^\}", re.M | re.S)
ALIAS = re.compile(r"^type (\w+) (\[\]\w+|map\[\w+\]\w+|\w+)\s*$", re.M)
FIELD = re.compile(r"^\s*(?:(\w+)\s+)?([^\s`]+)\s+`json:\"([^\"]*)\"")
EMPTY_STRUCT = re.compile(r"^type (\w+) struct\s*\{\s*\}", re.M)
IMPORT = re.compile(r'^\s*(\w+)?\s*"([^"]+)"\s*$', re.M)
SCALARS = {
    "string": {"type": "string"},
    "bool": {"type": "boolean"},
    "float32": {"type": "number"},
    "float64": {"type": "number"},
    **{
        t: {"type": "integer"}
        for t in (
            "int",
            "int32",
            "int64",
            "uint",
            "uint32",
            "uint64",
            "uint16",
            "uint8",
            "int16",
            "int8",
        )
    },
}
CORE = "k8s.io/api/core/v1"
META = "k8s.io/apimachinery/pkg/apis/meta/v1"
EXTERNAL: dict[tuple[str, str], dict[str, Any]] = {
    (META, "Duration"): {
        "type": "string",
        "pattern": r"^-?([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$|^0$",
    },
    (META, "Time"): {"type": ["string", "null"], "format": "date-time"},
    (META, "ObjectMeta"): {
        "$ref": f"{DEFS_ID}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    },
    ("k8s.io/apimachinery/pkg/runtime", "Unknown"): {},
    ("k8s.io/apimachinery/pkg/runtime", "RawExtension"): {},
    ("k8s.io/apimachinery/pkg/api/resource", "Quantity"): {"type": ["string", "integer", "number"]},
    ("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"): {"type": ["string", "integer"]},
}
EXTERNAL[("k8s.io/apimachinery/pkg/api/resource", "QuantityValue")] = EXTERNAL[
    ("k8s.io/apimachinery/pkg/api/resource", "Quantity")
]
# Core string types that are no definition of their own in the OpenAPI. kubeadm validates
# its pull policies (ValidateImagePullPolicy) against the core constants.
EXTERNAL[(CORE, "PullPolicy")] = {"type": "string", "enum": list(PULL_POLICIES)}
EXTERNAL[(CORE, "HostPathType")] = {
    "$ref": f"{DEFS_ID}#/$defs/io.k8s.api.core.v1.HostPathVolumeSource/properties/type"
}
# A struct with its own UnmarshalJSON: a string "abcdef.0123456789abcdef", the form
# `kubeadm token` documents (k8s.io/cluster-bootstrap token/api BootstrapTokenPattern).
EXTERNAL[("k8s.io/kubernetes/cmd/kubeadm/app/apis/bootstraptoken/v1", "BootstrapTokenString")] = {
    "type": "string",
    "pattern": r"^([a-z0-9]{6})\.([a-z0-9]{16})$",
}


@dataclass
class GoPackage:
    structs: dict[str, str]  # name -> body
    aliases: dict[str, str]  # name -> underlying type
    imports: dict[str, str]  # alias -> package path


def parse_go(texts: list[str]) -> GoPackage:
    pkg = GoPackage({}, {}, {})
    for text in texts:
        for block in re.findall(r"^import \((.*?)^\)", text, re.M | re.S):
            for alias, path in IMPORT.findall(block):
                pkg.imports[alias or path.rsplit("/", 1)[-1]] = path
        for name, body in STRUCT.findall(text):
            pkg.structs[name] = body
        for name in EMPTY_STRUCT.findall(text):
            pkg.structs[name] = ""
        for name, underlying in ALIAS.findall(text):
            pkg.aliases.setdefault(name, underlying)
    return pkg


class GoSchemas:
    """Builds $defs for Go structs, following types across the listed packages."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.packages: dict[str, GoPackage] = {}
        self.defs: dict[str, Any] = {}
        self.unresolved: set[str] = set()

    def package(self, path: str) -> GoPackage | None:
        if path not in GO_PACKAGES:
            return None
        if path not in self.packages:
            self.packages[path] = parse_go(self.reader.go_files(GO_PACKAGES[path]))
        return self.packages[path]

    def type_schema(self, pkg_path: str, go_type: str) -> dict[str, Any]:
        go_type = go_type.lstrip("*")
        if go_type.startswith("[]"):
            if go_type == "[]byte":
                return {"type": "string"}
            return {"type": ["array", "null"], "items": self.type_schema(pkg_path, go_type[2:])}
        if go_type.startswith("map["):
            value = go_type[go_type.index("]") + 1 :]
            return {
                "type": ["object", "null"],
                "additionalProperties": self.type_schema(pkg_path, value),
            }
        if go_type in SCALARS:
            return dict(SCALARS[go_type])
        if go_type in ("interface{}", "any", "json.RawMessage"):
            return {}
        pkg = self.package(pkg_path)
        if "." in go_type:
            alias, name = go_type.split(".", 1)
            target = pkg.imports.get(alias, alias) if pkg else alias
            return self.named(target, name)
        return self.named(pkg_path, go_type)

    def named(self, pkg_path: str, name: str) -> dict[str, Any]:
        if (pkg_path, name) in EXTERNAL:
            return dict(EXTERNAL[(pkg_path, name)])
        if pkg_path == CORE:
            if name == "ResourceList":
                return {
                    "type": "object",
                    "additionalProperties": EXTERNAL[
                        ("k8s.io/apimachinery/pkg/api/resource", "Quantity")
                    ],
                }
            return {"$ref": f"{DEFS_ID}#/$defs/io.k8s.api.core.v1.{name}"}
        pkg = self.package(pkg_path)
        if pkg is None or (name not in pkg.structs and name not in pkg.aliases):
            self.unresolved.add(f"{pkg_path}.{name}")
            return {}
        key = f"{pkg_path.replace('/', '.')}.{name}"
        if key not in self.defs:
            if name in pkg.aliases:
                self.defs[key] = self.type_schema(pkg_path, pkg.aliases[name])
            else:
                self.defs[key] = {}  # placeholder against recursion
                self.defs[key] = self.struct(pkg_path, pkg.structs[name])
        return {"$ref": f"#/$defs/{key}"}

    def struct(self, pkg_path: str, body: str) -> dict[str, Any]:
        props: dict[str, Any] = {}
        all_of: list[dict[str, Any]] = []
        for line in body.splitlines():
            line = line.split("//", 1)[0] if not line.strip().startswith("//") else ""
            match = FIELD.match(line)
            if not match:
                continue
            field_name, go_type, tag = match.groups()
            json_name = tag.split(",")[0]
            if json_name == "-":
                continue
            if "inline" in tag.split(",")[1:] or (field_name is None and not json_name):
                if go_type.endswith("TypeMeta"):
                    props["apiVersion"] = {"type": "string"}
                    props["kind"] = {"type": "string"}
                else:
                    all_of.append(self.type_schema(pkg_path, go_type))
                continue
            if field_name is None:  # an embedded type with a name: `Foo `json:"foo"``
                field_name, go_type = go_type, go_type
            props[json_name or field_name] = self.type_schema(pkg_path, go_type)
        if not props and len(all_of) == 1 and not all_of[0].get("$ref", "#").startswith("#"):
            return all_of[0]  # only an embedded type from elsewhere (kubeadm's EnvVar)
        schema: dict[str, Any] = {"type": ["object", "null"], "properties": props}
        if all_of:
            for part in all_of:  # inline structs: merge their properties
                ref = part.get("$ref", "").removeprefix("#/$defs/")
                props.update(self.defs.get(ref, {}).get("properties", {}))
        schema["additionalProperties"] = False
        return schema


def config_schema(
    go: GoSchemas, api_version: str, kind: str, pkg: str, struct: str
) -> dict[str, Any]:
    root = go.named(pkg, struct)
    name = root["$ref"].removeprefix("#/$defs/")
    schema = json.loads(json.dumps(go.defs[name]))
    schema["type"] = "object"
    schema["properties"]["apiVersion"] = {"type": "string", "enum": [api_version]}
    schema["properties"]["kind"] = {"type": "string", "enum": [kind]}
    schema["required"] = ["apiVersion", "kind"]
    return schema


def reachable(root: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The definitions ``root`` refers to, directly or through one another (the shared
    ``defs`` hold every kind's types; a schema carries only its own)."""
    found: dict[str, Any] = {}
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name not in found:
                    found[name] = defs[name]
                    todo.append(defs[name])
            todo.extend(node.values())
    return dict(sorted(found.items()))


# --------------------------------------------------------------------------- main


def file_name(api_version: str, kind: str) -> str:
    return f"{api_version.replace('/', '_')}_{kind}.json"


def generate(mirrors: Path, files: Path | None = None) -> dict[str, dict[str, str]]:
    reader = Reader(mirrors, files)
    index: dict[str, dict[str, str]] = {}
    OUT.mkdir(parents=True, exist_ok=True)

    def write(
        api_version: str, kind: str, schema: dict[str, Any], source: Source, how: str
    ) -> None:
        name = file_name(api_version, kind)
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + name,
            "x-source": {
                "repository": source.repo,
                "ref": source.ref,
                "path": source.path,
                "how": how,
            },
            **schema,
        }
        (OUT / name).write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
        index[f"{api_version} {kind}"] = {
            "file": name,
            "source": f"{source.repo}@{source.ref}:{source.path}",
        }

    for kind, source in CRDS.items():
        for api_version, schema in crd_schema(kind, reader.read(source)).items():
            write(api_version, kind, schema, source, "CRD openAPIV3Schema, made strict")
    go = GoSchemas(reader)
    for (api_version, kind), (pkg, struct) in CONFIG_KINDS.items():
        try:
            schema = config_schema(go, api_version, kind, pkg, struct)
        except (OSError, KeyError) as exc:  # no mirror and no network: keep the old file
            print(f"skipped {api_version} {kind}: {exc}", file=sys.stderr)
            old = OUT / file_name(api_version, kind)
            if old.is_file():
                index[f"{api_version} {kind}"] = {
                    "file": old.name,
                    "source": "{repository}@{ref}:{path}".format(
                        **json.loads(old.read_text())["x-source"]
                    ),
                }
            continue
        schema["$defs"] = reachable(schema, go.defs)
        write(api_version, kind, schema, GO_PACKAGES[pkg], f"Go type {struct}, strict")
    if go.unresolved:
        print("types left open (any value accepted):", ", ".join(sorted(go.unresolved)))
    (OUT / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument(
        "--files", type=Path, help="plain copies of pinned sources: <owner>+<repo>/<ref>/<path>"
    )
    args = parser.parse_args(argv)
    for key, entry in generate(args.mirrors, args.files).items():
        print(f"{key}: {entry['file']} <- {entry['source']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
