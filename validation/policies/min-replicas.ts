import type { Rule } from "../types";
import { at, describe } from "../lib/values";

const MIN = 2;

export const minReplicas: Rule = {
  id: "min-replicas",
  severity: "error",
  title: "Stateless workloads keep at least 2 pods where the environment requires high availability (prod)",
  rationale:
    "With one pod, every node drain, eviction or crash is an outage. Applies to Deployments (replicas) and to the " +
    "HorizontalPodAutoscalers that scale them (minReplicas).",
  link: "https://polaris.docs.fairwinds.com/checks/reliability/",
  check(object, { profile, scope }) {
    if (!profile.highAvailability) return [];
    if (object.kind === "Deployment" && !scope.autoscalerOf(object)) {
      const replicas = at(object, "spec", "replicas");
      if (typeof replicas !== "number" || replicas < MIN) {
        return [{ field: "spec.replicas", message: `expected at least ${MIN} in this environment (or an HPA with minReplicas ≥ ${MIN}), got ${replicas === undefined ? "nothing (1 by default)" : describe(replicas)}` }];
      }
    }
    if (object.kind === "HorizontalPodAutoscaler" && at(object, "spec", "scaleTargetRef", "kind") === "Deployment") {
      const min = at(object, "spec", "minReplicas");
      if (typeof min !== "number" || min < MIN) return [{ field: "spec.minReplicas", message: `expected at least ${MIN} in this environment, got ${min === undefined ? "nothing (1 by default)" : describe(min)}` }];
    }
    return [];
  },
};
