/**
 * Freeze windows: a promotion into an environment is refused while one of its Argo CD `deny` sync windows
 * is open. "Open" is decided as Argo CD decides it (SyncWindows.active in
 * argo-cd/pkg/apis/application/v1alpha1/types.go): a window is active when the schedule's next start after
 * (now − duration) comes before now, the schedule read in the window's time zone.
 * https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/
 */
import { cronSchedule } from "../lib/cron";
import { goDurationMs } from "../lib/duration";

/** A sync window as an environment file declares it under `argocd.syncWindows` (defaults applied). */
export interface SyncWindowSpec {
  readonly kind: "allow" | "deny";
  readonly schedule: string;
  readonly duration: string;
  readonly timeZone: string;
  readonly description?: string;
}

/** When an open window opened and when it closes. */
export interface OpenWindow {
  readonly window: SyncWindowSpec;
  readonly opened: Date;
  readonly closes: Date;
}

/** The window's current opening, if it is open at `at`. */
export function openingAt(window: SyncWindowSpec, at: Date): OpenWindow | undefined {
  const duration = goDurationMs(window.duration);
  if (Number.isNaN(duration)) throw new Error(`sync window '${window.schedule}': duration '${window.duration}' is not a Go duration`);
  const start = cronSchedule(window.schedule, window.timeZone).nextRun(new Date(at.getTime() - duration));
  if (!start || start.getTime() >= at.getTime()) return undefined;
  return { window, opened: start, closes: new Date(start.getTime() + duration) };
}

/** The environment's deny windows (freezes) open at `at`. */
export function openFreezes(windows: readonly SyncWindowSpec[], at: Date): OpenWindow[] {
  return windows.filter((w) => w.kind === "deny").flatMap((w) => openingAt(w, at) ?? []);
}

/** `"Weekend freeze" (0 16 * * 5 for 64h, Europe/Berlin)`: how messages name a window. */
export function describeWindow(window: SyncWindowSpec): string {
  const rule = `${window.schedule} for ${window.duration}, ${window.timeZone}`;
  return window.description ? `'${window.description}' (${rule})` : `(${rule})`;
}
