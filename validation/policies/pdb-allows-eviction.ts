import type { Rule, Violation } from "../types";
import { replicaFloor } from "../lib/scope";
import { at, describe, kindName } from "../lib/values";

const ZERO = new Set<unknown>([0, "0%"]);

export const pdbAllowsEviction: Rule = {
  id: "pdb-allows-eviction",
  severity: "error",
  title: "Every PodDisruptionBudget allows at least one eviction and never holds on to unhealthy pods",
  rationale:
    "A budget that allows no disruption (maxUnavailable 0, minAvailable 100% or ≥ the replica count) blocks every " +
    "node drain until someone deletes it by hand. unhealthyPodEvictionPolicy: AlwaysAllow lets a drain evict pods " +
    "that are not ready anyway, so a crash-looping pod cannot block it either.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=pdb-max-unavailable",
  check(object, { scope }) {
    if (object.kind !== "PodDisruptionBudget") return [];
    const out: Violation[] = [];
    const maxUnavailable = at(object, "spec", "maxUnavailable");
    const minAvailable = at(object, "spec", "minAvailable");
    if (ZERO.has(maxUnavailable)) {
      out.push({ field: "spec.maxUnavailable", message: `expected at least 1, got ${describe(maxUnavailable)}: no pod could ever be evicted` });
    }
    if (minAvailable === "100%") {
      out.push({ field: "spec.minAvailable", message: `expected less than 100%, got "100%": no pod could ever be evicted` });
    } else if (typeof minAvailable === "number") {
      for (const workload of scope.selectedBy(at(object, "spec", "selector"))) {
        const floor = replicaFloor(workload, scope);
        if (floor === undefined || minAvailable < floor) continue;
        out.push({ field: "spec.minAvailable", message: `expected fewer than the ${floor} pod(s) ${kindName(workload)} keeps at least, got ${minAvailable}: no pod could ever be evicted` });
      }
    }
    const policy = at(object, "spec", "unhealthyPodEvictionPolicy");
    if (policy !== "AlwaysAllow") {
      out.push({ field: "spec.unhealthyPodEvictionPolicy", message: `expected AlwaysAllow so pods that are not ready never block a node drain, got ${describe(policy)}` });
    }
    return out;
  },
};
