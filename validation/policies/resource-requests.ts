import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { at, field } from "../lib/values";

export const resourceRequests: Rule = {
  id: "resource-requests",
  severity: "error",
  title: "Every container requests CPU and memory",
  rationale:
    "The scheduler places pods by their requests: without them a node is overcommitted silently, and the pod is the " +
    "first evicted (BestEffort) when memory runs short.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=unset-cpu-requirements",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod, ["initContainers", "containers"])) {
      for (const [resource, what] of [["cpu", "a CPU request"], ["memory", "a memory request"]] as const) {
        if (at(c.container, "resources", "requests", resource) === undefined) {
          out.push({ field: field(c.path, "resources", "requests", resource), message: `${label(c)}: expected ${what}, got nothing` });
        }
      }
    }
    return out;
  },
};
