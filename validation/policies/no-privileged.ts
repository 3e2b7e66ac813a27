import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { at, field } from "../lib/values";

export const noPrivileged: Rule = {
  id: "no-privileged",
  severity: "error",
  title: "No privileged containers and no Windows host processes",
  rationale:
    "A privileged container (or a Windows HostProcess container) has every device and capability of the node: " +
    "it is the node, with none of the isolation the rest of this pack builds.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    if (at(pod.spec, "securityContext", "windowsOptions", "hostProcess") === true) {
      out.push({ field: field(pod.path, "securityContext", "windowsOptions", "hostProcess"), message: "expected false or unset, got true" });
    }
    for (const c of containers(pod)) {
      if (at(c.container, "securityContext", "privileged") === true) {
        out.push({ field: field(c.path, "securityContext", "privileged"), message: `${label(c)}: expected false or unset, got true` });
      }
      if (at(c.container, "securityContext", "windowsOptions", "hostProcess") === true) {
        out.push({ field: field(c.path, "securityContext", "windowsOptions", "hostProcess"), message: `${label(c)}: expected false or unset, got true` });
      }
    }
    return out;
  },
};
