/**
 * The AppProject of one stack in one environment: its Application may deploy this repository to exactly
 * the stack's namespace on the environment's cluster, only the kinds the stack renders, and syncs only when
 * the environment's windows allow. One project per stack × environment: an Application of dev cannot name
 * prod's namespace, and prod's freeze or role never reaches dev.
 */
import type { IAppProject, IProjectRole, ISyncWindow } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { SyncWindow } from "../environments/argocd";
import { cronProblem, timeZoneProblem } from "../lib/cron";
import { GO_DURATION, matches } from "../lib/formats";
import type { ClusterRef } from "./lib/application-template";
import { assertProps, dnsLabel, exactlyOneCluster, nonEmpty, noGlob, unique, type Problem } from "./lib/checks";
import { RESOURCES_FINALIZER, childMetadata, WAVES } from "./lib/metadata";
import type { ClusterResource, GroupKind } from "./lib/resources";

/** One namespace on one cluster. */
export interface ProjectDestination extends ClusterRef {
  readonly namespace: string;
}

/** People allowed to operate the project's Applications in the Argo CD UI. */
export interface ProjectRole {
  /** The role's name, e.g. the environment's. */
  readonly name: string;
  /** SSO groups holding the role. */
  readonly groups: readonly string[];
  /** Whether they may delete the project's Applications. */
  readonly mayDelete: boolean;
}

export interface StackProjectProps {
  /** The project's name, e.g. `web-prod`. */
  readonly name: string;
  /** Repositories its Applications may read: this repository. */
  readonly sourceRepos: readonly string[];
  /** The namespaces, per cluster, its Applications may deploy to: one for a stack in an environment. */
  readonly destinations: readonly ProjectDestination[];
  /** The namespaced kinds its Applications may deploy; anything else is refused. */
  readonly namespacedKinds: readonly GroupKind[];
  /**
   * Namespace of Argo CD on the management cluster.
   * @default "argocd"
   */
  readonly argocdNamespace?: string;
  /**
   * Shown in the Argo CD UI.
   * @default `Slipway: ${name}`
   */
  readonly description?: string;
  /**
   * Cluster-scoped objects, by name, its Applications may create; anything else cluster-scoped is refused.
   * @default []
   */
  readonly clusterResources?: readonly ClusterResource[];
  /**
   * When its Applications may sync; each window applies to the destinations' namespaces on their clusters.
   * @default []
   */
  readonly syncWindows?: readonly SyncWindow[];
  /**
   * Roles for the Argo CD UI.
   * @default []
   */
  readonly roles?: readonly ProjectRole[];
  /**
   * Destination namespaces may be glob patterns (pull-request previews: one namespace per pull request).
   * @default false
   */
  readonly namespacePatterns?: boolean;
}

function checkDestination(d: ProjectDestination, i: number, patterns: boolean): Problem[] {
  const field = `destinations[${i}]`;
  return [
    exactlyOneCluster(field, d),
    patterns ? undefined : dnsLabel(`${field}.namespace`, d.namespace),
    ...[d.server, d.name].filter((v) => v !== undefined).map((v) => noGlob(`${field} cluster`, v)),
  ];
}

function checkWindow(w: SyncWindow, i: number): Problem[] {
  const field = `syncWindows[${i}]`;
  return [
    matches(GO_DURATION, w.duration) ? undefined : `'${field}.duration' must be ${GO_DURATION.expected}, got '${w.duration}'`,
    ...[
      ["schedule", cronProblem(w.schedule, "sync-window")],
      ["timeZone", timeZoneProblem(w.timeZone)],
    ].map(([name, problem]) => problem && `'${field}.${name}': ${problem}`),
  ];
}

/**
 * A window matched by namespace AND cluster, so it reaches exactly this project's destinations. The cast:
 * @kubernetes-models/argo-cd predates Argo CD 3.5's `syncOverrun` (NEWER_THAN_MODELS in validation/schema.ts).
 */
function syncWindow(w: SyncWindow, destinations: readonly ProjectDestination[]): ISyncWindow {
  return {
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    timeZone: w.timeZone,
    manualSync: w.manualSync,
    syncOverrun: w.overrun,
    namespaces: [...new Set(destinations.map((d) => d.namespace))],
    clusters: [...new Set(destinations.map((d) => d.server ?? d.name ?? ""))],
    andOperator: true,
    ...(w.description !== undefined && { description: w.description }),
  } as ISyncWindow;
}

/**
 * The role's policies, in Argo CD's project RBAC form. A deny wins over any allow its holders have elsewhere
 * (Argo CD's casbin effect is `allow && !deny`), so `mayDelete: false` holds even for an admin in the group.
 */
function role(project: string, r: ProjectRole): IProjectRole {
  const rule = (resource: string, action: string, effect: "allow" | "deny") =>
    `p, proj:${project}:${r.name}, ${resource}, ${action}, ${project}/*, ${effect}`;
  const deletion = r.mayDelete ? "allow" : "deny";
  return {
    name: r.name,
    description: `Operates ${project}: view, sync, run actions, read logs${r.mayDelete ? ", delete" : "; never delete"}`,
    groups: [...r.groups],
    policies: [
      rule("applications", "get", "allow"),
      rule("applications", "sync", "allow"),
      rule("applications", "action/*", "allow"),
      rule("logs", "get", "allow"),
      rule("applications", "delete", deletion),
      rule("applications", "delete/*", deletion),
    ],
  };
}

export class StackProject extends Construct {
  readonly name: string;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: StackProjectProps) {
    super(scope, id);
    this.name = props.name;
    const destinationKeys = props.destinations.map((d) => `${d.server ?? d.name} ${d.namespace}`);
    const roles = props.roles ?? [];
    assertProps(`StackProject '${props.name}'`, [
      dnsLabel("name", props.name),
      nonEmpty("sourceRepos", props.sourceRepos),
      ...props.sourceRepos.map((r, i) => noGlob(`sourceRepos[${i}]`, r)),
      nonEmpty("destinations", props.destinations),
      unique("destinations", destinationKeys),
      ...props.destinations.flatMap((d, i) => checkDestination(d, i, props.namespacePatterns ?? false)),
      nonEmpty("namespacedKinds", props.namespacedKinds),
      ...(props.syncWindows ?? []).flatMap(checkWindow),
      unique("roles", roles.map((r) => r.name)),
      ...roles.map((r, i) => dnsLabel(`roles[${i}].name`, r.name)),
    ]);

    const project: IAppProject = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      // Argo CD keeps a project while an Application still names it.
      metadata: { ...childMetadata(props.name, props.argocdNamespace, {}, WAVES.project), finalizers: [RESOURCES_FINALIZER] },
      spec: {
        description: props.description ?? `Slipway: ${props.name}`,
        sourceRepos: [...props.sourceRepos],
        destinations: props.destinations.map((d) => ({ ...d })),
        // Empty means none: only what the stack renders.
        clusterResourceWhitelist: (props.clusterResources ?? []).map((r) => ({ ...r })),
        namespaceResourceWhitelist: props.namespacedKinds.map((k) => ({ ...k })),
        // Objects in the namespace that no Application tracks, such as a StatefulSet's retained claims, are
        // listed in the UI without a warning.
        orphanedResources: { warn: false },
        ...(props.syncWindows?.length && { syncWindows: props.syncWindows.map((w) => syncWindow(w, props.destinations)) }),
        ...(roles.length && { roles: roles.map((r) => role(props.name, r)) }),
      },
    };
    this.object = new ApiObject(this, "Resource", project);
  }
}
