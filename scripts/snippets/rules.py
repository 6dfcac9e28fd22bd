"""API-server rules that the OpenAPI schema cannot express.

Each rule is a named function registered for the OpenAPI definition it inspects, and is
ported from the API server's own validation (kubernetes/kubernetes
pkg/apis/core/validation/validation.go, pkg/apis/apps/validation, pkg/apis/batch/validation,
pkg/apis/networking/validation, pkg/apis/rbac/validation, pkg/apis/storage/validation,
pkg/apis/policy/validation, pkg/apis/scheduling/validation and the node-port allocator).
Messages keep the API server's wording ("Unsupported value", "Invalid value", "Required
value", "Not found", "Duplicate value") so readers recognise them from `kubectl apply`.

A walker follows the document through the schema (``$ref``, ``items``,
``additionalProperties``), so a rule for ``io.k8s.api.core.v1.Toleration`` runs for
tolerations in a Pod, a Deployment's template, a CronJob's job template, or a fragment.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import names
from .schemas import Schemas
from .yamldoc import PathPart

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


# --------------------------------------------------------------------------- walker


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


# --------------------------------------------------------------------------- helpers


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


def _get(data: Any, *keys: PathPart) -> Any:
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


# --------------------------------------------------------------------------- metadata

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


# --------------------------------------------------------------------------- quantities

STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "storage"}


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


@rule(CORE + "ResourceRequirements")
def resource_requirements(ctx: Context, res: Any, path: Path_) -> Iterator[Violation]:
    """ValidateResourceRequirements: resource names, non-negative values, request <= limit."""
    if not isinstance(res, dict):
        return
    parsed: dict[str, dict[str, Decimal]] = {}
    for section in ("limits", "requests"):
        values = res.get(section)
        if not isinstance(values, dict):
            continue
        parsed[section] = {}
        for name, raw in values.items():
            where = (*path, section, name)
            if (
                name not in STANDARD_RESOURCES
                and not name.startswith("hugepages-")
                and "/" not in name
            ):
                yield invalid(where, name, "must be a standard resource type or fully qualified")
            elif name == "storage":
                yield invalid(where, name, "must be a standard resource for containers")
            quantity = names.parse_quantity(raw)
            if quantity is None:
                continue
            if quantity < 0:
                yield invalid(where, raw, "must be greater than or equal to 0")
            parsed[section][name] = quantity
    for name, request in parsed.get("requests", {}).items():
        limit = parsed.get("limits", {}).get(name)
        if limit is not None and request > limit:
            yield invalid(
                (*path, "requests", name),
                res["requests"][name],
                f"must be less than or equal to {name} limit of {res['limits'][name]}",
            )


# --------------------------------------------------------------------------- selectors

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


@rule(CORE + "NodeSelectorRequirement")
def node_selector_requirement(ctx: Context, req: Any, path: Path_) -> Iterator[Violation]:
    """Node affinity operators: In, NotIn, Exists, DoesNotExist, Gt, Lt."""
    yield from _requirement(req, path, NODE_SELECTOR_OPS)


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


def _selector_text(selector: Any) -> str:
    if not isinstance(selector, dict):
        return str(selector)
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for req in selector.get("matchExpressions") or []:
        if isinstance(req, dict):
            parts.append(
                f"{req.get('key')} {req.get('operator')} {req.get('values') or ''}".strip()
            )
    return ",".join(parts) or "<empty>"


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
    spec = _get(data, *spec_path)
    if not isinstance(spec, dict):
        return
    selector = spec.get("selector")
    tmpl_path = (*spec_path, "template", "metadata", "labels")
    labels = _get(data, *tmpl_path)
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
            _selector_text(selector),
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
            f"`selector` does not match template `labels` (selector: {_selector_text(selector)})",
        )


@rule(TOP)
def template_restart_policy(ctx: Context, data: Any, path: Path_) -> Iterator[Violation]:
    """Controllers accept only some pod restart policies (Deployment: Always; Job: OnFailure
    or Never, and a Job must set one: the default Always is rejected)."""
    if ctx.kind not in WORKLOADS:
        return
    spec_path, allowed = WORKLOADS[ctx.kind]
    pod_path = (*spec_path, "template", "spec")
    pod = _get(data, *pod_path)
    if not isinstance(pod, dict):
        return
    policy = pod.get("restartPolicy")
    if policy is None and "Always" not in allowed:  # the default, Always, is rejected
        yield unsupported((*pod_path, "restartPolicy"), "Always", allowed)
    elif policy is not None and policy not in allowed and policy in POD_RESTART:
        yield unsupported((*pod_path, "restartPolicy"), policy, allowed)


# --------------------------------------------------------------------------- pods

POD_RESTART = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
PROTOCOLS = ("TCP", "UDP", "SCTP")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


@rule(CORE + "PodSpec")
def pod_spec(ctx: Context, spec: Any, path: Path_) -> Iterator[Violation]:
    """restartPolicy, dnsPolicy, preemptionPolicy; unique container and volume names;
    every volumeMount names a declared volume."""
    if not isinstance(spec, dict):
        return
    yield from check_enum(spec, "restartPolicy", POD_RESTART, path)
    yield from check_enum(
        spec, "dnsPolicy", ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"), path
    )
    yield from check_enum(spec, "preemptionPolicy", ("PreemptLowerPriority", "Never"), path)
    if spec.get("dnsPolicy") == "None" and not spec.get("dnsConfig"):
        yield required((*path, "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None")
    yield from check_labels(spec.get("nodeSelector"), (*path, "nodeSelector"))
    seen: set[str] = set()
    for group in ("initContainers", "containers"):
        for i, ctr in enumerate(spec.get(group) or []):
            name = ctr.get("name") if isinstance(ctr, dict) else None
            if isinstance(name, str):
                if name in seen:
                    yield Violation((*path, group, i, "name"), f'Duplicate value: "{name}"')
                seen.add(name)
    volumes: set[str] = set()
    for i, vol in enumerate(spec.get("volumes") or []):
        name = vol.get("name") if isinstance(vol, dict) else None
        if isinstance(name, str):
            yield from check_name(name, (*path, "volumes", i, "name"), names.dns1123_label)
            if name in volumes:
                yield Violation((*path, "volumes", i, "name"), f'Duplicate value: "{name}"')
            volumes.add(name)
    if not ctx.standalone and "volumes" not in spec:
        return  # a fragment that does not show its volumes: nothing to cross-check
    if ctx.kind == "StatefulSet":  # each volumeClaimTemplate is a volume of the pod
        for claim in _get(ctx.root, "spec", "volumeClaimTemplates") or []:
            name = _get(claim, "metadata", "name")
            if isinstance(name, str):
                volumes.add(name)
    for group in ("initContainers", "containers"):
        for i, ctr in enumerate(spec.get(group) or []):
            mounts = ctr.get("volumeMounts") if isinstance(ctr, dict) else None
            for j, mount in enumerate(mounts or []):
                name = mount.get("name") if isinstance(mount, dict) else None
                if isinstance(name, str) and name not in volumes:
                    yield Violation(
                        (*path, group, i, "volumeMounts", j, "name"), f'Not found: "{name}"'
                    )


def _container_group(path: Path_) -> str:
    return str(path[-2]) if len(path) >= 2 else ""


@rule(CORE + "Container")
def container(ctx: Context, ctr: Any, path: Path_) -> Iterator[Violation]:
    """Name, image, pull policy, ports, env and (sidecar) restartPolicy."""
    if not isinstance(ctr, dict):
        return
    yield from check_name(ctr.get("name"), (*path, "name"), names.dns1123_label)
    if ctx.standalone and not ctr.get("image"):
        yield required((*path, "image"))
    yield from check_enum(ctr, "imagePullPolicy", PULL_POLICIES, path)
    yield from check_enum(ctr, "terminationMessagePolicy", ("File", "FallbackToLogsOnError"), path)
    policy = ctr.get("restartPolicy")
    if policy is not None:
        if _container_group(path) == "initContainers":
            if policy != "Always":
                yield unsupported((*path, "restartPolicy"), policy, ("Always",))
        elif policy in POD_RESTART:
            yield Violation(
                (*path, "restartPolicy"),
                "container-level restartPolicy on a regular container needs the "
                "ContainerRestartRules "
                "feature gate; a sidecar is an init container with restartPolicy: Always",
                "warning",
            )
        else:
            yield unsupported((*path, "restartPolicy"), policy, POD_RESTART)
    names_seen: set[str] = set()
    for i, port in enumerate(ctr.get("ports") or []):
        if not isinstance(port, dict):
            continue
        where = (*path, "ports", i)
        yield from check_port(
            port.get("containerPort"), (*where, "containerPort"), allow_name=False
        )
        if port.get("hostPort"):
            yield from check_port(port.get("hostPort"), (*where, "hostPort"), allow_name=False)
        yield from check_enum(port, "protocol", PROTOCOLS, where)
        pname = port.get("name")
        if isinstance(pname, str):
            yield from check_name(pname, (*where, "name"), names.iana_svc_name)
            if pname in names_seen:
                yield Violation((*where, "name"), f'Duplicate value: "{pname}"')
            names_seen.add(pname)
    for i, env in enumerate(ctr.get("env") or []):
        if (
            isinstance(env, dict)
            and env.get("value") not in (None, "")
            and env.get("valueFrom") is not None
        ):
            yield invalid(
                (*path, "env", i, "valueFrom"), "", "may not be specified when `value` is not empty"
            )


@rule(CORE + "EnvVarSource")
def env_var_source(ctx: Context, src: Any, path: Path_) -> Iterator[Violation]:
    """validateEnvVarValueFrom: exactly one source."""
    if isinstance(src, dict):
        sources = [k for k, v in src.items() if v is not None]
        if len(sources) > 1:
            yield invalid(
                path, ", ".join(sources), "may not have more than one field specified at a time"
            )


def _handlers(node: Any, path: Path_, kinds: tuple[str, ...], ctx: Context) -> Iterator[Violation]:
    present = [k for k in kinds if isinstance(node, dict) and node.get(k) is not None]
    if len(present) > 1:
        yield Violation((*path, present[1]), "Forbidden: may not specify more than 1 handler type")
    elif not present and ctx.standalone:
        yield required(path, "must specify a handler type")


@rule(CORE + "Probe")
def probe(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """validateHandler: exactly one of exec, httpGet, tcpSocket, grpc."""
    yield from _handlers(node, path, ("exec", "httpGet", "tcpSocket", "grpc"), ctx)


@rule(CORE + "LifecycleHandler")
def lifecycle_handler(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from _handlers(node, path, ("exec", "httpGet", "tcpSocket", "sleep"), ctx)


@rule(CORE + "HTTPGetAction", CORE + "TCPSocketAction")
def handler_port(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if isinstance(node, dict):
        yield from check_port(node.get("port"), (*path, "port"))
        yield from check_enum(node, "scheme", ("HTTP", "HTTPS"), path)


@rule(CORE + "GRPCAction")
def grpc_port(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if isinstance(node, dict):
        yield from check_port(node.get("port"), (*path, "port"), allow_name=False)


KEYLESS = 'operator must be Exists when `key` is empty, which means "match all values and all keys"'


@rule(CORE + "Toleration")
def toleration(ctx: Context, tol: Any, path: Path_) -> Iterator[Violation]:
    """ValidateTolerations: effect and operator values, Exists takes no value, an empty
    key needs Exists, tolerationSeconds only with NoExecute."""
    if not isinstance(tol, dict):
        return
    key, op, value, effect = (
        tol.get("key"),
        tol.get("operator"),
        tol.get("value"),
        tol.get("effect"),
    )
    if key:
        yield from check_name(key, (*path, "key"), names.qualified_name)
    if not key and op not in ("Exists", None):
        yield invalid(
            (*path, "operator"),
            op,
            KEYLESS,
        )
    if not key and op is None:
        yield invalid(
            (*path, "operator"),
            "",
            KEYLESS,
        )
    if op in ("Lt", "Gt"):
        yield Violation(
            (*path, "operator"),
            f'"{op}" needs the TaintTolerationComparisonOperators feature gate',
            "warning",
        )
    elif op not in (None, "", "Equal", "Exists"):
        yield unsupported((*path, "operator"), op, ("Equal", "Exists"))
    if op == "Exists" and value:
        yield invalid((*path, "operator"), op, "value must be empty when `operator` is 'Exists'")
    if effect not in (None, "", *TAINT_EFFECTS):
        yield unsupported((*path, "effect"), effect, TAINT_EFFECTS)
    if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
        yield invalid(
            (*path, "effect"),
            effect or "",
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        )


@rule(CORE + "Taint")
def taint(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from check_name(node.get("key"), (*path, "key"), names.qualified_name)
    effect = node.get("effect")
    if effect is not None and effect not in TAINT_EFFECTS:
        yield unsupported((*path, "effect"), effect, TAINT_EFFECTS)


@rule(CORE + "PodSecurityContext", CORE + "SecurityContext")
def security_context(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    for key in ("runAsUser", "runAsGroup", "fsGroup"):
        value = node.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 2147483647:
            yield invalid((*path, key), value, "must be between 0 and 2147483647, inclusive")
    yield from check_enum(node, "fsGroupChangePolicy", ("OnRootMismatch", "Always"), path)
    yield from check_enum(node, "procMount", ("Default", "Unmasked"), path)


@rule(CORE + "SeccompProfile", CORE + "AppArmorProfile")
def profile_type(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "type", ("RuntimeDefault", "Unconfined", "Localhost"), path)


# --------------------------------------------------------------------------- services

SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
NODE_PORT_RANGE = (30000, 32767)  # kube-apiserver --service-node-port-range default


@rule(CORE + "ServiceSpec")
def service_spec(ctx: Context, spec: Any, path: Path_) -> Iterator[Violation]:
    """ValidateService plus the node-port allocator's default range."""
    if not isinstance(spec, dict):
        return
    stype = spec.get("type") or "ClusterIP"
    yield from check_enum(spec, "type", SERVICE_TYPES, path)
    yield from check_enum(spec, "sessionAffinity", ("None", "ClientIP"), path)
    yield from check_enum(spec, "externalTrafficPolicy", ("Cluster", "Local"), path)
    yield from check_enum(spec, "internalTrafficPolicy", ("Cluster", "Local"), path)
    yield from check_enum(
        spec, "ipFamilyPolicy", ("SingleStack", "PreferDualStack", "RequireDualStack"), path
    )
    yield from check_labels(spec.get("selector"), (*path, "selector"))
    if spec.get("externalTrafficPolicy") and stype not in ("NodePort", "LoadBalancer"):
        yield invalid(
            (*path, "externalTrafficPolicy"),
            spec["externalTrafficPolicy"],
            "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
        )
    if stype == "ExternalName" and not spec.get("externalName"):
        yield required((*path, "externalName"))
    ports = spec.get("ports") or []
    if ctx.standalone and stype != "ExternalName" and not ports and spec.get("clusterIP") != "None":
        yield required((*path, "ports"))
    seen: set[str] = set()
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        where = (*path, "ports", i)
        pname = port.get("name")
        if len(ports) > 1 and not pname:
            yield required(
                (*where, "name"), "a name is required when a Service has more than one port"
            )
        if isinstance(pname, str) and pname:
            yield from check_name(pname, (*where, "name"), names.dns1123_label)
            if pname in seen:
                yield Violation((*where, "name"), f'Duplicate value: "{pname}"')
            seen.add(pname)
        yield from check_port(port.get("port"), (*where, "port"), allow_name=False)
        if port.get("targetPort") not in (None, 0):
            yield from check_port(port.get("targetPort"), (*where, "targetPort"))
        yield from check_enum(port, "protocol", PROTOCOLS, where)
        node_port = port.get("nodePort")
        if isinstance(node_port, int) and node_port:
            if stype not in ("NodePort", "LoadBalancer"):
                yield Violation(
                    (*where, "nodePort"), f"Forbidden: may not be used when `type` is '{stype}'"
                )
            elif not NODE_PORT_RANGE[0] <= node_port <= NODE_PORT_RANGE[1]:
                yield invalid(
                    (*where, "nodePort"),
                    node_port,
                    "provided port is not in the valid range. "
                    "The range of valid ports is 30000-32767",
                )


