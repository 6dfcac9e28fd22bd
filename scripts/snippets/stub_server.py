"""A discovery-only Kubernetes API server on 127.0.0.1 for kubectl.

Why: kubectl only validates resource types (`kubectl get podz`), some `-o` formats and
many arguments after API discovery. Against a dead address those commands fail with a
connection error and nothing is learned; against this stub they fail exactly as on a
real v1.37 cluster. It serves /version, /api, /apis and one APIResourceList per
group-version, built from the v1.37 definitions (x-kubernetes-group-version-kind) plus
the extra kinds in kinds.py. Lists are empty, named objects are NotFound, writes are
refused: no command can change anything, and none needs to.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from scripts import project

from .kinds import (
    ALL_CATEGORY,
    CLUSTER_SCOPED,
    CORE_SHORT_NAMES,
    CREATE_ONLY,
    EXTRA_KINDS,
    plural,
)
from .schemas import version_rank

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SERVER_VERSION = {
    "major": "1",
    "minor": project.versions().latest.split(".")[1],
    "gitVersion": f"v{project.versions().latest}.0",
    "gitCommit": "stub",
    "gitTreeState": "clean",
    "buildDate": "2026-01-01T00:00:00Z",
    "goVersion": "go1.25",
    "compiler": "gc",
    "platform": "linux/amd64",
}
# Subresources kubectl looks up through discovery (logs, exec, scale, eviction...),
# keyed by "group/resource".
SUBRESOURCES: dict[str, tuple[tuple[str, str, str, list[str]], ...]] = {
    "/pods": (
        ("pods/log", "Pod", "", ["get"]),
        ("pods/exec", "PodExecOptions", "", ["create", "get"]),
        ("pods/attach", "PodAttachOptions", "", ["create", "get"]),
        ("pods/portforward", "PodPortForwardOptions", "", ["create", "get"]),
        ("pods/eviction", "Eviction", "policy", ["create"]),
        ("pods/status", "Pod", "", ["get", "patch", "update"]),
        ("pods/ephemeralcontainers", "Pod", "", ["get", "patch", "update"]),
        ("pods/resize", "Pod", "", ["get", "patch", "update"]),
        ("pods/binding", "Binding", "", ["create"]),
    ),
    "apps/deployments": (
        ("deployments/scale", "Scale", "autoscaling", ["get", "patch", "update"]),
        ("deployments/status", "Deployment", "", ["get", "patch", "update"]),
    ),
    "apps/replicasets": (
        ("replicasets/scale", "Scale", "autoscaling", ["get", "patch", "update"]),
    ),
    "apps/statefulsets": (
        ("statefulsets/scale", "Scale", "autoscaling", ["get", "patch", "update"]),
    ),
    "/replicationcontrollers": (
        ("replicationcontrollers/scale", "Scale", "autoscaling", ["get", "patch", "update"]),
    ),
    "/nodes": (
        ("nodes/proxy", "NodeProxyOptions", "", ["create", "delete", "get", "patch", "update"]),
    ),
    "/services": (
        (
            "services/proxy",
            "ServiceProxyOptions",
            "",
            ["create", "delete", "get", "patch", "update"],
        ),
    ),
    "/serviceaccounts": (
        ("serviceaccounts/token", "TokenRequest", "authentication.k8s.io", ["create"]),
    ),
}


def build_discovery() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{group: {version: [APIResource, ...]}} for everything kubectl can name."""
    from .schemas import load

    schemas = load()
    found: dict[str, dict[str, dict[str, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    defs = schemas.defs
    for (api_version, kind), target in schemas.gvk.items():
        if target.startswith(("http", "io.k8s.apimachinery.")):
            continue
        group, _, version = api_version.rpartition("/")
        listable = f"{target}List" in defs
        if not listable and kind not in CREATE_ONLY:
            continue
        name = "bindings" if kind == "Binding" else plural(kind)
        found[group][version][name] = _resource(
            name,
            kind,
            kind not in CLUSTER_SCOPED,
            CORE_SHORT_NAMES.get(kind, ()),
            ["create"] if kind in CREATE_ONLY else VERBS,
            ["all"] if kind in ALL_CATEGORY else [],
        )
    for extra in EXTRA_KINDS:
        if extra.plural is None:
            continue
        for version in extra.versions:
            found[extra.group][version][extra.plural] = _resource(
                extra.plural,
                extra.kind,
                extra.namespaced,
                extra.short,
                ["get", "list"] if extra.group == "metrics.k8s.io" else VERBS,
                [],
            )
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for group, versions in found.items():
        out[group] = {}
        for version, resources in versions.items():
            listing = list(resources.values())
            for res in list(listing):
                for sub, sub_kind, sub_group, verbs in SUBRESOURCES.get(
                    f"{group}/{res['name']}", ()
                ):
                    entry = _resource(sub, sub_kind, res["namespaced"], (), verbs, [])
                    if sub_group:
                        entry["group"] = sub_group
                    listing.append(entry)
            out[group][version] = listing
    return out


def _resource(
    name: str,
    kind: str,
    namespaced: bool,
    short: tuple[str, ...],
    verbs: list[str],
    categories: list[str],
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "name": name,
        "singularName": kind.lower() if "/" not in name else "",
        "namespaced": namespaced,
        "kind": kind,
        "verbs": verbs,
    }
    if short:
        res["shortNames"] = list(short)
    if categories:
        res["categories"] = categories
    return res


class _QuietServer(ThreadingHTTPServer):
    """kubectl may hang up mid-answer (it got what it needed, or timed out): not an error.

    A listen backlog of 5 (socketserver's default) overflows when a few kubectl runs fire
    their ~60 parallel discovery requests at once: a connection whose handshake the kernel
    dropped looks open to kubectl, which then waits out its 32 s request timeout (seen as
    one `api-versions` run taking 32 s of a 48 s check)."""

    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


NOT_FOUND = json.dumps(
    {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "the server could not find the requested resource",
        "reason": "NotFound",
        "details": {},
        "code": 404,
    }
).encode()


class StubServer:
    """Context manager: ``with StubServer() as url:`` serves discovery until exit."""

    def __init__(self) -> None:
        self.discovery = build_discovery()
        # 404s sent, per run (its Impersonate-User header): the structured signal that a
        # command's NotFound came from this stub (commands.classify).
        self.not_found: Counter[str] = Counter()
        self.kinds: dict[tuple[str, str], str] = {}
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def _payloads(self, port: int) -> dict[str, bytes]:
        pages: dict[str, Any] = {"/version": SERVER_VERSION}
        pages["/api"] = {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": f"127.0.0.1:{port}"}
            ],
        }
        groups = []
        for group, versions in sorted(self.discovery.items()):
            ordered = sorted(versions, key=version_rank)
            if group == "":
                pages["/api/v1"] = {
                    "kind": "APIResourceList",
                    "groupVersion": "v1",
                    "resources": versions["v1"],
                }
                continue
            entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in ordered]
            groups.append({"name": group, "versions": entries, "preferredVersion": entries[0]})
            for v in ordered:
                pages[f"/apis/{group}/{v}"] = {
                    "kind": "APIResourceList",
                    "apiVersion": "v1",
                    "groupVersion": f"{group}/{v}",
                    "resources": versions[v],
                }
        pages["/apis"] = {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
        return {path: json.dumps(body).encode() for path, body in pages.items()}

    def _list_kind(self, path: str) -> tuple[str, str] | None:
        """(groupVersion, Kind) when ``path`` lists a collection, e.g.
        /api/v1/namespaces/x/pods or /apis/apps/v1/deployments."""
        parts = path.strip("/").split("/")
        if parts[:1] == ["api"]:
            group_version, rest = parts[1] if len(parts) > 1 else "", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) > 2:
            group_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
        else:
            return None
        if len(rest) == 3 and rest[0] == "namespaces":
            rest = rest[2:]
        if len(rest) != 1 or (group_version, rest[0]) not in self.kinds:
            return None
        return group_version, self.kinds[(group_version, rest[0])]

    def _handler(self, pages: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _send(self, code: int, body: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0].rstrip("/") or "/"
                if path in pages:
                    self._send(200, pages[path])
                elif "watch=" not in self.path and (listing := stub._list_kind(path)):
                    group_version, kind = listing
                    body = {
                        "kind": f"{kind}List",
                        "apiVersion": group_version,
                        "metadata": {"resourceVersion": "1"},
                        "items": [],
                    }
                    self._send(200, json.dumps(body).encode())
                else:
                    self._not_found()

            def _not_found(self) -> None:
                # kubectl sends no bearer token over plain HTTP, but it does send the
                # kubeconfig's impersonation user: each run has its own.
                stub.not_found[self.headers.get("Impersonate-User") or ""] += 1
                self._send(404, NOT_FOUND)

            def _refuse(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self._not_found()

            do_POST = do_PUT = do_PATCH = do_DELETE = _refuse

            def log_message(self, *args: object) -> None:
                """Silence the per-request log."""

        return Handler

    def __enter__(self) -> str:
        pages: dict[str, bytes] = {}
        self.kinds = {
            (f"{g}/{v}" if g else v, r["name"]): r["kind"]
            for g, vs in self.discovery.items()
            for v, rs in vs.items()
            for r in rs
            if "/" not in r["name"]
        }
        Handler = self._handler(pages)
        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        port = self.server.server_address[1]
        pages.update(self._payloads(port))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
