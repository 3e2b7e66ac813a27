import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { at, describe, field } from "../lib/values";

export const defaultProcMount: Rule = {
  id: "default-proc-mount",
  severity: "error",
  title: "Containers keep the default (masked) /proc mount",
  rationale: "An Unmasked /proc exposes kernel interfaces the runtime normally hides, a known route out of the container.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    return eachContainer(object, (c) => {
      const mount = at(c.container, "securityContext", "procMount");
      return mount !== undefined && mount !== "Default"
        ? { field: field(c.path, "securityContext", "procMount"), message: `${label(c)}: expected Default or unset, got ${describe(mount)}` }
        : undefined;
    });
  },
};
