/**
 * What Argo CD reads from an object's annotations: sync options, hooks and sync waves.
 * https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/ and .../sync-waves/
 */
import type { KubeObject } from "../../lib/kube-object";
import { text } from "./values";

export const SYNC_OPTIONS = "argocd.argoproj.io/sync-options";

/** Whether the object's `argocd.argoproj.io/sync-options` (comma-separated) include `option`, e.g. `Prune=false`. */
export function hasSyncOption(object: KubeObject, option: string): boolean {
  const value = text(object.metadata?.annotations?.[SYNC_OPTIONS]) ?? "";
  return value.split(",").some((o) => o.trim() === option);
}

export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
export const HOOK = "argocd.argoproj.io/hook";
const HELM_HOOK_WEIGHT = "helm.sh/hook-weight";

/** The phases of a sync, in order; hooks of other types (Skip, SyncFail, PreDelete, PostDelete) are not applied by a sync. */
const PHASES = ["PreSync", "Sync", "PostSync"] as const;
export type Phase = (typeof PHASES)[number];

/** When a sync applies an object: its phase, then its wave (gitops-engine orders by phase, wave, kind, name). */
export interface SyncStep {
  readonly phase: Phase;
  readonly wave: number;
  readonly hook: boolean;
}

/** strconv.Atoi: an optional sign and decimal digits. */
const INTEGER = /^[+-]?[0-9]+$/;

/**
 * The object's wave as gitops-engine reads it (pkg/sync/syncwaves/waves.go): the sync-wave annotation if it
 * is an integer, else the Helm hook weight if that is one, else 0.
 */
export function waveOf(object: KubeObject): number {
  for (const key of [SYNC_WAVE, HELM_HOOK_WEIGHT]) {
    const value = text(object.metadata?.annotations?.[key]);
    if (value !== undefined && INTEGER.test(value)) return Number(value);
  }
  return 0;
}

/** The sync-wave annotation when it is set but not an integer (Argo CD then ignores it). */
export function invalidWave(object: KubeObject): string | undefined {
  const value = object.metadata?.annotations?.[SYNC_WAVE];
  return value !== undefined && !(typeof value === "string" && INTEGER.test(value)) ? String(value) : undefined;
}

const HOOK_TYPES = new Set(["PreSync", "Sync", "PostSync", "Skip", "SyncFail", "PreDelete", "PostDelete"]);
/** Helm hooks Argo CD runs as its own when an object has no Argo CD hook annotation (gitops-engine pkg/sync/hook/helm/type.go). */
const HELM_HOOKS: Record<string, Phase> = { "pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync", "post-upgrade": "PostSync" };

function csv(object: KubeObject, key: string): string[] {
  return (text(object.metadata?.annotations?.[key]) ?? "").split(",").map((t) => t.trim());
}

/**
 * When a sync applies the object, or undefined if it never does (a Skip, SyncFail, PreDelete or PostDelete
 * hook). A hook listing several types (`PreSync,PostSync`) first runs in the earliest.
 */
export function syncStep(object: KubeObject): SyncStep | undefined {
  const argo = csv(object, HOOK).filter((t) => HOOK_TYPES.has(t));
  const types = argo.length ? argo : csv(object, "helm.sh/hook").flatMap((t) => (Object.hasOwn(HELM_HOOKS, t) ? [HELM_HOOKS[t]!] : []));
  const wave = waveOf(object);
  if (types.length === 0) return { phase: "Sync", wave, hook: false };
  const phase = PHASES.find((p) => types.includes(p));
  return phase && { phase, wave, hook: true };
}

/** Orders steps as a sync runs them. */
export function compareSteps(a: SyncStep, b: SyncStep): number {
  return PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.wave - b.wave;
}

/** `wave 2`, or `the PreSync phase (wave 0)` for hooks outside the Sync phase. */
export function describeStep(step: SyncStep): string {
  return step.phase === "Sync" ? `wave ${step.wave}` : `the ${step.phase} phase (wave ${step.wave})`;
}
