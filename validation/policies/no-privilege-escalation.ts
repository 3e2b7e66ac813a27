import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { at, describe, field } from "../lib/values";

export const noPrivilegeEscalation: Rule = {
  id: "no-privilege-escalation",
  severity: "error",
  title: "Every container sets allowPrivilegeEscalation: false",
  rationale:
    "Without it a setuid binary or file capability in the image can gain more privileges than the process started with " +
    "(no_new_privs is off). The default is true, so it must be set explicitly.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  check(object) {
    return eachContainer(object, (c) => {
      const value = at(c.container, "securityContext", "allowPrivilegeEscalation");
      return value !== false
        ? { field: field(c.path, "securityContext", "allowPrivilegeEscalation"), message: `${label(c)}: expected false, got ${describe(value)}` }
        : undefined;
    });
  },
};
