"""Manifests, fragments and other YAML: realistic mistakes (many straight from the study
notes) must be reported at the offending field's line; correct snippets of every kind
the site uses must produce no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snippet_cases import Case, assert_reported, findings_for, run_cases

FIXTURES = Path(__file__).parent / "fixtures"

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
"""


def pod(extra_container: str = "", extra_spec: str = "") -> str:
    """A valid Pod with extra lines appended to its container or its spec."""
    return POD + extra_container + extra_spec


def deployment(selector: str = "app: web", labels: str = "app: web", replicas: str = "3") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      {selector}
  template:
    metadata:
      labels:
        {labels}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


BAD = [
    Case(
        "tolerations-under-containers",
        "yaml",
        pod("""    tolerations:  # <-
    - key: dedicated
      operator: Exists
"""),
        "spec.containers[0].tolerations",
        'unknown field "tolerations" (it belongs in spec)',
    ),
    Case(
        "valueFrom-misnested",
        "yaml",
        pod("""    env:
    - name: MODE
      valueFrom:
      configMapKeyRef:  # <-
        name: app-config
        key: mode
"""),
        "spec.containers[0].env[0].configMapKeyRef",
        "belongs under spec.containers[0].env[0].valueFrom",
    ),
    Case(
        "ingress-extensions-v1beta1",
        "yaml",
        """apiVersion: extensions/v1beta1  # <-
kind: Ingress
metadata:
  name: web
spec:
  backend:
    serviceName: web
    servicePort: 80
""",
        "apiVersion",
        "extensions/v1beta1 Ingress does not exist in v1.37; use networking.k8s.io/v1",
    ),
    Case(
        "deployment-apps-v1beta1",
        "yaml",
        deployment()
        .replace("apps/v1", "apps/v1beta1")
        .replace("apiVersion: apps/v1beta1", "apiVersion: apps/v1beta1  # <-"),
        "apiVersion",
        "apps/v1beta1 Deployment does not exist in v1.37; use apps/v1",
    ),
    Case(
        "kind-lowercase",
        "yaml",
        deployment()
        .replace("kind: Deployment", "kind: deployment")
        .replace("apiVersion: apps/v1", "apiVersion: apps/v1  # <-"),
        "apiVersion",
        "did you mean Deployment?",
    ),
    Case(
        "replicas-as-string",
        "yaml",
        deployment(replicas='"3"  # <-'),
        "spec.replicas",
        'expected integer, got string "3"',
    ),
    Case(
        "selector-does-not-match",
        "yaml",
        deployment(labels="app: webapp").replace("      labels:\n", "      labels:  # <-\n"),
        "spec.template.metadata.labels",
        "`selector` does not match template `labels`",
    ),
    Case(
        "toleration-effect-typo",
        "yaml",
        pod(
            extra_spec="""  tolerations:
  - key: dedicated
    operator: Equal
    value: gpu
    effect: NoScheduled  # <-
"""
        ),
        "spec.tolerations[0].effect",
        'Unsupported value: "NoScheduled"',
    ),
    Case(
        "imagePullPolicy-lowercase",
        "yaml",
        pod("    imagePullPolicy: always  # <-\n"),
        "spec.containers[0].imagePullPolicy",
        'Unsupported value: "always"',
    ),
    Case(
        "secret-not-base64",
        "yaml",
        """apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
data:
  password: s3cr3t!  # <-
""",
        "data.password",
        "not valid base64",
    ),
    Case(
        "nodeport-80",
        "yaml",
        """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 80  # <-
""",
        "spec.ports[0].nodePort",
        "The range of valid ports is 30000-32767",
    ),
    Case(
        "container-port-70000",
        "yaml",
        pod("""    ports:
    - containerPort: 70000  # <-
"""),
        "spec.containers[0].ports[0].containerPort",
        "must be between 1 and 65535",
    ),
    Case(
        "duplicate-key",
        "yaml",
        pod().replace("  name: web\nspec:", "  name: web\n  name: api  # <-\nspec:"),
        "",
        'duplicate key "name"',
    ),
    Case(
        "tab-indentation",
        "yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x  # <-\n",
        "",
        "tab character",
    ),
    Case(
        "memory-512MB",
        "yaml",
        pod("""    resources:
      limits:
        memory: 512MB  # <-
"""),
        "spec.containers[0].resources.limits.memory",
        "quantities must match the regular expression",
    ),
    Case(
        "request-above-limit",
        "yaml",
        pod("""    resources:
      requests:
        cpu: "2"  # <-
      limits:
        cpu: 500m
"""),
        "spec.containers[0].resources.requests.cpu",
        "must be less than or equal to cpu limit of 500m",
    ),
    Case(
        "unqualified-resource-name",
        "yaml",
        pod("""    resources:
      limits:
        gpu: 1  # <-
"""),
        "spec.containers[0].resources.limits.gpu",
        "must be a standard resource type or fully qualified",
    ),
    Case(
        "service-name-dns1035",
        "yaml",
        """apiVersion: v1
kind: Service
metadata:
  name: 1web  # <-
spec:
  selector:
    app: web
  ports:
  - port: 80
""",
        "metadata.name",
        "a DNS-1035 label",
    ),
    Case(
        "label-value-with-space",
        "yaml",
        """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    team: web team  # <-
""",
        "metadata.labels.team",
        "a valid label must be an empty string",
    ),
    Case(
        "missing-name",
        "yaml",
        """apiVersion: v1
kind: Namespace
metadata:  # <-
  labels:
    team: web
""",
        "metadata.name",
        "name or generateName is required",
    ),
    Case(
        "job-restart-always",
        "yaml",
        """apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Always  # <-
      containers:
      - name: pi
        image: perl:5.34
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
""",
        "spec.template.spec.restartPolicy",
        'Unsupported value: "Always": supported values: "Never", "OnFailure"',
    ),
    Case(
        "job-selector-without-manualSelector",
        "yaml",
        """apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  selector:  # <-
    matchLabels:
      app: pi
  template:
    metadata:
      labels:
        app: pi
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34
""",
        "spec.selector",
        "`selector` not auto-generated",
    ),
    Case(
        "service-type-case",
        "yaml",
        """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: Nodeport  # <-
  selector:
    app: web
  ports:
  - port: 80
""",
        "spec.type",
        'Unsupported value: "Nodeport"',
    ),
    Case(
        "ingress-pathtype-lowercase",
        "yaml",
        """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: prefix  # <-
        backend:
          service:
            name: web
            port:
              number: 80
""",
        "spec.rules[0].http.paths[0].pathType",
        'Unsupported value: "prefix"',
    ),
    Case(
        "pvc-access-mode-typo",
        "yaml",
        """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes:
  - ReadWriteOnly  # <-
  resources:
    requests:
      storage: 1Gi
""",
        "spec.accessModes[0]",
        'Unsupported value: "ReadWriteOnly"',
    ),
    Case(
        "pv-reclaim-policy-typo",
        "yaml",
        """apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-data
spec:
  capacity:
    storage: 5Gi
  accessModes:
  - ReadWriteOnce
  persistentVolumeReclaimPolicy: Retained  # <-
  hostPath:
    path: /mnt/data
""",
        "spec.persistentVolumeReclaimPolicy",
        'Unsupported value: "Retained"',
    ),
    Case(
        "storageclass-binding-mode-typo",
        "yaml",
        """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsume  # <-
""",
        "volumeBindingMode",
        'Unsupported value: "WaitForFirstConsume"',
    ),
    Case(
        "dns-policy-case",
        "yaml",
        pod(extra_spec="  dnsPolicy: ClusterFirstWithHostnet  # <-\n"),
        "spec.dnsPolicy",
        'Unsupported value: "ClusterFirstWithHostnet"',
    ),
    Case(
        "volume-mount-not-declared",
        "yaml",
        pod(
            """    volumeMounts:
    - name: cache  # <-
      mountPath: /cache
""",
            """  volumes:
  - name: data
    emptyDir: {}
""",
        ),
        "spec.containers[0].volumeMounts[0].name",
        'Not found: "cache"',
    ),
    Case(
        "clusterrolebinding-to-role",
        "yaml",
        """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: read-pods
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role  # <-
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
""",
        "roleRef.kind",
        'Unsupported value: "Role": supported values: "ClusterRole"',
    ),
    Case(
        "service-ports-need-names",
        "yaml",
        """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
  - port: 443  # <-
""",
        "spec.ports[1].name",
        "a name is required when a Service has more than one port",
    ),
    Case(
        "sidecar-restart-policy",
        "yaml",
        pod(
            extra_spec="""  initContainers:
  - name: log-shipper
    image: fluent/fluent-bit:3.2
    restartPolicy: OnFailure  # <-
"""
        ),
        "spec.initContainers[0].restartPolicy",
        'Unsupported value: "OnFailure": supported values: "Always"',
    ),
    Case(
        "pdb-min-and-max",
        "yaml",
        """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2  # <-
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
""",
        "spec.minAvailable",
        "minAvailable and maxUnavailable cannot be both set",
    ),
    Case(
        "hpa-target-missing-value",
        "yaml",
        """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:  # <-
        type: Utilization
        averageValue: 50
""",
        "spec.metrics[0].resource.target.averageUtilization",
        "must set averageUtilization",
    ),
    Case(
        "cronjob-schedule-fields",
        "yaml",
        """apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 2 * *"  # <-
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: busybox:1.36
""",
        "spec.schedule",
        "unparseable schedule",
    ),
    Case(
        "networkpolicy-policytype-typo",
        "yaml",
        """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
  policyTypes:
  - Ingres  # <-
""",
        "spec.policyTypes[0]",
        'Unsupported value: "Ingres"',
    ),
    Case(
        "strategy-type-typo",
        "yaml",
        deployment().replace(
            "  template:\n", "  strategy:\n    type: Rolling  # <-\n  template:\n"
        ),
        "spec.strategy.type",
        'Unsupported value: "Rolling"',
    ),
    Case(
        "node-affinity-operator",
        "yaml",
        pod(
            extra_spec="""  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: disktype
            operator: Equals  # <-
            values: ["ssd"]
"""
        ),
        "operator",
        'Unsupported value: "Equals"',
    ),
    Case(
        "containers-as-mapping",
        "yaml",
        """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:  # <-
    name: web
    image: nginx:1.27
""",
        "spec.containers",
        "expected array, got object",
    ),
    Case(
        "unknown-kind",
        "yaml",
        """apiVersion: example.com/v1  # <-
kind: Widget
metadata:
  name: w
""",
        "apiVersion",
        "unknown apiVersion/kind example.com/v1 Widget",
    ),
    Case(
        "httproute-unknown-field",
        "yaml",
        """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
spec:
  parentRefs:
  - name: web-gateway
    sectionNme: https  # <-
  rules:
  - backendRefs:
    - name: shop
      port: 80
""",
        "spec.parentRefs[0].sectionNme",
        'unknown field "sectionNme"',
    ),
    Case(
        "httproute-path-type",
        "yaml",
        """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
spec:
  parentRefs:
  - name: web-gateway
  rules:
  - matches:
    - path:
        type: Prefix  # <-
        value: /shop
    backendRefs:
    - name: shop
      port: 80
""",
        "spec.rules[0].matches[0].path.type",
        'Unsupported value: "Prefix"',
    ),
    Case(
        "yaml-without-marker",
        "yaml",
        """containers:  # <-
- name: web
  image: nginx:1.27
""",
        "",
        "add `# fragment: <OpenAPI definition>`",
    ),
    Case(
        "fragment-unknown-definition",
        "yaml",
        """# fragment: io.k8s.api.core.v1.PodTemplate.Spec  # <-
containers: []
""",
        "",
        'unknown OpenAPI definition "io.k8s.api.core.v1.PodTemplate.Spec"',
    ),
    Case(
        "fragment-container-tolerations",
        "yaml",
        """# fragment: io.k8s.api.core.v1.Container
name: web
image: nginx:1.27
tolerations: []  # <-
""",
        "tolerations",
        'unknown field "tolerations"',
        obj="Container fragment",
    ),
    Case(
        "fragment-toleration-exists-with-value",
        "yaml",
        """# fragment: io.k8s.api.core.v1.Toleration[]
- key: dedicated
  operator: Exists  # <-
  value: gpu
  effect: NoSchedule
""",
        "[0].operator",
        "value must be empty when `operator` is 'Exists'",
    ),
    Case(
        "fragment-toleration-seconds-without-noexecute",
        "yaml",
        """# fragment: io.k8s.api.core.v1.Toleration[]
- key: node.kubernetes.io/unreachable
  operator: Exists
  effect: NoSchedule  # <-
  tolerationSeconds: 300
""",
        "[0].effect",
        "effect must be 'NoExecute' when `tolerationSeconds` is set",
    ),
    Case(
        "fragment-list-without-brackets",
        "yaml",
        """# fragment: io.k8s.api.core.v1.Toleration
- key: dedicated  # <-
  operator: Exists
""",
        "",
        "mark it `# fragment: io.k8s.api.core.v1.Toleration[]`",
    ),
    Case(
        "label-key-invalid",
        "yaml",
        """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    app.kubernetes.io/: web  # <-
""",
        "metadata.labels",
        "name part must be non-empty",
    ),
    Case(
        "second-document-error",
        "yaml",
        """apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
  retries: 3  # <-
""",
        "data.retries",
        "expected string, got integer 3",
    ),
]

