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

Layout: ``common`` holds the framework (``rule``, ``run``, ``run_top``, ``Context``,
``Violation``) and the shared helpers; one module per API group registers its rules on
import (``meta``, ``core_pods``, ``core_services``, ``core_config``, ``core_volumes``,
``apps``, ``batch``, ``networking``, ``storage``, ``policy``, ``autoscaling``,
``scheduling``, ``rbac``, ``admissionregistration``). A new rule goes in its group's module.
"""

from __future__ import annotations

from . import (  # noqa: F401  (imported for their @rule registrations)
    admissionregistration,
    apps,
    autoscaling,
    batch,
    core_config,
    core_pods,
    core_services,
    core_volumes,
    meta,
    networking,
    policy,
    rbac,
    scheduling,
    storage,
)
from .common import CORE, META, RULES, TOP, Context, Path_, Violation, rule, run, run_top

__all__ = [
    "CORE",
    "META",
    "RULES",
    "TOP",
    "Context",
    "Path_",
    "Violation",
    "rule",
    "run",
    "run_top",
]
