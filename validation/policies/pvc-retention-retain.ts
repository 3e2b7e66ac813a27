import { defineRule } from "../lib/rule";
import { at, describe, field, list } from "../lib/values";

export const pvcRetentionRetain = defineRule({
  id: "pvc-retention-retain",
  title: "A StatefulSet never deletes its volume claims (persistentVolumeClaimRetentionPolicy is never Delete)",
  kinds: ["StatefulSet"],
  check: (statefulSet) =>
    list(at(statefulSet, "spec", "volumeClaimTemplates")).length === 0
      ? undefined
      : ["whenDeleted", "whenScaled"].map((when) => {
          const value = at(statefulSet, "spec", "persistentVolumeClaimRetentionPolicy", when);
          return value === "Delete"
            ? { field: field("spec", "persistentVolumeClaimRetentionPolicy", when), message: `expected Retain, got ${describe(value)}: the claims would be deleted with the pods` }
            : undefined;
        }),
  rationale:
    "With Delete, deleting the StatefulSet (or scaling it down) deletes the claims and, with the usual reclaim " +
    "policy, the volumes: the data is gone in the same sync that removed the workload.",
  link: "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention",
});
