import { defineRule } from "../lib/rule";
import { at, describe } from "../lib/values";

const MIN = 2;
const found = (value: unknown) => (value === undefined ? "nothing (1 by default)" : describe(value));

export const minReplicas = defineRule({
  id: "min-replicas",
  title: "Stateless workloads keep at least 2 pods where the environment requires high availability (prod)",
  kinds: ["Deployment", "HorizontalPodAutoscaler"],
  check(object, { profile, scope }) {
    if (!profile.highAvailability) return undefined;
    if (object.kind === "Deployment" && !scope.autoscalerOf(object)) {
      const replicas = at(object, "spec", "replicas");
      if (typeof replicas !== "number" || replicas < MIN) {
        return { field: "spec.replicas", message: `expected at least ${MIN} in this environment (or an HPA with minReplicas ≥ ${MIN}), got ${found(replicas)}` };
      }
    }
    if (object.kind === "HorizontalPodAutoscaler" && at(object, "spec", "scaleTargetRef", "kind") === "Deployment") {
      const min = at(object, "spec", "minReplicas");
      if (typeof min !== "number" || min < MIN) return { field: "spec.minReplicas", message: `expected at least ${MIN} in this environment, got ${found(min)}` };
    }
    return undefined;
  },
  rationale:
    "With one pod, every node drain, eviction or crash is an outage. Applies to Deployments (replicas) and to the " +
    "HorizontalPodAutoscalers that scale them (minReplicas).",
  link: "https://polaris.docs.fairwinds.com/checks/reliability/",
});