GOOD_FILES = sorted((FIXTURES / "good").glob("*.md"))


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):
    return run_cases(tmp_path_factory.mktemp("bad-manifests"), BAD)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_manifest_is_reported_at_the_field(bad_run, case: Case) -> None:
    assert_reported(bad_run, case)


def test_every_bad_case_is_counted(bad_run) -> None:
    counts = bad_run.report.counts
    assert counts["manifests"] >= 35 and counts["fragments"] == 5


@pytest.fixture(scope="module")
def good_report():
    from scripts.snippets import check_paths

    return check_paths([FIXTURES / "good" / "manifests.md"], use_cache=False)


def test_good_manifests_have_no_errors(good_report) -> None:
    assert not good_report.errors, "\n".join(map(str, good_report.errors))


def test_good_manifests_cover_every_kind_the_site_uses(good_report) -> None:
    text = (FIXTURES / "good" / "manifests.md").read_text()
    for kind in (
        "Pod",
        "Deployment",
        "ReplicaSet",
        "DaemonSet",
        "StatefulSet",
        "Job",
        "CronJob",
        "Service",
        "ConfigMap",
        "Secret",
        "Ingress",
        "IngressClass",
        "NetworkPolicy",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "StorageClass",
        "HorizontalPodAutoscaler",
        "PriorityClass",
        "PodDisruptionBudget",
        "LimitRange",
        "ResourceQuota",
        "Role",
        "RoleBinding",
        "ClusterRole",
        "ClusterRoleBinding",
        "ServiceAccount",
        "Namespace",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "Gateway",
        "HTTPRoute",
        "GatewayClass",
    ):
        assert f"kind: {kind}\n" in text, kind
    for service_type in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
        assert f"type: {service_type}\n" in text, service_type
    assert good_report.counts["manifests"] >= 40
    assert good_report.counts["fragments"] >= 4


