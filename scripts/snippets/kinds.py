"""The one place that lists kinds outside the Kubernetes v1.37 OpenAPI definitions, and
the discovery facts (plural, short names, scope) kubectl needs for every kind.

Why one place: the manifest checker (is this kind known? is there a schema?) and the
discovery stub (can `kubectl get vpa` resolve?) must agree, and adding a CRD the site
starts to use should be a one-line change here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtraKind:
    """A kind that is not in the core definitions.

    ``schema`` names where its schema comes from ("gateway" = npm
    @kubernetes-models/gateway-api; "data" = data/schemas/, generated from a named upstream
    source by scripts/snippets/gen_schemas.py) or is None when there is none: such
    documents are counted as "other YAML" with a warning, never skipped silently.
    ``plural`` is None for configuration files that are not API resources (kubeadm,
    kubelet), so the discovery stub does not serve them.
    """

    group: str
    versions: tuple[str, ...]
    kind: str
    plural: str | None = None
    short: tuple[str, ...] = ()
    namespaced: bool = True
    schema: str | None = None
    # Version of the schema to use when the package only has an older, same-shape version
    # (GRPCRoute and ReferenceGrant were promoted without structural changes).
    schema_version: str | None = None
    what: str = ""

    def api_versions(self) -> list[str]:
        return [f"{self.group}/{v}" if self.group else v for v in self.versions]


GATEWAY = "gateway.networking.k8s.io"

EXTRA_KINDS: tuple[ExtraKind, ...] = (
    # Gateway API (schemas: npm @kubernetes-models/gateway-api 0.5.1 = Gateway API v1.0.0,
    # experimental channel, made strict).
    ExtraKind(
        GATEWAY, ("v1", "v1beta1"), "GatewayClass", "gatewayclasses", ("gc",), False, "gateway"
    ),
    ExtraKind(GATEWAY, ("v1", "v1beta1"), "Gateway", "gateways", ("gtw",), True, "gateway"),
    ExtraKind(GATEWAY, ("v1", "v1beta1"), "HTTPRoute", "httproutes", (), True, "gateway"),
    ExtraKind(GATEWAY, ("v1",), "GRPCRoute", "grpcroutes", (), True, "gateway", "v1alpha2"),
    ExtraKind(GATEWAY, ("v1alpha2",), "GRPCRoute", "grpcroutes", (), True, "gateway"),
    ExtraKind(
        GATEWAY, ("v1beta1",), "ReferenceGrant", "referencegrants", ("refgrant",), True, "gateway"
    ),
    ExtraKind(
        GATEWAY,
        ("v1",),
        "ReferenceGrant",
        "referencegrants",
        ("refgrant",),
        True,
        "gateway",
        "v1beta1",
    ),
    ExtraKind(GATEWAY, ("v1alpha2",), "TCPRoute", "tcproutes", (), True, "gateway"),
    ExtraKind(GATEWAY, ("v1alpha2",), "TLSRoute", "tlsroutes", (), True, "gateway"),
    ExtraKind(GATEWAY, ("v1alpha2",), "UDPRoute", "udproutes", (), True, "gateway"),
    # BackendTLSPolicy v1 changed shape since the packaged v1alpha2: no schema.
    ExtraKind(
        GATEWAY,
        ("v1",),
        "BackendTLSPolicy",
        "backendtlspolicies",
        ("btlspolicy",),
        what="Gateway API",
    ),
    # Add-ons the site documents.
    ExtraKind(
        "autoscaling.k8s.io",
        ("v1",),
        "VerticalPodAutoscaler",
        "verticalpodautoscalers",
        ("vpa",),
        schema="data",
        what="VPA CRD",
    ),
    ExtraKind(
        "snapshot.storage.k8s.io",
        ("v1",),
        "VolumeSnapshot",
        "volumesnapshots",
        ("vs",),
        schema="data",
        what="CSI snapshot CRD",
    ),
    ExtraKind(
        "snapshot.storage.k8s.io",
        ("v1",),
        "VolumeSnapshotClass",
        "volumesnapshotclasses",
        ("vsclass", "vsclasses"),
        False,
        schema="data",
        what="CSI snapshot CRD",
    ),
    ExtraKind(
        "snapshot.storage.k8s.io",
        ("v1",),
        "VolumeSnapshotContent",
        "volumesnapshotcontents",
        ("vsc", "vscs"),
        False,
        what="CSI snapshot CRD",
    ),
    ExtraKind(
        "monitoring.coreos.com",
        ("v1",),
        "ServiceMonitor",
        "servicemonitors",
        ("smon",),
        schema="data",
        what="Prometheus Operator CRD",
    ),
    ExtraKind(
        "monitoring.coreos.com",
        ("v1",),
        "PodMonitor",
        "podmonitors",
        ("pmon",),
        what="Prometheus Operator CRD",
    ),
    ExtraKind(
        "monitoring.coreos.com",
        ("v1",),
        "PrometheusRule",
        "prometheusrules",
        ("promrule",),
        what="Prometheus Operator CRD",
    ),
    ExtraKind(
        "cert-manager.io",
        ("v1",),
        "Certificate",
        "certificates",
        ("cert", "certs"),
        what="cert-manager CRD",
    ),
    ExtraKind("cert-manager.io", ("v1",), "Issuer", "issuers", (), what="cert-manager CRD"),
    ExtraKind(
        "cert-manager.io",
        ("v1",),
        "ClusterIssuer",
        "clusterissuers",
        (),
        False,
        what="cert-manager CRD",
    ),
    ExtraKind(
        "cilium.io",
        ("v2",),
        "CiliumNetworkPolicy",
        "ciliumnetworkpolicies",
        ("cnp", "ciliumnp"),
        what="Cilium CRD",
    ),
    ExtraKind(
        "crd.projectcalico.org", ("v1",), "NetworkPolicy", "networkpolicies", (), what="Calico CRD"
    ),
    ExtraKind(
        "projectcalico.org",
        ("v3",),
        "GlobalNetworkPolicy",
        "globalnetworkpolicies",
        ("gnp",),
        False,
        what="Calico API",
    ),
    # The example custom resource of the kubernetes.io CRD tutorial.
    ExtraKind("stable.example.com", ("v1",), "CronTab", "crontabs", ("ct",), what="tutorial CRD"),
    ExtraKind(
        "metrics.k8s.io", ("v1beta1",), "NodeMetrics", "nodes", (), False, what="metrics API"
    ),
    ExtraKind("metrics.k8s.io", ("v1beta1",), "PodMetrics", "pods", (), True, what="metrics API"),
    # Configuration files (not API resources).
    ExtraKind("", ("v1",), "Config", what="kubeconfig"),
    # kubeadm: v1beta4 (the current format) strictly, from its Go types; v1beta3 (deprecated,
    # still read by kubeadm) is known but has no schema.
    *(
        ExtraKind("kubeadm.k8s.io", ("v1beta4",), kind, schema="data", what="kubeadm configuration")
        for kind in (
            "ClusterConfiguration",
            "InitConfiguration",
            "JoinConfiguration",
            "UpgradeConfiguration",
            "ResetConfiguration",
        )
    ),
    *(
        ExtraKind("kubeadm.k8s.io", ("v1beta3",), kind, what="kubeadm configuration")
        for kind in ("ClusterConfiguration", "InitConfiguration", "JoinConfiguration")
    ),
    ExtraKind(
        "kubelet.config.k8s.io",
        ("v1beta1", "v1"),
        "KubeletConfiguration",
        schema="data",
        what="kubelet configuration",
    ),
    ExtraKind(
        "kubelet.config.k8s.io",
        ("v1beta1", "v1alpha1", "v1"),
        "CredentialProviderConfig",
        what="kubelet configuration",
    ),
    ExtraKind(
        "kubeproxy.config.k8s.io",
        ("v1alpha1",),
        "KubeProxyConfiguration",
        schema="data",
        what="kube-proxy configuration",
    ),
    ExtraKind(
        "kubescheduler.config.k8s.io",
        ("v1",),
        "KubeSchedulerConfiguration",
        what="scheduler configuration",
    ),
    ExtraKind(
        "apiserver.config.k8s.io",
        ("v1",),
        "EncryptionConfiguration",
        schema="data",
        what="API server configuration",
    ),
    ExtraKind(
        "apiserver.config.k8s.io",
        ("v1", "v1beta1"),
        "AdmissionConfiguration",
        schema="data",
        what="API server configuration",
    ),
    ExtraKind(
        "apiserver.config.k8s.io",
        ("v1", "v1beta1"),
        "AuthenticationConfiguration",
        what="API server configuration",
    ),
    ExtraKind(
        "apiserver.config.k8s.io",
        ("v1", "v1beta1"),
        "AuthorizationConfiguration",
        what="API server configuration",
    ),
    ExtraKind(
        "apiserver.k8s.io",
        ("v1beta1",),
        "EgressSelectorConfiguration",
        schema="data",
        what="API server configuration",
    ),
    ExtraKind("audit.k8s.io", ("v1",), "Policy", what="audit policy"),
    ExtraKind(
        "pod-security.admission.config.k8s.io",
        ("v1",),
        "PodSecurityConfiguration",
        what="admission configuration",
    ),
    ExtraKind(
        "eventratelimit.admission.k8s.io",
        ("v1alpha1",),
        "Configuration",
        what="admission configuration",
    ),
)


def extra_kind(api_version: str, kind: str) -> ExtraKind | None:
    """The ExtraKind entry for an apiVersion/kind pair, if listed."""
    for entry in EXTRA_KINDS:
        if entry.kind == kind and api_version in entry.api_versions():
            return entry
    return None


# Discovery facts for core kinds (kubectl resolves `kubectl get po` through them).
# Taken from `kubectl api-resources` of a v1.3x cluster.
CORE_SHORT_NAMES: dict[str, tuple[str, ...]] = {
    "ComponentStatus": ("cs",),
    "ConfigMap": ("cm",),
    "Endpoints": ("ep",),
    "Event": ("ev",),
    "LimitRange": ("limits",),
    "Namespace": ("ns",),
    "Node": ("no",),
    "PersistentVolumeClaim": ("pvc",),
    "PersistentVolume": ("pv",),
    "Pod": ("po",),
    "ReplicationController": ("rc",),
    "ResourceQuota": ("quota",),
    "ServiceAccount": ("sa",),
    "Service": ("svc",),
    "CustomResourceDefinition": ("crd", "crds"),
    "DaemonSet": ("ds",),
    "Deployment": ("deploy",),
    "ReplicaSet": ("rs",),
    "StatefulSet": ("sts",),
    "HorizontalPodAutoscaler": ("hpa",),
    "CronJob": ("cj",),
    "CertificateSigningRequest": ("csr",),
    "Ingress": ("ing",),
    "NetworkPolicy": ("netpol",),
    "PodDisruptionBudget": ("pdb",),
    "PriorityClass": ("pc",),
    "StorageClass": ("sc",),
    "VolumeAttributesClass": ("vac",),
}

# Kinds served at cluster scope (everything else is namespaced).
CLUSTER_SCOPED: frozenset[str] = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ComponentStatus",
        "ClusterRole",
        "ClusterRoleBinding",
        "StorageClass",
        "CSIDriver",
        "CSINode",
        "VolumeAttachment",
        "PriorityClass",
        "CustomResourceDefinition",
        "APIService",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "IngressClass",
        "RuntimeClass",
        "CertificateSigningRequest",
        "ClusterTrustBundle",
        "FlowSchema",
        "PriorityLevelConfiguration",
        "TokenReview",
        "SelfSubjectReview",
        "SubjectAccessReview",
        "SelfSubjectAccessReview",
        "SelfSubjectRulesReview",
        "DeviceClass",
        "ResourceSlice",
        "StorageVersion",
        "StorageVersionMigration",
        "IPAddress",
        "ServiceCIDR",
        "VolumeAttributesClass",
        "DeviceTaintRule",
    }
)

# Resources without a List type that kubectl can still name (create-only reviews).
CREATE_ONLY: frozenset[str] = frozenset(
    {
        "TokenReview",
        "SelfSubjectReview",
        "SubjectAccessReview",
        "SelfSubjectAccessReview",
        "SelfSubjectRulesReview",
        "LocalSubjectAccessReview",
        "Binding",
    }
)

# kubectl's "all" category.
ALL_CATEGORY: frozenset[str] = frozenset(
    {
        "Pod",
        "Service",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicationController",
        "HorizontalPodAutoscaler",
    }
)


def plural(kind: str) -> str:
    """The resource name of a kind, as the API server pluralises it."""
    lower = kind.lower()
    if lower == "endpoints":
        return lower
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"
