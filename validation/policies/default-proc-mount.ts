import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { at, describe, field } from "../lib/values";

export const defaultProcMount: Rule = {
  id: "default-proc-mount",
  severity: "error",
  title: "Containers keep the default (masked) /proc mount",
  rationale: "An Unmasked /proc exposes kernel interfaces the runtime normally hides, a known route out of the container.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const mount = at(c.container, "securityContext", "procMount");
      if (mount !== undefined && mount !== "Default") {
        out.push({ field: field(c.path, "securityContext", "procMount"), message: `${label(c)}: expected Default or unset, got ${describe(mount)}` });
      }
    }
    return out;
  },
};
