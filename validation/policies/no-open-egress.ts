import { defineRule } from "../lib/rule";
import { at, field, list, record, text } from "../lib/values";

/** A prefix length of 0 covers every address of its family, whatever the address before it. */
const EVERY_ADDRESS = /\/0$/;

export const noOpenEgress = defineRule({
  id: "no-open-egress",
  title: "NetworkPolicies open egress to named address ranges, never to 0.0.0.0/0 or ::/0",
  kinds: ["NetworkPolicy"],
  check: (policy) =>
    list(at(policy, "spec", "egress")).flatMap((rule, i) =>
      list(record(rule)?.to).map((peer, j) => {
        const cidr = text(at(peer, "ipBlock", "cidr"));
        return cidr !== undefined && EVERY_ADDRESS.test(cidr)
          ? {
              field: field("spec", "egress", i, "to", j, "ipBlock", "cidr"),
              message: `expected the address range of the service it calls, got ${cidr} (every ${cidr.includes(":") ? "IPv6" : "IPv4"} address)`,
            }
          : undefined;
      }),
    ),
  rationale:
    "Egress to every address lets a compromised pod reach any host on the internet (to exfiltrate data or fetch tools) " +
    "and the cloud metadata endpoint, whatever `except` leaves out. Name the external service's range (an SMTP relay, " +
    "an API's CIDR); a workload that really must reach arbitrary hosts says why with an exception.",
  link: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
});
