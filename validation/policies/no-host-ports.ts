import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
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
    return eachContainer(object, (c) =>
      list(c.container.ports).flatMap((raw, i) => {
        const hostPort = record(raw)?.hostPort;
        return hostPort !== undefined && hostPort !== 0
          ? [{ field: field(c.path, "ports", i, "hostPort"), message: `${label(c)}: expected no hostPort, got ${describe(hostPort)}` }]
          : [];
      }),
    );
  },
};
