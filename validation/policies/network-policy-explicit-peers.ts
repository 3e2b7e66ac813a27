import { defineRule } from "../lib/rule";
import { isDnsOnly } from "../lib/network";
import { isEmptyLabelSelector } from "../lib/selectors";
import { at, field, list, record, text } from "../lib/values";

const EVERYWHERE = new Set(["0.0.0.0/0", "::/0"]);

/** Why a peer is not a declared edge, or undefined if it names its namespace or pods. */
function tooWide(peer: unknown, direction: "ingress" | "egress"): string | undefined {
  const p = record(peer);
  if (!p) return undefined;
  const cidr = text(at(p, "ipBlock", "cidr"));
  if (cidr !== undefined) return direction === "ingress" && EVERYWHERE.has(cidr) ? `ipBlock ${cidr} (every address)` : undefined;
  const anyPod = p.podSelector === undefined || isEmptyLabelSelector(p.podSelector);
  if (p.namespaceSelector !== undefined && isEmptyLabelSelector(p.namespaceSelector) && anyPod) return "namespaceSelector: {} (every pod in every namespace)";
  if (p.namespaceSelector === undefined && p.podSelector !== undefined && anyPod) return "podSelector: {} (every pod in the namespace)";
  return undefined;
}

export const networkPolicyExplicitPeers = defineRule({
  id: "network-policy-explicit-peers",
  title: "NetworkPolicy rules name their peers: every workload is reachable only along declared edges",
  kinds: ["NetworkPolicy"],
  check: (policy) =>
    (
      [
        ["ingress", "from"],
        ["egress", "to"],
      ] as const
    ).flatMap(([direction, peersKey]) =>
      list(at(policy, "spec", direction)).flatMap((rule, i) => {
        const peers = list(record(rule)?.[peersKey]);
        if (peers.length === 0) {
          return direction === "egress" && isDnsOnly(rule)
            ? []
            : [{ field: field("spec", direction, i, peersKey), message: `expected the peers this rule opens to, got nothing (${direction === "ingress" ? "every source" : "every destination"})` }];
        }
        return peers.map((peer, j) => {
          const why = tooWide(peer, direction);
          return why === undefined ? undefined : { field: field("spec", direction, i, peersKey, j), message: `expected a peer naming its pods, namespace or address range, got ${why}` };
        });
      }),
    ),
  rationale:
    "A rule without peers (or with an empty selector) allows everything in that direction and undoes the default " +
    "deny for the pods it selects. Each rule says which pods, namespaces or address ranges it opens to; egress rules " +
    "that only open DNS (port 53) may omit peers.",
  link: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
});
