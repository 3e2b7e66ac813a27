/**
 * Argo CD sync waves from explicit roles. Argo CD applies wave by wave and waits for each wave to be
 * healthy before the next, so the order is: the namespace, then what pods need before they start (config,
 * then the Secrets External Secrets materialises), then data, the database's own setup, migrations, the
 * apps, what faces users, post-rollout steps, and last what cannot become healthy by itself.
 *
 * Every object gets its wave from a role: its kind's (a ConfigMap is config wherever it is), or the role of
 * the construct it belongs to. An object with neither is an error naming it, never a silent default; an
 * explicit `argocd.argoproj.io/sync-wave` written on a raw object is kept.
 */
import { PropsError } from "../../lib/errors";
import { ApiObject } from "cdk8s";
import type { IConstruct } from "constructs";

export const SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

export const WAVES = {
  namespace: -3,
  config: -2,
  secrets: -1,
  data: 0,
  /** Idempotent setup of a data store that needs it running (a database's application role). */
  "data-setup": 1,
  /** Schema migrations, before the new version of the apps rolls out. */
  "pre-rollout": 2,
  app: 3,
  edge: 4,
  /** Steps that need the new version running (cache warm-up, search re-index). */
  "post-rollout": 5,
  /**
   * What is healthy only after outside help, so nothing may wait for it: an Ingress (until the controller
   * publishes an address), an HPA (until metrics arrive), a CronJob's volume (until its first run binds it
   * on WaitForFirstConsumer storage), a certificate (until it is issued).
   */
  last: 6,
} as const;

export type Role = keyof typeof WAVES;

const ROLES = Object.keys(WAVES) as Role[];

/** Kinds whose wave is the same wherever they appear. */
const KIND_ROLES: Readonly<Record<string, Role>> = {
  Namespace: "namespace",
  ResourceQuota: "namespace",
  LimitRange: "namespace",
  ServiceAccount: "config",
  ConfigMap: "config",
  NetworkPolicy: "config",
  Role: "config",
  RoleBinding: "config",
  SecretStore: "config",
  Password: "config",
  ExternalSecret: "secrets",
  Ingress: "last",
  HorizontalPodAutoscaler: "last",
  CronJob: "last",
  Certificate: "last",
};

/** A construct's role, fixed or decided once the stack is built (a volume's depends on who mounts it). */
export type RoleSource = Role | (() => Role);

const ROLE = Symbol.for("slipway.role");

/** Gives `scope` and every object below it (unless a nearer construct says otherwise) the wave of `role`. */
export function setRole(scope: IConstruct, role: RoleSource): void {
  if (typeof role === "string" && !ROLES.includes(role)) {
    throw new PropsError(`${scope.node.path}: unknown role '${String(role)}': expected one of ${ROLES.join(", ")}`);
  }
  (scope as unknown as Record<symbol, RoleSource>)[ROLE] = role;
}

const roleSet = (scope: IConstruct): RoleSource | undefined => (scope as unknown as Record<symbol, RoleSource | undefined>)[ROLE];
const resolved = (source: RoleSource): Role => (typeof source === "function" ? source() : source);

/**
 * A role set on the object itself (its construct decides, e.g. a certificate a pod mounts), else its
 * kind's, else the nearest construct's above it.
 */
function roleOf(object: ApiObject): Role | undefined {
  const own = roleSet(object);
  if (own !== undefined) return resolved(own);
  const byKind = KIND_ROLES[object.kind];
  if (byKind) return byKind;
  const scope = [...object.node.scopes].reverse().find((s) => roleSet(s) !== undefined);
  return scope ? resolved(roleSet(scope)!) : undefined;
}

/** Annotates every object below `scope` with its wave. Run once per chart, after the stack is built. */
export function applySyncWaves(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    if ((child.metadata.toJson() as { annotations?: Record<string, string> }).annotations?.[SYNC_WAVE_ANNOTATION] !== undefined) continue;
    const role = roleOf(child);
    if (role === undefined) {
      throw new PropsError(
        `${child.kind} '${child.name}' (${child.node.path}) has no sync wave: create it inside a component, give its construct a role with setRole(construct, "app"), or annotate it with ${SYNC_WAVE_ANNOTATION}`,
      );
    }
    child.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(WAVES[role]));
  }
}
