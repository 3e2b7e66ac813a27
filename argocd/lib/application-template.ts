/**
 * The metadata and spec of one stack's Application, stated once. A StackApplication fills it with values;
 * a StackApplicationSet fills it with `{{.param}}` placeholders its generator replaces per stack.
 */
import { byCodePoint } from "../../lib/order";
import type { IApplicationSpec, IInfo, IResourceIgnoreDifferences } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import {
  DEFAULT_ARGOCD_NAMESPACE,
  DEFAULT_REVISION_HISTORY_LIMIT,
  PUBLIC_URL_LINK,
  REPO_FOLDER_LINK,
  RESERVED_LINK_NAMES,
  type Link,
  type Notification,
} from "../../environments/argocd";
import { dnsLabel, exactlyOneCluster, httpUrl, nonNegativeInteger, repoPath, unique, type Problem } from "./checks";
import {
  linkAnnotations,
  MANIFEST_GENERATE_PATHS,
  notificationAnnotations,
  RESOURCES_FINALIZER,
  slipwayLabels,
} from "./metadata";
import { checkSync, syncPolicy, type SyncSettings } from "./sync";

/** How Argo CD reads a stack's folder: through its kustomization.yaml, or every manifest in it. */
export type SourceType = "kustomize" | "directory";

export interface GitSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  /**
   * How Argo CD reads the folder.
   * @default "kustomize"
   */
  readonly type?: SourceType;
}

/** A cluster as Argo CD knows it: by API server URL or by its registered name, never both. */
export interface ClusterRef {
  readonly server?: string;
  readonly name?: string;
}

/** Where one stack of one environment comes from and goes to. */
export interface ApplicationTarget {
  /** Environment name, e.g. `prod`. */
  readonly env: string;
  /** Stack name, e.g. `web`. */
  readonly stack: string;
  /** AppProject the Application belongs to; it must allow the destination. */
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
}

/** How an Application behaves: what an environment decides for all its stacks. */
export interface ApplicationSettings {
  /**
   * Namespace of Argo CD on the management cluster.
   * @default "argocd"
   */
  readonly argocdNamespace?: string;
  /**
   * How the Application syncs.
   * @default - manual sync without retries, no namespace creation, client-side apply
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
   * More links for the UI by name, e.g. `{ dashboard: { title: "Grafana", url: "https://…" } }`.
   * @default {}
   */
  readonly links?: Readonly<Record<string, Link>>;
  /**
   * Argo CD notifications subscriptions.
   * @default []
   */
  readonly notifications?: readonly Notification[];
}

export interface ApplicationTemplate {
  readonly metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    finalizers?: string[];
  };
  readonly spec: IApplicationSpec;
}

/** Every problem of a target and its settings; `field` prefixes the target's fields (e.g. `elements[0]`). */
export function checkApplication(target: ApplicationTarget, settings: ApplicationSettings, field = ""): Problem[] {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const autoscaled = settings.autoscaledDeployments ?? [];
  const links = settings.links ?? {};
  return [
    dnsLabel(at("project"), target.project),
    dnsLabel(at("namespace"), target.namespace),
    repoPath(at("path"), target.path),
    exactlyOneCluster(at("cluster"), target.cluster),
    ...(target.publicURL !== undefined ? [httpUrl(at("publicURL"), target.publicURL)] : []),
    ...(target.folderURL !== undefined ? [httpUrl(at("folderURL"), target.folderURL)] : []),
    nonNegativeInteger("revisionHistoryLimit", settings.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT),
    unique("autoscaledDeployments", autoscaled),
    ...autoscaled.map((d, i) => dnsLabel(`autoscaledDeployments[${i}]`, d)),
    ...Object.entries(links).map(([name, link]) => httpUrl(`links.${name}`, link.url)),
    ...Object.keys(links)
      .filter((name) => RESERVED_LINK_NAMES.includes(name))
      .map((name) => `'links.${name}': '${name}' is the generator's own link; choose another name`),
    ...checkSync("sync", settings.sync ?? {}),
  ];
}

/** An HPA owns a scaled Deployment's replicas: Argo CD must neither report them as drift nor reset them. */
export function hpaOwnedFields(deployments: readonly string[]): IResourceIgnoreDifferences[] {
  return [...deployments]
    .sort()
    .map((name) => ({ group: "apps", kind: "Deployment", name, jsonPointers: ["/spec/replicas"] }));
}

function info(target: ApplicationTarget, links: Readonly<Record<string, Link>>): IInfo[] {
  return [
    { name: "Environment", value: target.envFile ? `${target.env} (${target.envFile})` : target.env },
    ...(target.publicURL !== undefined ? [{ name: "URL", value: target.publicURL }] : []),
    { name: "Source", value: `${target.path} @ ${target.source.targetRevision}` },
    ...Object.entries(links)
      .sort(([a], [b]) => byCodePoint(a, b))
      .map(([, { title, url }]) => ({ name: title, value: url })),
  ];
}

/** The generator's own links first (the public URL, the folder in Git), then the environment's. */
function allLinks(target: ApplicationTarget, links: Readonly<Record<string, Link>>): Record<string, Link> {
  return {
    ...(target.publicURL !== undefined && { [PUBLIC_URL_LINK]: { title: `${target.stack} (${target.env})`, url: target.publicURL } }),
    ...(target.folderURL !== undefined && { [REPO_FOLDER_LINK]: { title: `${target.path} in Git`, url: target.folderURL } }),
    ...links,
  };
}

export function applicationTemplate(name: string, target: ApplicationTarget, settings: ApplicationSettings): ApplicationTemplate {
  const ignoreDifferences = hpaOwnedFields(settings.autoscaledDeployments ?? []);
  const type = target.source.type ?? "kustomize";
  const links = settings.links ?? {};
  return {
    metadata: {
      name,
      namespace: settings.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
      labels: slipwayLabels({ env: target.env, stack: target.stack }),
      annotations: {
        // Manifests come from this folder alone: a commit elsewhere in the repository regenerates nothing.
        [MANIFEST_GENERATE_PATHS]: ".",
        ...linkAnnotations(allLinks(target, links)),
        ...notificationAnnotations(settings.notifications ?? []),
      },
      ...(settings.finalizer && { finalizers: [RESOURCES_FINALIZER] }),
    },
    spec: {
      project: target.project,
      source: {
        repoURL: target.source.repoURL,
        targetRevision: target.source.targetRevision,
        path: target.path,
        // kustomization.yaml is not a manifest: a plain folder read must skip it.
        ...(type === "directory" ? { directory: { recurse: false, exclude: "kustomization.yaml" } } : { kustomize: {} }),
      },
      destination: { ...target.cluster, namespace: target.namespace },
      syncPolicy: syncPolicy(settings.sync ?? {}, ignoreDifferences.length > 0),
      ...(ignoreDifferences.length > 0 && { ignoreDifferences }),
      revisionHistoryLimit: settings.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT,
      info: info(target, links),
    },
  };
}
