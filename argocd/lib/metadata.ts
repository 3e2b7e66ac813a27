/**
 * Labels and annotations of the Argo CD objects: what makes them readable in the Argo CD UI (labels to
 * filter by, titled external links), notification subscriptions, and how the root app-of-apps orders and
 * guards its children.
 */
import { LABEL } from "../../constructs/lib/labels";
import { ARGOCD_SYNC_OPTIONS } from "../../constructs/lib/data-protection";
import { SYNC_WAVE_ANNOTATION } from "../../constructs/lib/roles";
import { DEFAULT_ARGOCD_NAMESPACE, type Link, type Notification } from "../../environments/argocd";

export const IN_CLUSTER = "https://kubernetes.default.svc";
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";
export const LINK_PREFIX = "link.argocd.argoproj.io/";
export const NOTIFICATION_PREFIX = "notifications.argoproj.io/subscribe.";
/** Which paths of the repository an Application's manifests come from, relative to its source path. */
export const MANIFEST_GENERATE_PATHS = "argocd.argoproj.io/manifest-generate-paths";

/** Waves of the root app-of-apps: a project must exist before an Application may name it. */
export const WAVES = { project: -1, application: 0 } as const;

/**
 * The root never removes a project, Application or ApplicationSet on its own: a file renamed, an environment
 * switched to another delivery or removed leaves the old object until a person confirms its pruning.
 */
export const CHILD_SYNC_OPTIONS = "Prune=confirm,Delete=confirm";

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

/** Annotations of an object the root syncs: its wave, and the guard against pruning it unasked. */
export function childAnnotations(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave), [ARGOCD_SYNC_OPTIONS]: CHILD_SYNC_OPTIONS };
}

/** The metadata of an object the root syncs: in Argo CD's namespace, labelled, ordered and guarded. */
export function childMetadata(name: string, argocdNamespace: string | undefined, scope: { env?: string; stack?: string }, wave: number) {
  return {
    name,
    namespace: argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
    labels: slipwayLabels(scope),
    annotations: childAnnotations(wave),
  };
}

/** `link.argocd.argoproj.io/<name>: <title>|<url>`: a titled external link on the Application in the UI. */
export function linkAnnotations(links: Readonly<Record<string, Link>>): Record<string, string> {
  return Object.fromEntries(Object.entries(links).map(([name, { title, url }]) => [`${LINK_PREFIX}${name}`, `${title}|${url}`]));
}

/** `notifications.argoproj.io/subscribe.<trigger>.<service>: a;b`, as Argo CD notifications reads it. */
export function notificationAnnotations(subscriptions: readonly Notification[]): Record<string, string> {
  return Object.fromEntries(
    subscriptions.map((s) => [`${NOTIFICATION_PREFIX}${s.trigger}.${s.service}`, s.recipients.join(";")]),
  );
}
