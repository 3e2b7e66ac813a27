/**
 * A stack's namespace and what holds for every pod in it: the Pod Security Standards "restricted" profile,
 * enforced by the API server itself; a ResourceQuota and a LimitRange; and the network baseline — deny
 * everything, then allow DNS, and the ingress controller's calls to cert-manager's HTTP-01 solver.
 *
 * The Namespace is rendered into the stack's folder (so Argo CD, not a person or a second tool, owns it)
 * and protected like a volume: deleting it deletes every volume in it, so no sync, prune or deleted
 * Application may.
 */
import { PropsError } from "../lib/errors";
import { ApiObject, Chart, JsonPatch, Lazy } from "cdk8s";
import { Construct } from "constructs";
import { cpuMillis, formatBytes, formatCpu, quantityBytes } from "../lib/quantity";
import { QUANTITY, matches } from "../lib/formats";
import { RESTRICTED_NAMESPACE_LABELS } from "../lib/pod-security";
import { KEEP_DATA_ANNOTATIONS } from "./lib/data-protection";
import { k8s } from "./lib/k8s";
import { namespacePeer, NAMESPACE_NAME_LABEL } from "./lib/network";
import { Workload } from "./lib/workload";
import { SharedVolume } from "./shared-volume";

/** Upper bounds on what all pods of the namespace may ask for together. */
export interface QuotaProps {
  /** Sum of CPU requests, e.g. `8`. */
  readonly cpu: string;
  /** Sum of memory requests, e.g. `16Gi`; also bounds the sum of memory limits. */
  readonly memory: string;
  /** Pods at once. */
  readonly pods: number;
  /**
   * Sum of the storage of every claim.
   * @default - twice what the stack's volumes ask for
   */
  readonly storage?: string;
}

/** Requests and limit a container gets when it states none (a debugging pod, cert-manager's solver). */
export interface ContainerDefaultsProps {
  /** CPU request. */
  readonly cpu: string;
  /** Memory request and limit. */
  readonly memory: string;
}

export interface NamespaceProps {
  /**
   * Quota of the namespace.
   * @default - twice what the stack's workloads ask for at their largest (every replica an HPA may add, plus a rolling update's surge)
   */
  readonly quota?: QuotaProps;
  /**
   * What a container without resources gets.
   * @default { cpu: "50m", memory: "128Mi" }
   */
  readonly containerDefaults?: ContainerDefaultsProps;
  /** Namespace of the ingress controller pods, which call cert-manager's HTTP-01 solver. */
  readonly ingressControllerNamespace: string;
  /**
   * Let the ingress controller reach the HTTP-01 solver pods cert-manager starts in this namespace while
   * it issues a certificate (port 8089); without it, default-deny fails every HTTP-01 challenge.
   * @default true
   */
  readonly acmeHttp01?: boolean;
  /**
   * Labels of the cluster DNS pods in kube-system.
   * @default { "k8s-app": "kube-dns" }
   */
  readonly dnsPodLabels?: Readonly<Record<string, string>>;
}

/** Headroom of the default quota over what the workloads ask for: debugging pods, solver pods, a manual rollout. */
const QUOTA_HEADROOM = 2;

const DEFAULTS = {
  containerDefaults: { cpu: "50m", memory: "128Mi" } satisfies ContainerDefaultsProps,
  dnsPodLabels: { "k8s-app": "kube-dns" },
  acmeHttp01: true,
} as const;

interface Need {
  readonly pods: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
  readonly storageBytes: number;
  readonly claims: number;
}

export class Namespace extends Construct {
  static readonly defaults = DEFAULTS;
  readonly name: string;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new PropsError(`Namespace '${id}': the chart has no namespace`);
    this.name = namespace;
    const me = `Namespace '${namespace}'`;
    const defaults = props.containerDefaults ?? DEFAULTS.containerDefaults;
    for (const [field, value] of [
      ["containerDefaults.cpu", defaults.cpu],
      ["containerDefaults.memory", defaults.memory],
      ...(props.quota ? [["quota.cpu", props.quota.cpu], ["quota.memory", props.quota.memory], ...(props.quota.storage ? [["quota.storage", props.quota.storage]] : [])] : []),
    ] as const) {
      if (!matches(QUANTITY, value)) throw new PropsError(`${me}: '${field}' must be ${QUANTITY.expected} (got '${value}')`);
    }

