import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
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
    return eachContainer(object, (c) => {
      const value = at(c.container, "securityContext", "readOnlyRootFilesystem");
      return value !== true
        ? { field: field(c.path, "securityContext", "readOnlyRootFilesystem"), message: `${label(c)}: expected true, got ${describe(value)}` }
        : undefined;
    });
  },
};
