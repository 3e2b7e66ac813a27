import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { at, describe, field } from "../lib/values";

const ALLOWED = new Set(["RuntimeDefault", "Localhost"]);

export const seccompProfile: Rule = {
  id: "seccomp-profile",
  severity: "error",
  title: "Every container runs under the RuntimeDefault (or a Localhost) seccomp profile",
  rationale:
    "Seccomp filters the system calls a container may make; without a profile, containers get the full kernel " +
    "surface, including calls used by most container escapes. Kubernetes does not apply one by default.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    const podType = at(pod.spec, "securityContext", "seccompProfile", "type");
    if (podType !== undefined && !ALLOWED.has(podType as string)) {
      out.push({ field: field(pod.path, "securityContext", "seccompProfile", "type"), message: `expected RuntimeDefault or Localhost, got ${describe(podType)}` });
    }
    for (const c of containers(pod)) {
      const own = at(c.container, "securityContext", "seccompProfile", "type");
      if (own === undefined ? podType === undefined : !ALLOWED.has(own as string)) {
        out.push({
          field: field(c.path, "securityContext", "seccompProfile", "type"),
          message: `${label(c)}: expected RuntimeDefault or Localhost (here or on the pod), got ${describe(own)}`,
        });
      }
    }
    return out;
  },
};