    const object = new ApiObject(this, "namespace", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS }, annotations: KEEP_DATA_ANNOTATIONS },
    });
    // Namespaces are cluster-scoped; the chart would give it a namespace of its own.
    object.addJsonPatch(JsonPatch.remove("/metadata/namespace"));

    new ApiObject(this, "quota", {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: namespace },
      spec: { hard: Lazy.any({ produce: () => quotaHard(props.quota, this.need()) }) },
    });
    if (props.quota) this.node.addValidation({ validate: () => quotaProblems(me, props.quota!, this.need()) });
    new k8s.KubeLimitRange(this, "limits", {
      metadata: { name: namespace },
      spec: {
        limits: [
          {
            type: "Container",
            defaultRequest: { cpu: k8s.Quantity.fromString(defaults.cpu), memory: k8s.Quantity.fromString(defaults.memory) },
            default: { memory: k8s.Quantity.fromString(defaults.memory) },
          },
        ],
      },
    });

    new ApiObject(this, "default-deny", {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    new ApiObject(this, "allow-dns", {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns" },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [namespacePeer("kube-system", props.dnsPodLabels ?? DEFAULTS.dnsPodLabels)],
            ports: [
              { port: 53, protocol: "UDP" },
              { port: 53, protocol: "TCP" },
            ],
          },
        ],
      },
    });
    if (props.acmeHttp01 ?? DEFAULTS.acmeHttp01) {
      new ApiObject(this, "acme-http01-solver", {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "acme-http01-solver" },
        spec: {
          podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.ingressControllerNamespace } } }],
              ports: [{ port: 8089, protocol: "TCP" }],
            },
          ],
        },
      });
    }
  }

  /** What every workload and volume of the chart asks for together, at its largest. */
  private need(): Need {
    const chart = Chart.of(this);
    const workloads = chart.node.findAll().filter((c): c is Workload => c instanceof Workload);
    const volumes = chart.node.findAll().filter((c): c is SharedVolume => c instanceof SharedVolume);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const peaks = workloads.map((w) => w.peak);
    return {
      pods: sum(peaks.map((p) => p.pods)),
      cpuMillis: sum(peaks.map((p) => p.cpuMillis)),
      memoryBytes: sum(peaks.map((p) => p.memoryBytes)),
      memoryLimitBytes: sum(peaks.map((p) => p.memoryLimitBytes)),
      storageBytes: sum([...peaks.map((p) => p.storageBytes), ...volumes.map((v) => v.storageBytes)]),
      claims: peaks.filter((p) => p.storageBytes > 0).length + volumes.length,
    };
  }
}

function quotaHard(quota: QuotaProps | undefined, need: Need): Record<string, string> {
  const storage = quota?.storage ?? formatBytes(need.storageBytes * QUOTA_HEADROOM);
  const memory = quota?.memory ?? formatBytes(need.memoryLimitBytes * QUOTA_HEADROOM);
  return {
    "requests.cpu": quota?.cpu ?? formatCpu(Math.ceil((need.cpuMillis * QUOTA_HEADROOM) / 100) * 100),
    "requests.memory": quota?.memory ?? formatBytes(need.memoryBytes * QUOTA_HEADROOM),
    "limits.memory": memory,
    pods: String(quota?.pods ?? need.pods * QUOTA_HEADROOM),
    persistentvolumeclaims: String(need.claims * QUOTA_HEADROOM),
    "requests.storage": storage,
  };
}

/** Where an explicit quota is below what the stack asks for at its largest: the API server would refuse pods. */
function quotaProblems(me: string, quota: QuotaProps, need: Need): string[] {
  const problems: string[] = [];
  const check = (field: string, given: number, needed: number, shown: string) => {
    if (given < needed) problems.push(`${me}: 'quota.${field}' ${shown} is below what the stack asks for at its largest (${field === "cpu" ? formatCpu(needed) : field === "pods" ? needed : formatBytes(needed)}); raise it`);
  };
  check("cpu", cpuMillis(quota.cpu), need.cpuMillis, quota.cpu);
  check("memory", quantityBytes(quota.memory), Math.max(need.memoryBytes, need.memoryLimitBytes), quota.memory);
  check("pods", quota.pods, need.pods, String(quota.pods));
  if (quota.storage !== undefined) check("storage", quantityBytes(quota.storage), need.storageBytes, quota.storage);
  return problems;
}
