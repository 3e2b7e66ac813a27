/** One stack in one environment, as an Argo CD Application syncing `dist/<env>/<stack>`. */
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { DEFAULT_ARGOCD_NAMESPACE, DEFAULT_REVISION_HISTORY_LIMIT, type Notification } from "../environments/argocd";
import { applicationTemplate, checkLinks, type ClusterRef, type GitSource } from "./lib/application-template";
import {
  assertProps,
  dnsLabel,
  exactlyOneCluster,
  httpUrl,
  nonNegativeInteger,
  repoPath,
  unique,
} from "./lib/checks";
import { waveAnnotation, WAVES } from "./lib/metadata";
import { checkSync, type SyncSettings } from "./lib/sync";

export interface StackApplicationProps {
  /** Environment name, e.g. `prod`. */
  readonly env: string;
  /** Stack name, e.g. `web`. */
  readonly stack: string;
  /** AppProject the Application belongs to; it must allow `destination`. */
  readonly project: string;
  /** The Git repository and revision holding `dist/`. */
  readonly source: GitSource;
  /** The stack's rendered folder, e.g. `dist/prod/web`. */
  readonly path: string;
  /** The environment's cluster. */
  readonly cluster: ClusterRef;
  /** The stack's namespace in that environment. */
  readonly namespace: string;
  /**
   * The Application's name; stable, so links and sync windows can name it.
   * @default `${stack}-${env}`
   */
  readonly name?: string;
  /**
   * Namespace of Argo CD on the management cluster.
   * @default "argocd"
   */
  readonly argocdNamespace?: string;
  /**
   * How the Application syncs.
   * @default - manual sync, no namespace creation, client-side apply, DEFAULT_RETRY
   */
  readonly sync?: SyncSettings;
  /**
   * Deleting the Application also deletes its resources (volumes carrying Delete=false excepted).
   * @default false
   */
  readonly finalizer?: boolean;
  /**
   * Past syncs kept for rollback.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
  /**
   * Deployments an HPA scales: their replicas are ignored in diffs and left alone on sync.
   * @default []
   */
  readonly autoscaledDeployments?: readonly string[];
  /**
   * The environment file, shown in the UI's info panel.
   * @default - the environment's name only
   */
  readonly envFile?: string;
  /**
   * The stack's public URL, linked from the UI.
   * @default - no public-url link
   */
  readonly publicURL?: string;
  /**
   * The web page of `path` in the repository, linked from the UI.
   * @default - no repo-folder link
   */
  readonly folderURL?: string;
  /**
   * More links for the UI by name, e.g. `{ dashboard: "https://…" }`.
   * @default {}
   */
  readonly links?: Readonly<Record<string, string>>;
  /**
   * Argo CD notifications subscriptions.
   * @default []
   */
  readonly notifications?: readonly Notification[];
}

export class StackApplication extends Construct {
  readonly name: string;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: StackApplicationProps) {
    super(scope, id);
    this.name = props.name ?? `${props.stack}-${props.env}`;
    const sync = props.sync ?? {};
    const autoscaled = props.autoscaledDeployments ?? [];
    const links = props.links ?? {};
    assertProps(`StackApplication '${this.name}'`, [
      dnsLabel("name", this.name),
      dnsLabel("project", props.project),
      dnsLabel("namespace", props.namespace),
      repoPath("path", props.path),
      exactlyOneCluster("cluster", props.cluster),
      nonNegativeInteger("revisionHistoryLimit", props.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT),
      unique("autoscaledDeployments", autoscaled),
      ...autoscaled.map((d, i) => dnsLabel(`autoscaledDeployments[${i}]`, d)),
      ...(props.publicURL !== undefined ? [httpUrl("publicURL", props.publicURL)] : []),
      ...(props.folderURL !== undefined ? [httpUrl("folderURL", props.folderURL)] : []),
      ...Object.entries(links).map(([name, url]) => httpUrl(`links.${name}`, url)),
      ...checkLinks("links", links),
      ...checkSync("sync", sync),
    ]);

    const template = applicationTemplate({
      name: this.name,
      env: props.env,
      stack: props.stack,
      project: props.project,
      argocdNamespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
      source: props.source,
      path: props.path,
      cluster: props.cluster,
      namespace: props.namespace,
      sync,
      finalizer: props.finalizer ?? false,
      revisionHistoryLimit: props.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT,
      autoscaledDeployments: autoscaled,
      envFile: props.envFile,
      publicURL: props.publicURL,
      folderURL: props.folderURL,
      links,
      notifications: props.notifications ?? [],
    });
    const application: IApplication = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        ...template.metadata,
        annotations: { ...waveAnnotation(WAVES.application), ...template.metadata.annotations },
      },
      spec: template.spec,
    };
    this.object = new ApiObject(this, "Resource", application);
  }
}
