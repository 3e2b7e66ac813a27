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
