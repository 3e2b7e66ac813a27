/**
 * The stack's network, deny by default: one policy shuts every pod off, then one policy per component
 * opens exactly its call path — who may call it on which port, whom it may call, and DNS.
 */
import { k8s } from "./lib/k8s";
import { Construct } from "constructs";
import type { Endpoint } from "./lib/component";
import { byCodePoint } from "../lib/order";

/** `from` calls `to` on every port `to` serves. */
export interface CallEdge {
  readonly from: Endpoint;
  readonly to: Endpoint;
}

export interface NetworkPoliciesProps {
  /** The call graph of the stack. Every component on an edge gets a policy opening exactly its edges. */
  readonly edges: readonly CallEdge[];
  /**
   * Components on no edge; each gets a policy allowing DNS only (default-deny alone would block DNS too).
   * @default []
   */
  readonly isolated?: readonly Endpoint[];
  /** Components the ingress controller may reach (the stack's front door). */
  readonly public: readonly Endpoint[];
  /** Namespace of the ingress controller pods, e.g. `ingress-nginx`, or `kube-system` for k3s's Traefik. */
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

const NAMESPACE_NAME = "kubernetes.io/metadata.name";

function ports(e: Endpoint): k8s.NetworkPolicyPort[] {
  return Object.values(e.ports).map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: "TCP" }));
}

export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const endpoints = new Map<string, Endpoint>();
    for (const e of [...props.public, ...(props.isolated ?? []), ...props.edges.flatMap((edge) => [edge.from, edge.to])]) {
      const seen = endpoints.get(e.name);
      if (seen && seen !== e) throw new Error(`NetworkPolicies '${id}': two components are named '${e.name}'; names must be unique in a stack`);
      endpoints.set(e.name, e);
    }
    const calleeWithoutPorts = props.edges.find((edge) => Object.keys(edge.to.ports).length === 0);
    if (calleeWithoutPorts) {
      throw new Error(`NetworkPolicies '${id}': '${calleeWithoutPorts.from.name}' calls '${calleeWithoutPorts.to.name}', which serves no port`);
    }
    const dns: k8s.NetworkPolicyEgressRule = {
      to: [
        {
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: "kube-system" } },
          podSelector: { matchLabels: { ...(props.dnsPodLabels ?? { "k8s-app": "kube-dns" }) } },
        },
      ],
      ports: [
        { port: k8s.IntOrString.fromNumber(53), protocol: "UDP" },
        { port: k8s.IntOrString.fromNumber(53), protocol: "TCP" },
      ],
    };

    new k8s.KubeNetworkPolicy(this, "default-deny", {
      metadata: { name: "default-deny" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    if (props.acmeHttp01 ?? true) {
      new k8s.KubeNetworkPolicy(this, "acme-http01-solver", {
        metadata: { name: "acme-http01-solver" },
        spec: {
          podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: props.ingressControllerNamespace } } }],
              ports: [{ port: k8s.IntOrString.fromNumber(8089), protocol: "TCP" }],
            },
          ],
        },
      });
    }
    const sorted = [...endpoints.values()].sort((a, b) => byCodePoint(a.name, b.name));
    for (const e of sorted) {
      const callers = props.edges.filter((edge) => edge.to === e).map((edge) => edge.from);
      const callees = props.edges.filter((edge) => edge.from === e).map((edge) => edge.to);
      const ingress: k8s.NetworkPolicyIngressRule[] = [
        ...(props.public.includes(e)
          ? [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: props.ingressControllerNamespace } } }], ports: ports(e) }]
          : []),
        ...(callers.length ? [{ from: callers.map((c) => ({ podSelector: { matchLabels: { ...c.selector } } })), ports: ports(e) }] : []),
      ];
      const egress: k8s.NetworkPolicyEgressRule[] = [
        dns,
        ...callees.map((c) => ({ to: [{ podSelector: { matchLabels: { ...c.selector } } }], ports: ports(c) })),
      ];
      new k8s.KubeNetworkPolicy(this, e.name, {
        metadata: { name: e.name },
        spec: { podSelector: { matchLabels: { ...e.selector } }, policyTypes: ["Ingress", "Egress"], ingress, egress },
      });
    }
  }
}
