import type { Rule, Violation } from "../types";
import { containers, effectiveSecurity, label, podSpec } from "../lib/pods";
import { at, describe, field } from "../lib/values";

export const runAsNonRoot: Rule = {
  id: "run-as-non-root",
  severity: "error",
  title: "Every container runs as a non-root user",
  rationale:
    "A process running as root inside a container is one kernel or runtime bug away from root on the node. " +
    "runAsNonRoot makes the kubelet refuse to start an image that would run as uid 0.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    if (at(pod.spec, "securityContext", "runAsUser") === 0) {
      out.push({ field: field(pod.path, "securityContext", "runAsUser"), message: "expected a non-zero user id, got 0 (root)" });
    }
    for (const c of containers(pod)) {
      const nonRoot = effectiveSecurity(pod, c, "runAsNonRoot");
      if (nonRoot !== true) {
        out.push({
          field: field(c.path, "securityContext", "runAsNonRoot"),
          message: `${label(c)}: expected true (here or on the pod), got ${describe(nonRoot)}`,
        });
      }
      if (at(c.container, "securityContext", "runAsUser") === 0) {
        out.push({ field: field(c.path, "securityContext", "runAsUser"), message: `${label(c)}: expected a non-zero user id, got 0 (root)` });
      }
    }
    return out;
  },
};
