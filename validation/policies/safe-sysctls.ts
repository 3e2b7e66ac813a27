import { defineRule } from "../lib/rule";
import { security } from "../lib/pods";
import { describe, field, list, record } from "../lib/values";

/** The namespaced sysctls the baseline profile allows: they affect only the pod itself. */
const SAFE = new Set<unknown>([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

export const safeSysctls = defineRule({
  id: "safe-sysctls",
  waivable: false,
  title: "Pods set only the safe, namespaced sysctls",
  pod: (pod) =>
    list(security(pod, "sysctls")).map((raw, i) => {
      const name = record(raw)?.name;
      return SAFE.has(name)
        ? undefined
        : { field: field(pod.path, "securityContext", "sysctls", i, "name"), message: `expected one of the safe sysctls (${[...SAFE].join(", ")}), got ${describe(name)}` };
    }),
  rationale: "Other sysctls change kernel settings shared by every pod on the node, or can exhaust its resources.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