# --------------------------------------------------------------------------- workloads


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


CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


@rule("io.k8s.api.batch.v1.CronJobSpec")
def cronjob_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """concurrencyPolicy values; schedule must be five cron fields or a macro."""
    if not isinstance(node, dict):
        return
    yield from check_enum(node, "concurrencyPolicy", ("Allow", "Forbid", "Replace"), path)
    schedule = node.get("schedule")
    if isinstance(schedule, str):
        body = re.sub(r"^(CRON_)?TZ=\S+\s+", "", schedule.strip())
        if body.startswith("TZ=") or "TZ=" in schedule:
            yield invalid(
                (*path, "schedule"),
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            )
        elif not (body in CRON_MACROS or body.startswith("@every ") or len(body.split()) == 5):
            yield invalid(
                (*path, "schedule"),
                schedule,
                "unparseable schedule: expected exactly 5 fields "
                "(minute hour day-of-month month day-of-week)",
            )


@rule("io.k8s.api.batch.v1.JobSpec")
def job_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "completionMode", ("NonIndexed", "Indexed"), path)
    yield from check_enum(node, "podReplacementPolicy", ("TerminatingOrFailed", "Failed"), path)


# --------------------------------------------------------------------------- config data


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


# --------------------------------------------------------------------------- networking


