/**
 * What keeps data alive when a sync prunes or an app is deleted: Argo CD skips objects carrying these
 * options, so removing a database from code (or deleting the Application) never deletes its volume.
 */
export const ARGOCD_SYNC_OPTIONS = "argocd.argoproj.io/sync-options";

export const ARGOCD_COMPARE_OPTIONS = "argocd.argoproj.io/compare-options";

/**
 * Never pruned, never deleted with the Application; and once it leaves Git, Argo CD does not count it
 * against the Application's sync status (IgnoreExtraneous), so a kept volume never holds it OutOfSync.
 */
export const KEEP_DATA_ANNOTATIONS: Record<string, string> = {
  [ARGOCD_SYNC_OPTIONS]: "Prune=false,Delete=false",
  [ARGOCD_COMPARE_OPTIONS]: "IgnoreExtraneous",
};

/** StatefulSet PVCs outlive the StatefulSet and scale-downs; a person deletes data, never a controller. */
export const RETAIN_VOLUMES = { whenDeleted: "Retain", whenScaled: "Retain" } as const;
