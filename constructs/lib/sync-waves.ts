/**
 * Argo CD sync waves, from one table: config and secret references first, then data, then the migration
 * hook, then the API, then what faces users, then maintenance. Argo CD waits for each wave to be healthy
 * before the next.
 */
import { ApiObject } from "cdk8s";
import type { IConstruct } from "constructs";
import { LABEL, type Role } from "./labels";

export const SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

export const SyncWave = {
  config: -2,
  secrets: -1,
  data: 0,
  migration: 1,
  api: 2,
  edge: 3,
  /**
   * Last: a backup volume has no pod until the first scheduled run, so on WaitForFirstConsumer storage it
   * stays Pending, which Argo CD counts as progressing; earlier, it would hold every later wave until 03:00.
   */
  maintenance: 4,
} as const;

/** Objects every component needs before its pods start, whatever the component's own wave. */
const CONFIG_KINDS = new Set(["ServiceAccount", "ConfigMap", "NetworkPolicy", "SecretStore", "Password"]);

const ROLE_WAVE: Record<Role, number> = {
  database: SyncWave.data,
  cache: SyncWave.data,
  backup: SyncWave.maintenance,
  migration: SyncWave.migration,
  api: SyncWave.api,
  frontend: SyncWave.edge,
  proxy: SyncWave.edge,
};

/** The wave an object belongs in, from its kind and its component's role label. */
export function syncWaveOf(kind: string, role: string | undefined): number {
  if (CONFIG_KINDS.has(kind)) return SyncWave.config;
  if (kind === "ExternalSecret") return SyncWave.secrets;
  return role && role in ROLE_WAVE ? ROLE_WAVE[role as Role] : SyncWave.config;
}

/** Annotates every object below `scope` with its wave. Run once per chart, after it is built. */
export function applySyncWaves(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const wave = syncWaveOf(child.kind, child.metadata.getLabel(LABEL.component));
    child.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
  }
}
