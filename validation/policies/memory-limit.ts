import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { at, field } from "../lib/values";

export const memoryLimit = defineRule({
  id: "memory-limit",
  title: "Every container has a memory limit",
  containerTypes: ["initContainers", "containers"],
  container: (c) =>
    at(c.container, "resources", "limits", "memory") === undefined
      ? { field: field(c.path, "resources", "limits", "memory"), message: `${label(c)}: expected a memory limit, got nothing` }
      : undefined,
  rationale:
    "A leak in one container otherwise grows until the node runs out of memory and the kernel kills whatever it picks. " +
    "(No CPU limit is required: throttling hurts latency more than it protects.)",
  link: "https://docs.kubelinter.io/#/generated/checks?id=unset-memory-requirements",
});
