import type { Rule, Violation } from "../types";
import { at, describe, field, list } from "../lib/values";

export const pvcRetentionRetain: Rule = {
  id: "pvc-retention-retain",
  severity: "error",
  title: "A StatefulSet never deletes its volume claims (persistentVolumeClaimRetentionPolicy is never Delete)",
  rationale:
    "With Delete, deleting the StatefulSet (or scaling it down) deletes the claims and, with the usual reclaim " +
    "policy, the volumes: the data is gone in the same sync that removed the workload.",
  link: "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention",
  check(object) {
    if (object.kind !== "StatefulSet" || list(at(object, "spec", "volumeClaimTemplates")).length === 0) return [];
    const out: Violation[] = [];
    for (const when of ["whenDeleted", "whenScaled"]) {
      const value = at(object, "spec", "persistentVolumeClaimRetentionPolicy", when);
      if (value === "Delete") {
        out.push({ field: field("spec", "persistentVolumeClaimRetentionPolicy", when), message: `expected Retain, got ${describe(value)}: the claims would be deleted with the pods` });
      }
    }
    return out;
  },
};
