import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { at, field } from "../lib/values";

const REQUESTS = [["cpu", "a CPU request"], ["memory", "a memory request"]] as const;

export const resourceRequests = defineRule({
  id: "resource-requests",
  title: "Every container requests CPU and memory",
  containerTypes: ["initContainers", "containers"],
  container: (c) =>
    REQUESTS.map(([resource, what]) =>
      at(c.container, "resources", "requests", resource) === undefined
        ? { field: field(c.path, "resources", "requests", resource), message: `${label(c)}: expected ${what}, got nothing` }
        : undefined,
    ),
  rationale:
    "The scheduler places pods by their requests: without them a node is overcommitted silently, and the pod is the " +
    "first evicted (BestEffort) when memory runs short.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=unset-cpu-requirements",
});
