import { defineRule } from "../lib/rule";
import { replicaFloor } from "../lib/scope";
import { at, describe, kindName } from "../lib/values";

const ZERO = new Set<unknown>([0, "0%"]);

export const pdbAllowsEviction = defineRule({
  id: "pdb-allows-eviction",
  title: "Every PodDisruptionBudget allows at least one eviction and never holds on to unhealthy pods",
  kinds: ["PodDisruptionBudget"],
  check(pdb, { scope }) {
    const maxUnavailable = at(pdb, "spec", "maxUnavailable");
    const minAvailable = at(pdb, "spec", "minAvailable");
    const policy = at(pdb, "spec", "unhealthyPodEvictionPolicy");
    const floors = typeof minAvailable === "number" ? scope.selectedBy(at(pdb, "spec", "selector")).map((w) => ({ workload: w, floor: replicaFloor(w, scope) })) : [];
    return [
      ZERO.has(maxUnavailable) ? { field: "spec.maxUnavailable", message: `expected at least 1, got ${describe(maxUnavailable)}: no pod could ever be evicted` } : undefined,
      minAvailable === "100%" ? { field: "spec.minAvailable", message: `expected less than 100%, got "100%": no pod could ever be evicted` } : undefined,
      ...floors.map(({ workload, floor }) =>
        floor !== undefined && (minAvailable as number) >= floor
          ? { field: "spec.minAvailable", message: `expected fewer than the ${floor} pod(s) ${kindName(workload)} keeps at least, got ${String(minAvailable)}: no pod could ever be evicted` }
          : undefined,
      ),
      policy === "AlwaysAllow"
        ? undefined
        : { field: "spec.unhealthyPodEvictionPolicy", message: `expected AlwaysAllow so pods that are not ready never block a node drain, got ${describe(policy)}` },
    ];
  },
  rationale:
    "A budget that allows no disruption (maxUnavailable 0, minAvailable 100% or ≥ the replica count) blocks every " +
    "node drain until someone deletes it by hand. unhealthyPodEvictionPolicy: AlwaysAllow lets a drain evict pods " +
    "that are not ready anyway, so a crash-looping pod cannot block it either.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=pdb-max-unavailable",
});
