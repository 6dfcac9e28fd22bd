"""networking.k8s.io/v1 rules: Ingress paths and hosts, NetworkPolicy ports and IP
blocks (pkg/apis/networking/validation)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from .. import names
from .common import (
    PROTOCOLS,
    Context,
    Path_,
    Violation,
    check_enum,
    check_name,
    check_port,
    invalid,
    required,
    rule,
    unsupported,
)


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
