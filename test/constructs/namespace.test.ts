import { Api } from "../../constructs/api";
import { Namespace, type NamespaceProps } from "../../constructs/namespace";
import { RESTRICTED_NAMESPACE_LABELS } from "../../lib/pod-security";
import { SharedVolume } from "../../constructs/shared-volume";
import { errorOf, find, image, kindsAndNames, objects, testChart } from "../support/chart";

function render(props: Partial<NamespaceProps> = {}, build: (chart: ReturnType<typeof testChart>) => void = () => undefined) {
  const chart = testChart();
  new Namespace(chart, "namespace", { ingressControllerNamespace: "ingress-nginx", ...props });
  build(chart);
  return { chart, all: objects(chart) };
}

describe("Namespace", () => {
  test("renders the Namespace, its quota and limits, and the network baseline", () => {
    expect(kindsAndNames(render().all)).toEqual([
      "Namespace/shop",
      "ResourceQuota/shop",
      "LimitRange/shop",
      "NetworkPolicy/default-deny",
      "NetworkPolicy/allow-dns",
      "NetworkPolicy/acme-http01-solver",
    ]);
  });

  test("the API server enforces the restricted profile on every pod, and the namespace survives prune and deletion", () => {
    const namespace = find<any>(render().all, "Namespace", "shop");
    expect(namespace.metadata).toEqual({
      name: "shop",
      labels: {
        ...RESTRICTED_NAMESPACE_LABELS,
        "app.kubernetes.io/instance": "web",
        "app.kubernetes.io/managed-by": "slipway",
        "app.kubernetes.io/part-of": "web",
      },
      annotations: { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false", "argocd.argoproj.io/compare-options": "IgnoreExtraneous" },
    });
    expect(RESTRICTED_NAMESPACE_LABELS).toEqual({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
  });

  describe("quota", () => {
    test("by default twice what the workloads ask for at their largest: every replica an HPA may add, plus a rolling update's surge", () => {
      const { all } = render({}, (chart) => {
        // 10 pods at most, 3 more while rolling out: 13 × 250m / 512Mi, limit 1Gi.
        new Api(chart, "api", { image: image("api"), autoscaling: { minReplicas: 2, maxReplicas: 10 }, resources: { cpu: "250m", memory: "512Mi", memoryLimit: "1Gi" } });
        new SharedVolume(chart, "uploads", { size: "10Gi" });
      });
      expect(find<any>(all, "ResourceQuota", "shop").spec).toEqual({
        hard: {
          "requests.cpu": "6500m",
          "requests.memory": "13Gi",
          "limits.memory": "26Gi",
          pods: "26",
          persistentvolumeclaims: "2",
          "requests.storage": "20Gi",
        },
      });
    });

    test("an explicit quota is rendered as given", () => {
      const { all } = render({ quota: { cpu: "8", memory: "16Gi", pods: 40, storage: "500Gi" } });
      expect(find<any>(all, "ResourceQuota", "shop").spec.hard).toEqual({
        "requests.cpu": "8",
        "requests.memory": "16Gi",
        "limits.memory": "16Gi",
        pods: "40",
        persistentvolumeclaims: "0",
        "requests.storage": "500Gi",
      });
    });

    test("an explicit quota below what the workloads ask for is refused: the API server would refuse their pods", () => {
      const chart = testChart();
      new Namespace(chart, "namespace", { ingressControllerNamespace: "ingress-nginx", quota: { cpu: "1", memory: "1Gi", pods: 2 } });
      new Api(chart, "api", { image: image("api"), replicas: 4, resources: { cpu: "500m", memory: "512Mi" } });
      expect(chart.node.findAll().flatMap((c) => c.node.validate())).toEqual([
        "Namespace 'shop': 'quota.cpu' 1 is below what the stack asks for at its largest (2500m); raise it",
        "Namespace 'shop': 'quota.memory' 1Gi is below what the stack asks for at its largest (2560Mi); raise it",
        "Namespace 'shop': 'quota.pods' 2 is below what the stack asks for at its largest (5); raise it",
      ]);
    });
  });

  test("containers without resources get 50m CPU and 128Mi by default", () => {
    expect(find<any>(render().all, "LimitRange", "shop").spec).toEqual({
      limits: [{ type: "Container", defaultRequest: { cpu: "50m", memory: "128Mi" }, default: { memory: "128Mi" } }],
    });
  });

  describe("network baseline", () => {
    test("default-deny selects every pod and allows nothing in or out", () => {
      expect(find<any>(render().all, "NetworkPolicy", "default-deny").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });

    test("every pod reaches the cluster DNS in kube-system over UDP and TCP 53, and nothing else through this policy", () => {
      expect(find<any>(render().all, "NetworkPolicy", "allow-dns").spec).toEqual({
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { port: 53, protocol: "UDP" },
              { port: 53, protocol: "TCP" },
            ],
          },
        ],
      });
    });

    test("dnsPodLabels select the cluster's DNS pods", () => {
      const spec = find<any>(render({ dnsPodLabels: { "k8s-app": "coredns" } }).all, "NetworkPolicy", "allow-dns").spec;
      expect(spec.egress[0].to[0].podSelector).toEqual({ matchLabels: { "k8s-app": "coredns" } });
    });

    test("cert-manager's HTTP-01 solver pods are reachable from the ingress controller on port 8089, and only that", () => {
      expect(find<any>(render().all, "NetworkPolicy", "acme-http01-solver").spec).toEqual({
        podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8089, protocol: "TCP" }] }],
      });
    });

    test("acmeHttp01: false leaves the solver policy out (DNS-01 issuers need none)", () => {
      expect(kindsAndNames(render({ acmeHttp01: false }).all)).not.toContain("NetworkPolicy/acme-http01-solver");
    });
  });

  test.each<[string, Partial<NamespaceProps>, string]>([
    ["a quota CPU that is no quantity", { quota: { cpu: "eight", memory: "16Gi", pods: 40 } }, "Namespace 'shop': 'quota.cpu' must be a Kubernetes quantity such as 250m, 512Mi or 10Gi (got 'eight')"],
    ["a default memory that is no quantity", { containerDefaults: { cpu: "50m", memory: "128 MB" } }, "Namespace 'shop': 'containerDefaults.memory' must be a Kubernetes quantity such as 250m, 512Mi or 10Gi (got '128 MB')"],
  ])("refuses %s", (_, props, message) => {
    expect(errorOf(() => render(props))).toBe(message);
  });
});