def test_config_kinds_are_validated_when_data_schemas_has_them(good_report) -> None:
    """KubeletConfiguration, EncryptionConfiguration and kubeadm's v1beta4 have schemas in
    data/schemas/; kubeadm's deprecated v1beta3 has none: a warning, never silent."""
    assert good_report.counts["other YAML"] >= 1
    assert not any("KubeletConfiguration" in w.message for w in good_report.warnings)
    assert not any("kubeadm.k8s.io/v1beta4" in w.message for w in good_report.warnings)
    assert any(
        "no schema available for kubeadm.k8s.io/v1beta3 ClusterConfiguration" in w.message
        for w in good_report.warnings
    )


def test_yaml11_boolean_is_read_as_kubectl_reads_it(tmp_path: Path) -> None:
    """kubectl's YAML 1.1 parser turns an unquoted `yes` into true: a ConfigMap value must
    be a string, so the API server would reject it. In YAML that has no schema it is a
    warning."""
    manifest = Case(
        "yes",
        "yaml",
        """apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
data:
  debug: yes  # <-
""",
        "data.debug",
        "expected string, got boolean true",
    )
    config = Case(
        "config-yes",
        "yaml",
        """# config: Helm values
metrics:
  enabled: on  # <-
""",
    )
    run = run_cases(tmp_path, [manifest, config])
    assert_reported(run, manifest)
    warnings = findings_for(run, config, "warning")
    assert [w.line for w in warnings] == [run.starts["config-yes"] + 2]
    assert "boolean for kubectl" in warnings[0].message


def test_finding_format(bad_run) -> None:
    finding = next(f for f in bad_run.report.errors if f.field == "spec.replicas")
    assert str(finding) == (
        f"{finding.path}:{finding.line}: Deployment/web: spec.replicas: "
        'expected integer, got string "3"'
    )


def test_config_marker_accepts_unknown_kinds(tmp_path: Path) -> None:
    case = Case(
        "containerd",
        "yaml",
        """# config: a tool's own configuration file
apiVersion: example.dev/v1
kind: ToolConfig
logLevel: debug
""",
    )
    run = run_cases(tmp_path, [case])
    assert not findings_for(run, case) and run.report.counts["other YAML"] == 1
