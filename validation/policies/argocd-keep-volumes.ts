import type { Rule } from "../types";
import { at, describe, field, list, text } from "../lib/values";

export const SYNC_OPTIONS = "argocd.argoproj.io/sync-options";
const REQUIRED = ["Prune=false", "Delete=false"];

export const argocdKeepVolumes: Rule = {
  id: "argocd-keep-volumes",
  severity: "error",
  title: "PersistentVolumeClaims and StatefulSets with volume claim templates are protected from Argo CD prune and delete",
  rationale:
    "A renamed object, a moved file or a deleted Application makes Argo CD prune or cascade-delete what it no longer " +
    "sees in Git, and a deleted claim takes the data with it. Prune=false and Delete=false make Argo CD leave them " +
    "for a human to remove.",
  link: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources",
  check(object) {
    const holdsVolumes =
      object.kind === "PersistentVolumeClaim" || (object.kind === "StatefulSet" && list(at(object, "spec", "volumeClaimTemplates")).length > 0);
    if (!holdsVolumes) return [];
    const value = text(object.metadata?.annotations?.[SYNC_OPTIONS]);
    const options = new Set((value ?? "").split(",").map((o) => o.trim()));
    if (REQUIRED.every((o) => options.has(o))) return [];
    return [
      {
        field: field("metadata", "annotations", SYNC_OPTIONS),
        message: `expected ${REQUIRED.join(" and ")} so Argo CD never prunes or deletes the volume, got ${describe(value)}`,
      },
    ];
  },
};
