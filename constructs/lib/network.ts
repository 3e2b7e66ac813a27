/**
 * NetworkPolicy vocabulary, in one place: peers, ports and the rule lists every component's own policy and
 * the namespace's baseline policies are written with. Plain JSON shapes (what `kubectl get -o yaml` shows),
 * so a policy reads the same here as in dist/.
 */
import { PropsError } from "../../lib/errors";
import { isIPv4, isIPv6 } from "node:net";
import { byCodePoint } from "../../lib/order";

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
}

/** Whom a rule admits or reaches: pods (in this or another namespace) or addresses outside the cluster. */
export interface NetworkPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPort {
  readonly port: number;
  readonly protocol: "TCP" | "UDP";
}

export interface NetworkRule {
  readonly peers: readonly NetworkPeer[];
  readonly ports: readonly NetworkPort[];
}

/** The label every namespace carries with its own name (set by the API server). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export function namespacePeer(namespace: string, podLabels?: Readonly<Record<string, string>>): NetworkPeer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
  };
}

export function podPeer(selector: Readonly<Record<string, string>>): NetworkPeer {
  return { podSelector: { matchLabels: { ...selector } } };
}

/** Throws, naming `owner`, unless `cidr` is an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32. */
export function checkCidr(owner: string, cidr: string): void {
  const [address, bits, extra] = cidr.split("/");
  const max = isIPv4(address ?? "") ? 32 : isIPv6(address ?? "") ? 128 : 0;
  const prefix = Number(bits);
  if (!max || extra !== undefined || !/^[0-9]+$/.test(bits ?? "") || prefix > max) {
    throw new PropsError(`${owner}: '${cidr}' is not a network: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or 2001:db8::/32`);
  }
}

const peerKey = (p: NetworkPeer) => JSON.stringify(p);
const portKey = (p: NetworkPort) => `${String(p.port).padStart(5, "0")}/${p.protocol}`;

/**
 * The rules as a policy lists them: rules reaching the same ports merged into one, peers and ports in a
 * fixed order, so the rendered policy depends only on what is connected, not on the order of `connect` calls.
 */
export function policyRules(rules: readonly NetworkRule[], side: "from" | "to"): Record<string, unknown>[] {
  const byPorts = new Map<string, { ports: NetworkPort[]; peers: Map<string, NetworkPeer> }>();
  for (const rule of rules) {
    const ports = [...new Map(rule.ports.map((p) => [portKey(p), p])).values()].sort((a, b) => byCodePoint(portKey(a), portKey(b)));
    const key = ports.map(portKey).join(",");
    const group = byPorts.get(key) ?? { ports, peers: new Map() };
    for (const peer of rule.peers) group.peers.set(peerKey(peer), peer);
    byPorts.set(key, group);
  }
  return [...byPorts]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([, { ports, peers }]) => ({
      [side]: [...peers].sort(([a], [b]) => byCodePoint(a, b)).map(([, peer]) => peer),
      ...(ports.length ? { ports: ports.map((p) => ({ port: p.port, protocol: p.protocol })) } : {}),
    }));
}
