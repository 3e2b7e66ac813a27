/**
 * How an Application syncs: one function, shared by the stack Applications, the ApplicationSet templates
 * and the root app-of-apps, so they never drift apart.
 */
import type { ISyncPolicy } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { MANUAL_RETRY, type Automated, type ResolvedRetry } from "../../environments/argocd";
import { nonNegativeInteger, type Problem } from "./checks";

export interface SyncSettings {
  /**
   * Automated sync with its prune and self-heal choices; undefined waits for a person to press Sync.
   * @default - manual sync
   */
  readonly automated?: Automated;
  /**
   * Argo CD creates the destination namespace (`CreateNamespace=true`), labelled for Pod Security.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Apply server-side, for objects too large for the last-applied annotation.
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * Retry of a failed sync with exponential back-off.
   * @default MANUAL_RETRY (none)
   */
  readonly retry?: ResolvedRetry;
  /**
   * A cascading delete of the Application waits for a person's confirmation (`Delete=confirm`).
   * @default false
   */
  readonly deletionProtection?: boolean;
}

export function checkSync(field: string, sync: SyncSettings): Problem[] {
  const retry = sync.retry ?? MANUAL_RETRY;
  return [
    nonNegativeInteger(`${field}.retry.limit`, retry.limit),
    retry.backoff.factor >= 1 && Number.isInteger(retry.backoff.factor)
      ? undefined
      : `'${field}.retry.backoff.factor' must be an integer ≥ 1, got ${retry.backoff.factor}`,
    sync.automated === undefined && retry.limit > 1
      ? `'${field}.retry.limit' must be 0 or 1 without automated sync (a retry reruns the migration hook), got ${retry.limit}`
      : undefined,
  ];
}

/**
 * The sync options every generated Application carries, and why:
 * - no PruneLast: it moves every prune after the last wave, so the sync would wait for that wave's health,
 *   and the last wave holds what cannot become healthy by itself (Ingress, HPA, CronJobs: docs/argocd.md);
 * - ApplyOutOfSyncOnly: a sync touches only what changed (hooks still run);
 * - FailOnSharedResource: two Applications fighting over one object is a mistake, not a race to win;
 * - RespectIgnoreDifferences: ignored fields (replicas an HPA owns) are also left alone when applying;
 * - Delete=confirm: `argocd app delete` cascades by default; with it, no resource goes before a person confirms.
 */
export function syncOptions(sync: SyncSettings, ignoresDifferences: boolean): string[] {
  return [
    ...(sync.createNamespace ? ["CreateNamespace=true"] : []),
    "ApplyOutOfSyncOnly=true",
    "FailOnSharedResource=true",
    ...(ignoresDifferences ? ["RespectIgnoreDifferences=true"] : []),
    ...(sync.serverSideApply ? ["ServerSideApply=true"] : []),
    ...(sync.deletionProtection ? ["Delete=confirm"] : []),
  ];
}

/**
 * Labels of a namespace Argo CD creates: the cluster itself then enforces the Pod Security Standards
 * "restricted" profile every Slipway workload is rendered for.
 */
export const MANAGED_NAMESPACE_LABELS = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
};

export function syncPolicy(sync: SyncSettings, ignoresDifferences: boolean): ISyncPolicy {
  const automated = sync.automated;
  const { limit, backoff, refresh } = sync.retry ?? MANUAL_RETRY;
  return {
    ...(automated !== undefined && { automated: { prune: automated.prune, selfHeal: automated.selfHeal, allowEmpty: false } }),
    ...(sync.createNamespace && { managedNamespaceMetadata: { labels: { ...MANAGED_NAMESPACE_LABELS } } }),
    syncOptions: syncOptions(sync, ignoresDifferences),
    retry: { limit, backoff: { ...backoff }, ...(refresh && { refresh }) },
  };
}
