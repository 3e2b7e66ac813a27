/**
 * The root: an AppProject and the app-of-apps Application in it, which syncs `dist/argocd/` into Argo CD's
 * namespace. A cluster needs these two objects applied by hand (or by the Pulumi bootstrap) to pick up
 * every project, Application and ApplicationSet.
 *
 * The root project allows only this repository, only Argo CD's namespace on its own cluster and only Argo
 * CD's kinds: not `default`, which operators are told to lock down. The Application reads the generated
 * files by pattern, so a new environment's file is picked up without re-applying the root, and never reads
 * its own file: the bootstrap owns the root, and two owners would fight over it.
 */
import type { IAppProject, IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { AUTOMATED_RETRY, DEFAULT_ARGOCD_NAMESPACE, DEFAULT_REVISION_HISTORY_LIMIT } from "../environments/argocd";
import { assertProps, dnsLabel, nonEmpty, nonNegativeInteger, repoPath, unique } from "./lib/checks";
import { IN_CLUSTER, MANIFEST_GENERATE_PATHS, RESOURCES_FINALIZER, slipwayLabels } from "./lib/metadata";
import { syncPolicy } from "./lib/sync";

/** What the root syncs: Argo CD's own kinds. */
export const ARGOCD_KINDS = ["AppProject", "Application", "ApplicationSet"].map((kind) => ({ group: "argoproj.io", kind }));

export interface AppOfAppsProps {
  /** The Git repository holding `dist/argocd/`. */
  readonly repoURL: string;
  /** Branch, tag or commit of that repository. */
  readonly targetRevision: string;
  /** Glob patterns of the files of `path` to apply, e.g. `["projects.yaml", "apps-*.yaml"]`. */
  readonly include: readonly string[];
  /**
   * The folder holding the Argo CD objects.
   * @default "dist/argocd"
   */
  readonly path?: string;
  /**
   * The root Application's and its AppProject's name.
   * @default "slipway"
   */
  readonly name?: string;
  /**
   * Namespace of Argo CD on the management cluster.
   * @default "argocd"
   */
  readonly argocdNamespace?: string;
  /**
   * Past syncs kept for rollback.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
}

const PATTERN = /^[a-z0-9*][-a-z0-9.*]*\.ya?ml$/;

export class AppOfApps extends Construct {
  readonly name: string;
  readonly project: ApiObject;
  readonly application: ApiObject;

  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    super(scope, id);
    this.name = props.name ?? "slipway";
    const path = props.path ?? "dist/argocd";
    const namespace = props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE;
    const revisionHistoryLimit = props.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
    assertProps(`AppOfApps '${this.name}'`, [
      dnsLabel("name", this.name),
      repoPath("path", path),
      nonEmpty("include", props.include),
      unique("include", props.include),
      ...props.include.map((f, i) =>
        PATTERN.test(f) ? undefined : `'include[${i}]' must be a YAML file name or pattern such as apps-*.yaml, got '${f}'`,
      ),
      nonNegativeInteger("revisionHistoryLimit", revisionHistoryLimit),
    ]);

    const project: IAppProject = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: this.name, namespace, labels: slipwayLabels(), finalizers: [RESOURCES_FINALIZER] },
      spec: {
        description: "Slipway: the app-of-apps, syncing dist/argocd/ into Argo CD's namespace",
        sourceRepos: [props.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: ARGOCD_KINDS,
      },
    };
    this.project = new ApiObject(this, "Project", project);

    const include = [...props.include].sort();
    const root: IApplication = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        name: this.name,
        namespace,
        labels: slipwayLabels(),
        annotations: { [MANIFEST_GENERATE_PATHS]: "." },
        // No resources finalizer: deleting the root must never cascade into every environment.
      },
      spec: {
        project: this.name,
        source: {
          repoURL: props.repoURL,
          targetRevision: props.targetRevision,
          path,
          directory: { recurse: false, include: include.length === 1 ? include[0] : `{${include.join(",")}}` },
        },
        destination: { server: IN_CLUSTER, namespace },
        // Pruning a child waits for confirmation (each carries Prune=confirm); everything else is as in Git.
        syncPolicy: syncPolicy({ automated: { prune: true, selfHeal: true }, retry: AUTOMATED_RETRY }, false),
        revisionHistoryLimit,
        info: [{ name: "Source", value: `${path} @ ${props.targetRevision}` }],
      },
    };
    this.application = new ApiObject(this, "Application", root);
  }
}
