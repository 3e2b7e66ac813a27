import { defineRule } from "../lib/rule";
import { hasSyncOption, SYNC_OPTIONS } from "../lib/argocd";
import { at, describe, field, list } from "../lib/values";

const REQUIRED = ["Prune=false", "Delete=false"];

export const argocdKeepVolumes = defineRule({
  id: "argocd-keep-volumes",
  title: "PersistentVolumeClaims and StatefulSets with volume claim templates are protected from Argo CD prune and delete",
  kinds: ["PersistentVolumeClaim", "StatefulSet"],
  check(object) {
    const holdsVolumes = object.kind === "PersistentVolumeClaim" || list(at(object, "spec", "volumeClaimTemplates")).length > 0;
    if (!holdsVolumes || REQUIRED.every((option) => hasSyncOption(object, option))) return undefined;
    return {
      field: field("metadata", "annotations", SYNC_OPTIONS),
      message: `expected ${REQUIRED.join(" and ")} so Argo CD never prunes or deletes the volume, got ${describe(object.metadata?.annotations?.[SYNC_OPTIONS])}`,
    };
  },
  rationale:
    "A renamed object, a moved file or a deleted Application makes Argo CD prune or cascade-delete what it no longer " +
    "sees in Git, and a deleted claim takes the data with it. Prune=false and Delete=false make Argo CD leave them " +
    "for a human to remove.",
  link: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources",
});
