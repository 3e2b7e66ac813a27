import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { at, describe, field } from "../lib/values";

export const readOnlyRootFilesystem: Rule = {
  id: "read-only-root-filesystem",
  severity: "error",
  title: "Every container's root filesystem is read-only",
  rationale:
    "An attacker who gets code execution cannot drop tools or alter binaries, and nothing the app writes survives a " +
    "restart by accident. Writable paths are explicit emptyDir or persistent volumes.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=no-read-only-root-fs",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const value = at(c.container, "securityContext", "readOnlyRootFilesystem");
      if (value !== true) out.push({ field: field(c.path, "securityContext", "readOnlyRootFilesystem"), message: `${label(c)}: expected true, got ${describe(value)}` });
    }
    return out;
  },
};