@rule("io.k8s.api.networking.v1.HTTPIngressPath")
def ingress_path(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """pathType values; Exact and Prefix paths must be absolute."""
    if not isinstance(node, dict):
        return
    kinds = ("Exact", "Prefix", "ImplementationSpecific")
    yield from check_enum(node, "pathType", kinds, path)
    value = node.get("path")
    if (
        node.get("pathType") in ("Exact", "Prefix")
        and isinstance(value, str)
        and not value.startswith("/")
    ):
        yield invalid((*path, "path"), value, "must be an absolute path")


@rule("io.k8s.api.networking.v1.IngressRule", "io.k8s.api.networking.v1.IngressTLS")
def ingress_hosts(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """Hosts are DNS names (a leading '*.' allowed), never IP addresses."""
    if not isinstance(node, dict):
        return
    hosts = [("host", node.get("host"))] if "host" in node else []
    hosts += [(("hosts", i), h) for i, h in enumerate(node.get("hosts") or [])]
    for where, host in hosts:
        if not isinstance(host, str) or not host:
            continue
        sub = (*path, *((where,) if isinstance(where, str) else where))
        try:
            ipaddress.ip_address(host)
            yield invalid(sub, host, "must be a DNS name, not an IP address")
            continue
        except ValueError:
            pass
        yield from check_name(
            host[2:] if host.startswith("*.") else host, sub, names.dns1123_subdomain
        )


@rule("io.k8s.api.networking.v1.ServiceBackendPort")
def service_backend_port(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    if node.get("name") and node.get("number"):
        yield invalid(path, "", "cannot set both port name & port number")
    if node.get("number") is not None:
        yield from check_port(node["number"], (*path, "number"), allow_name=False)
    if isinstance(node.get("name"), str):
        yield from check_name(node["name"], (*path, "name"), names.iana_svc_name)


@rule("io.k8s.api.networking.v1.NetworkPolicySpec")
def network_policy_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if isinstance(node, dict):
        for i, ptype in enumerate(node.get("policyTypes") or []):
            if ptype not in ("Ingress", "Egress"):
                yield unsupported((*path, "policyTypes", i), ptype, ("Ingress", "Egress"))


@rule("io.k8s.api.networking.v1.NetworkPolicyPort")
def network_policy_port(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from check_enum(node, "protocol", PROTOCOLS, path)
    if node.get("port") is not None:
        yield from check_port(node["port"], (*path, "port"))
    end = node.get("endPort")
    if end is not None:
        if not isinstance(node.get("port"), int):
            yield required((*path, "port"), "must be specified when endPort is specified")
        elif isinstance(end, int) and end < node["port"]:
            yield invalid((*path, "endPort"), end, "must be greater than or equal to `port`")


@rule("io.k8s.api.networking.v1.IPBlock")
def ip_block(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    try:
        network = ipaddress.ip_network(str(node.get("cidr")), strict=False)
    except ValueError:
        yield invalid(
            (*path, "cidr"),
            node.get("cidr"),
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        )
        return
    for i, sub in enumerate(node.get("except") or []):
        try:
            inner = ipaddress.ip_network(str(sub), strict=False)
        except ValueError:
            yield invalid((*path, "except", i), sub, "must be a valid CIDR value")
            continue
        if inner.version != network.version or not inner.subnet_of(network):  # type: ignore[arg-type]
            yield invalid((*path, "except", i), sub, "must be a strict subset of `cidr`")


# --------------------------------------------------------------------------- storage

ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


def _access_modes(node: dict[str, Any], path: Path_) -> Iterator[Violation]:
    for i, mode in enumerate(node.get("accessModes") or []):
        if mode not in ACCESS_MODES:
            yield unsupported((*path, "accessModes", i), mode, ACCESS_MODES)


@rule(CORE + "PersistentVolumeSpec")
def persistent_volume_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from _access_modes(node, path)
    yield from check_enum(
        node, "persistentVolumeReclaimPolicy", ("Retain", "Delete", "Recycle"), path
    )
    yield from check_enum(node, "volumeMode", ("Filesystem", "Block"), path)


@rule(CORE + "PersistentVolumeClaimSpec")
def persistent_volume_claim_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from _access_modes(node, path)
    yield from check_enum(node, "volumeMode", ("Filesystem", "Block"), path)
    if ctx.standalone and ctx.kind == "PersistentVolumeClaim" and not node.get("accessModes"):
        yield required((*path, "accessModes"), "at least 1 access mode is required")


@rule("io.k8s.api.storage.v1.StorageClass")
def storage_class(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "reclaimPolicy", ("Delete", "Retain"), path)
    yield from check_enum(node, "volumeBindingMode", ("Immediate", "WaitForFirstConsumer"), path)


@rule(CORE + "HostPathVolumeSource")
def host_path_type(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    kinds = (
        "",
        "DirectoryOrCreate",
        "Directory",
        "FileOrCreate",
        "File",
        "Socket",
        "CharDevice",
        "BlockDevice",
    )
    yield from check_enum(node, "type", kinds, path)


# --------------------------------------------------------------------------- policy, scheduling


@rule("io.k8s.api.policy.v1.PodDisruptionBudgetSpec")
def pdb_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    if node.get("minAvailable") is not None and node.get("maxUnavailable") is not None:
        yield invalid(
            (*path, "minAvailable"),
            node["minAvailable"],
            "minAvailable and maxUnavailable cannot be both set",
        )
    for key in ("minAvailable", "maxUnavailable"):
        if node.get(key) is not None:
            problem = names.int_or_percent(node[key])
            if problem:
                yield invalid((*path, key), node[key], problem)
    yield from check_enum(
        node, "unhealthyPodEvictionPolicy", ("IfHealthyBudget", "AlwaysAllow"), path
    )


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


@rule("io.k8s.api.scheduling.v1.PriorityClass")
def priority_class(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from check_enum(node, "preemptionPolicy", ("PreemptLowerPriority", "Never"), path)
    value = node.get("value")
    name = _get(node, "metadata", "name")
    if isinstance(value, int) and value > 1_000_000_000 and not str(name).startswith("system-"):
        yield invalid(
            (*path, "value"),
            value,
            "maximum allowed value of a user defined priority is 1000000000",
        )


@rule(CORE + "LimitRangeItem")
def limit_range_item(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "type", ("Container", "Pod", "PersistentVolumeClaim"), path)


# --------------------------------------------------------------------------- RBAC and admission

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
