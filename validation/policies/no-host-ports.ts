import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { describe, field, list, record } from "../lib/values";

export const noHostPorts: Rule = {
  id: "no-host-ports",
  severity: "error",
  title: "Containers do not bind ports on the node",
  rationale:
    "A hostPort opens the port on the node's own address, outside Services and NetworkPolicies, and ties the pod " +
    "to nodes where that port is free. Traffic enters through the ingress controller instead.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      list(c.container.ports).forEach((raw, i) => {
        const hostPort = record(raw)?.hostPort;
        if (hostPort !== undefined && hostPort !== 0) {
          out.push({ field: field(c.path, "ports", i, "hostPort"), message: `${label(c)}: expected no hostPort, got ${describe(hostPort)}` });
        }
      });
    }
    return out;
  },
};
