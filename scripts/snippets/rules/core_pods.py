"""core/v1 pod rules: PodSpec, containers, probes, tolerations, taints, security
contexts and resource requirements (pkg/apis/core/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .. import names
from .common import (
    CORE,
    POD_RESTART,
    PROTOCOLS,
    PULL_POLICIES,
    TAINT_EFFECTS,
    Context,
    Path_,
    Violation,
    check_enum,
    check_labels,
    check_name,
    check_port,
    dig,
    invalid,
    required,
    rule,
    unsupported,
)
from .meta import NODE_SELECTOR_OPS, _requirement

STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "storage"}


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


@rule(CORE + "NodeSelectorRequirement")
def node_selector_requirement(ctx: Context, req: Any, path: Path_) -> Iterator[Violation]:
    """Node affinity operators: In, NotIn, Exists, DoesNotExist, Gt, Lt."""
    yield from _requirement(req, path, NODE_SELECTOR_OPS)


@rule(CORE + "PodSpec")
def pod_spec(  # noqa: C901, PLR0912 - one flat list of independent PodSpec rules
    ctx: Context, spec: Any, path: Path_
) -> Iterator[Violation]:
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
        for claim in dig(ctx.root, "spec", "volumeClaimTemplates") or []:
            name = dig(claim, "metadata", "name")
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
