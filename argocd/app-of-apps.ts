/**
 * The root Application: it syncs `dist/argocd/` into Argo CD's namespace, so a cluster needs one object
 * applied by hand (or by the Pulumi bootstrap) to pick up every project, Application and ApplicationSet.
 *
 * It reads only the files it lists, so nothing else dropped into dist/argocd/ is applied; and it never
 * reads its own file: the bootstrap owns the root, and two owners would fight over it.
 */
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { DEFAULT_ARGOCD_NAMESPACE, DEFAULT_REVISION_HISTORY_LIMIT } from "../environments/argocd";
import { assertProps, dnsLabel, nonEmpty, nonNegativeInteger, repoPath, unique } from "./lib/checks";
import { IN_CLUSTER, slipwayLabels } from "./lib/metadata";
import { syncPolicy } from "./lib/sync";

export interface AppOfAppsProps {
  /** The Git repository holding `dist/argocd/`. */
  readonly repoURL: string;
  /** Branch, tag or commit of that repository. */
  readonly targetRevision: string;
  /** The files of `path` to apply, e.g. `["projects.yaml", "apps-prod.yaml"]`. */
  readonly files: readonly string[];
  /**
   * The folder holding the Argo CD objects.
   * @default "dist/argocd"
   */
  readonly path?: string;
  /**
   * The root Application's name.
   * @default "slipway"
   */
  readonly name?: string;
  /**
   * Namespace of Argo CD on the management cluster.
   * @default "argocd"
   */
  readonly argocdNamespace?: string;
  /**
   * The root's AppProject. `default` exists in every Argo CD, so the root needs nothing applied before it.
   * @default "default"
   */
  readonly project?: string;
  /**
   * Past syncs kept for rollback.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
}

const FILE = /^[a-z0-9][-a-z0-9.]*\.ya?ml$/;

export class AppOfApps extends Construct {
  readonly name: string;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    super(scope, id);
    this.name = props.name ?? "slipway";
    const path = props.path ?? "dist/argocd";
    const project = props.project ?? "default";
    const revisionHistoryLimit = props.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
    assertProps(`AppOfApps '${this.name}'`, [
      dnsLabel("name", this.name),
      dnsLabel("project", project),
      repoPath("path", path),
      nonEmpty("files", props.files),
      unique("files", props.files),
      ...props.files.map((f, i) =>
        FILE.test(f) ? undefined : `'files[${i}]' must be a YAML file name such as projects.yaml, got '${f}'`,
      ),
      nonNegativeInteger("revisionHistoryLimit", revisionHistoryLimit),
    ]);

    const files = [...props.files].sort();
    const root: IApplication = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        name: this.name,
        namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
        labels: slipwayLabels(),
        // No resources finalizer: deleting the root must never cascade into every environment.
      },
      spec: {
        project,
        source: {
          repoURL: props.repoURL,
          targetRevision: props.targetRevision,
          path,
          directory: { recurse: false, include: files.length === 1 ? files[0] : `{${files.join(",")}}` },
        },
        destination: { server: IN_CLUSTER, namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE },
        // Pruning an Application without the finalizer leaves its workloads running, unmanaged.
        syncPolicy: syncPolicy({ automated: { prune: true, selfHeal: true } }, false),
        revisionHistoryLimit,
        info: [{ name: "Source", value: `${path} @ ${props.targetRevision}` }],
      },
    };
    this.object = new ApiObject(this, "Resource", root);
  }
}
