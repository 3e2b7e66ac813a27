/**
 * How an Application syncs: one function, shared by the stack Applications, the ApplicationSet template
 * and the root app-of-apps, so the three never drift apart.
 */
import type { IRetryStrategy, ISyncPolicy } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { DEFAULT_RETRY, type Automated, type Retry } from "../../environments/argocd";
import { nonNegativeInteger, type Problem } from "./checks";

export interface SyncSettings {
  /**
   * Automated sync with its prune and self-heal choices; undefined waits for a person to press Sync.
   * @default - manual sync
   */
  readonly automated?: Automated;
  /**
   * The environment owns the namespace: Argo CD creates it (`CreateNamespace=true`).
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
   * @default DEFAULT_RETRY (5 attempts, 5s doubling up to 3m)
   */
  readonly retry?: Retry;
}

export function checkSync(field: string, sync: SyncSettings): Problem[] {
  const retry = sync.retry ?? DEFAULT_RETRY;
  return [
    nonNegativeInteger(`${field}.retry.limit`, retry.limit),
    retry.backoff.factor >= 1 && Number.isInteger(retry.backoff.factor)
      ? undefined
      : `'${field}.retry.backoff.factor' must be an integer ≥ 1, got ${retry.backoff.factor}`,
  ];
}

/**
 * The sync options every generated Application carries, and why:
 * - PruneLast: remove what left Git only after everything else is applied and healthy;
 * - ApplyOutOfSyncOnly: a sync touches only what changed (hooks still run);
 * - FailOnSharedResource: two Applications fighting over one object is a mistake, not a race to win;
 * - RespectIgnoreDifferences: ignored fields (replicas an HPA owns) are also left alone when applying.
 */
export function syncOptions(sync: SyncSettings, ignoresDifferences: boolean): string[] {
  return [
    ...(sync.createNamespace ? ["CreateNamespace=true"] : []),
    "PruneLast=true",
    "ApplyOutOfSyncOnly=true",
    "FailOnSharedResource=true",
    ...(ignoresDifferences ? ["RespectIgnoreDifferences=true"] : []),
    ...(sync.serverSideApply ? ["ServerSideApply=true"] : []),
  ];
}

function retryStrategy(retry: Retry): IRetryStrategy {
  return {
    limit: retry.limit,
    backoff: { duration: retry.backoff.duration, factor: retry.backoff.factor, maxDuration: retry.backoff.maxDuration },
  };
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
  return {
    ...(automated !== undefined && { automated: { prune: automated.prune, selfHeal: automated.selfHeal, allowEmpty: false } }),
    ...(sync.createNamespace && { managedNamespaceMetadata: { labels: { ...MANAGED_NAMESPACE_LABELS } } }),
    syncOptions: syncOptions(sync, ignoresDifferences),
    retry: retryStrategy(sync.retry ?? DEFAULT_RETRY),
  };
}
