"""core/v1 Service rules (ValidateService and the node-port allocator's range)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import names
from .common import (
    CORE,
    PROTOCOLS,
    Context,
    Path_,
    Violation,
    check_enum,
    check_labels,
    check_name,
    check_port,
    invalid,
    required,
    rule,
)

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
