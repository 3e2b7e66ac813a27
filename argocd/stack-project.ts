/**
 * The AppProject of one stack (or of one team's stacks): it lets its Applications deploy this repository
 * to exactly the stacks' namespaces on their environments' clusters, and nowhere else.
 */
import type { IAppProject, ISyncWindow } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { CRON, DEFAULT_ARGOCD_NAMESPACE, DURATION, type ClusterResource, type SyncWindow } from "../environments/argocd";
import type { ClusterRef } from "./lib/application-template";
import { assertProps, dnsLabel, exactlyOneCluster, nonEmpty, noGlob, unique, type Problem } from "./lib/checks";
import { slipwayLabels, waveAnnotation, WAVES } from "./lib/metadata";

/** One stack's namespace on one environment's cluster. */
export interface ProjectDestination extends ClusterRef {
  readonly namespace: string;
}

/** A sync window of one environment, applied to that environment's Applications only. */
export interface ProjectSyncWindow extends SyncWindow {
  /** Names of the Applications it applies to, e.g. `["web-prod"]`. */
  readonly applications: readonly string[];
}

export interface StackProjectProps {
  /** The project's name: the stack's name, or a team's. */
  readonly name: string;
  /** Repositories its Applications may read; this repository. */
  readonly sourceRepos: readonly string[];
  /** Exactly the namespaces, per cluster, its Applications may deploy to. */
  readonly destinations: readonly ProjectDestination[];
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
   * Cluster-scoped kinds its Applications may create; anything else cluster-scoped is refused.
   * @default []
   */
  readonly clusterResources?: readonly ClusterResource[];
  /**
   * When its Applications may sync.
   * @default []
   */
  readonly syncWindows?: readonly ProjectSyncWindow[];
}

function checkDestination(d: ProjectDestination, i: number): Problem[] {
  const field = `destinations[${i}]`;
  return [
    exactlyOneCluster(field, d),
    dnsLabel(`${field}.namespace`, d.namespace),
    ...[d.server, d.name].filter((v) => v !== undefined).map((v) => noGlob(`${field} cluster`, v)),
  ];
}

function checkWindow(w: ProjectSyncWindow, i: number): Problem[] {
  const field = `syncWindows[${i}]`;
  return [
    nonEmpty(`${field}.applications`, w.applications),
    DURATION.test(w.duration) ? undefined : `'${field}.duration' must be a duration such as 1h30m, got '${w.duration}'`,
    CRON.test(w.schedule.trim())
      ? undefined
      : `'${field}.schedule' must be a five-field cron schedule, got '${w.schedule}'`,
  ];
}

function syncWindow(w: ProjectSyncWindow): ISyncWindow {
  return {
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    timeZone: w.timeZone,
    manualSync: w.manualSync,
    applications: [...w.applications],
    ...(w.description !== undefined && { description: w.description }),
  };
}

export class StackProject extends Construct {
  readonly name: string;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: StackProjectProps) {
    super(scope, id);
    this.name = props.name;
    const destinationKeys = props.destinations.map((d) => `${d.server ?? d.name} ${d.namespace}`);
    assertProps(`StackProject '${props.name}'`, [
      dnsLabel("name", props.name),
      nonEmpty("sourceRepos", props.sourceRepos),
      ...props.sourceRepos.map((r, i) => noGlob(`sourceRepos[${i}]`, r)),
      nonEmpty("destinations", props.destinations),
      unique("destinations", destinationKeys),
      ...props.destinations.flatMap(checkDestination),
      ...(props.syncWindows ?? []).flatMap(checkWindow),
    ]);

    const project: IAppProject = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: {
        name: props.name,
        namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
        labels: slipwayLabels(),
        annotations: waveAnnotation(WAVES.project),
      },
      spec: {
        description: props.description ?? `Slipway: ${props.name}`,
        sourceRepos: [...props.sourceRepos],
        destinations: props.destinations.map((d) => ({ ...d })),
        // Empty means none: a stack may create cluster-scoped objects only where it says it needs them.
        clusterResourceWhitelist: (props.clusterResources ?? []).map((r) => ({ ...r })),
        // Listed in the UI without warnings: after a stack or database leaves the code, its kept volumes show here.
        orphanedResources: { warn: false },
        ...(props.syncWindows?.length && { syncWindows: props.syncWindows.map(syncWindow) }),
      },
    };
    this.object = new ApiObject(this, "Resource", project);
  }
}
