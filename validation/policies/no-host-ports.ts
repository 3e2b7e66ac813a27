import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { describe, field, records } from "../lib/values";

export const noHostPorts = defineRule({
  id: "no-host-ports",
  waivable: false,
  title: "Containers do not bind ports on the node",
  container: (c) =>
    records(c.container, c.path, "ports").map(({ value: { hostPort }, path }) =>
      hostPort !== undefined && hostPort !== 0 ? { field: field(path, "hostPort"), message: `${label(c)}: expected no hostPort, got ${describe(hostPort)}` } : undefined,
    ),
  rationale:
    "A hostPort opens the port on the node's own address, outside Services and NetworkPolicies, and ties the pod " +
    "to nodes where that port is free. Traffic enters through the ingress controller instead.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
