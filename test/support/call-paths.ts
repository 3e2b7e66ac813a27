/**
 * The call paths a stack's NetworkPolicies allow, read from the rendered objects: `caller → callee:port`
 * where the caller's policy lets it out AND the callee's policy lets it in (a path open on one side only
 * is listed with `(one side only)`, so a test listing the expected paths fails on it). Callers outside the
 * namespace appear as `namespace <name>`; addresses outside the cluster as their CIDR. Only the components'
 * own policies are read (named after the pods they select); the namespace's default-deny, DNS and ACME
 * solver policies are the same in every stack.
 */
import type { KubeObject } from "../../lib/kube-object";
import { byCodePoint } from "../../lib/order";

const NAME = "app.kubernetes.io/name";

interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port: number }[];
}
interface PolicySpec {
  podSelector?: { matchLabels?: Record<string, string> };
  ingress?: Rule[];
  egress?: Rule[];
}

function peerName(peer: Peer): string {
  if (peer.namespaceSelector) return `namespace ${peer.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"]}`;
  if (peer.podSelector) return peer.podSelector.matchLabels?.[NAME] ?? "?";
  return peer.ipBlock?.cidr ?? "?";
}

/** `[peer, port]` pairs a rule list opens, on the `from` or `to` side. */
function edges(rules: readonly Rule[] | undefined, side: "from" | "to"): [Peer, number][] {
  return (rules ?? []).flatMap((rule) => (rule[side] ?? []).flatMap((peer) => (rule.ports ?? []).map((p) => [peer, p.port] as [Peer, number])));
}

export function callPaths(objects: readonly KubeObject[]): string[] {
  const policies = new Map(
    objects
      .filter((o) => o.kind === "NetworkPolicy" && (o.spec as PolicySpec).podSelector?.matchLabels?.[NAME] === o.metadata.name)
      .map((o) => [o.metadata.name, o.spec as PolicySpec]),
  );
  const lets = (policy: PolicySpec | undefined, side: "ingress" | "egress", peer: string, port: number) =>
    edges(policy?.[side], side === "ingress" ? "from" : "to").some(([p, n]) => peerName(p) === peer && n === port);
  const paths = new Set<string>();
  for (const [name, spec] of policies) {
    for (const [peer, port] of edges(spec.ingress, "from")) {
      const caller = peerName(peer);
      const both = !peer.podSelector || peer.namespaceSelector || lets(policies.get(caller), "egress", name, port);
      paths.add(`${caller} → ${name}:${port}${both ? "" : " (one side only)"}`);
    }
    for (const [peer, port] of edges(spec.egress, "to")) {
      const callee = peerName(peer);
      const both = !peer.podSelector || peer.namespaceSelector || lets(policies.get(callee), "ingress", name, port);
      paths.add(`${name} → ${callee}:${port}${both ? "" : " (one side only)"}`);
    }
  }
  return [...paths].sort(byCodePoint);
}
