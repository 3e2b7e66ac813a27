/**
 * Labels and annotations of the Argo CD objects: what makes them readable in the Argo CD UI (labels to
 * filter by, external links, info), notification subscriptions and sync waves of the app-of-apps.
 */
import { LABEL } from "../../constructs/lib/labels";
import { SYNC_WAVE_ANNOTATION } from "../../constructs/lib/roles";
import type { Notification } from "../../environments/argocd";

export const IN_CLUSTER = "https://kubernetes.default.svc";
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";
export const LINK_PREFIX = "link.argocd.argoproj.io/";
export const NOTIFICATION_PREFIX = "notifications.argoproj.io/subscribe.";


/** Waves of the root app-of-apps: a project must exist before an Application may name it. */
export const WAVES = { project: -1, application: 0 } as const;

export const ENV_LABEL = "slipway.dev/env";
export const STACK_LABEL = "slipway.dev/stack";

/** Labels Argo CD's application list can filter by: `slipway.dev/env=prod`, `slipway.dev/stack=web`. */
export function slipwayLabels(scope: { env?: string; stack?: string } = {}): Record<string, string> {
  return {
    [LABEL.managedBy]: "slipway",
    ...(scope.stack !== undefined && { [LABEL.partOf]: scope.stack, [STACK_LABEL]: scope.stack }),
    ...(scope.env !== undefined && { [ENV_LABEL]: scope.env }),
  };
}

export function waveAnnotation(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

/** `link.argocd.argoproj.io/<name>: <url>`: an external-link icon on the Application in the UI. */
export function linkAnnotations(links: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(links).map(([name, url]) => [`${LINK_PREFIX}${name}`, url]));
}

/** `notifications.argoproj.io/subscribe.<trigger>.<service>: a;b`, as Argo CD notifications reads it. */
export function notificationAnnotations(subscriptions: readonly Notification[]): Record<string, string> {
  return Object.fromEntries(
    subscriptions.map((s) => [`${NOTIFICATION_PREFIX}${s.trigger}.${s.service}`, s.recipients.join(";")]),
  );
}
