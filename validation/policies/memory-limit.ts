import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { at, field } from "../lib/values";

export const memoryLimit: Rule = {
  id: "memory-limit",
  severity: "error",
  title: "Every container has a memory limit",
  rationale:
    "A leak in one container otherwise grows until the node runs out of memory and the kernel kills whatever it picks. " +
    "(No CPU limit is required: throttling hurts latency more than it protects.)",
  link: "https://docs.kubelinter.io/#/generated/checks?id=unset-memory-requirements",
  check(object) {
    return eachContainer(
      object,
      (c) =>
        at(c.container, "resources", "limits", "memory") === undefined
          ? { field: field(c.path, "resources", "limits", "memory"), message: `${label(c)}: expected a memory limit, got nothing` }
          : undefined,
      ["initContainers", "containers"],
    );
  },
};
