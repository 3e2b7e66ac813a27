/**
 * The metadata and spec of one stack's Application. A StackApplication fills it with values; a
 * StackApplicationSet fills it with `{{.param}}` placeholders its generator replaces per stack.
 */
import { byCodePoint } from "../../lib/order";
import type {
  IApplicationSpec,
  IInfo,
  IResourceIgnoreDifferences,
} from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import {
  PUBLIC_URL_LINK,
  REPO_FOLDER_LINK,
  RESERVED_LINK_NAMES,
  type Notification,
} from "../../environments/argocd";
import { linkAnnotations, notificationAnnotations, RESOURCES_FINALIZER, slipwayLabels } from "./metadata";
import { syncPolicy, type SyncSettings } from "./sync";
import type { Problem } from "./checks";

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

export interface ApplicationTemplateInput {
  readonly name: string;
  readonly env: string;
  readonly stack: string;
  readonly project: string;
  readonly argocdNamespace: string;
  readonly source: GitSource;
  readonly path: string;
  readonly cluster: ClusterRef;
  readonly namespace: string;
  readonly sync: SyncSettings;
  readonly finalizer: boolean;
  readonly revisionHistoryLimit: number;
  readonly autoscaledDeployments: readonly string[];
  readonly envFile?: string;
  readonly publicURL?: string;
  readonly folderURL?: string;
  readonly links: Readonly<Record<string, string>>;
  readonly notifications: readonly Notification[];
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

export function checkLinks(field: string, links: Readonly<Record<string, string>>): Problem[] {
  return Object.keys(links)
    .filter((name) => RESERVED_LINK_NAMES.includes(name))
    .map((name) => `'${field}.${name}': '${name}' is the generator's own link; choose another name`);
}

/** An HPA owns a scaled Deployment's replicas: Argo CD must neither report them as drift nor reset them. */
export function hpaOwnedFields(deployments: readonly string[]): IResourceIgnoreDifferences[] {
  return [...deployments]
    .sort()
    .map((name) => ({ group: "apps", kind: "Deployment", name, jsonPointers: ["/spec/replicas"] }));
}

function info(input: ApplicationTemplateInput): IInfo[] {
  return [
    { name: "Environment", value: input.envFile ? `${input.env} (${input.envFile})` : input.env },
    ...(input.publicURL !== undefined ? [{ name: "URL", value: input.publicURL }] : []),
    { name: "Source", value: `${input.path} @ ${input.source.targetRevision}` },
    ...Object.entries(input.links)
      .sort(([a], [b]) => byCodePoint(a, b))
      .map(([name, value]) => ({ name, value })),
  ];
}

function links(input: ApplicationTemplateInput): Record<string, string> {
  return {
    ...(input.publicURL !== undefined && { [PUBLIC_URL_LINK]: input.publicURL }),
    ...(input.folderURL !== undefined && { [REPO_FOLDER_LINK]: input.folderURL }),
    ...input.links,
  };
}

export function applicationTemplate(input: ApplicationTemplateInput): ApplicationTemplate {
  const ignoreDifferences = hpaOwnedFields(input.autoscaledDeployments);
  const type = input.source.type ?? "kustomize";
  return {
    metadata: {
      name: input.name,
      namespace: input.argocdNamespace,
      labels: slipwayLabels({ env: input.env, stack: input.stack }),
      annotations: { ...linkAnnotations(links(input)), ...notificationAnnotations(input.notifications) },
      ...(input.finalizer && { finalizers: [RESOURCES_FINALIZER] }),
    },
    spec: {
      project: input.project,
      source: {
        repoURL: input.source.repoURL,
        targetRevision: input.source.targetRevision,
        path: input.path,
        // kustomization.yaml is not a manifest: a plain folder read must skip it.
        ...(type === "directory" ? { directory: { recurse: false, exclude: "kustomization.yaml" } } : { kustomize: {} }),
      },
      destination: { ...input.cluster, namespace: input.namespace },
      syncPolicy: syncPolicy(input.sync, ignoreDifferences.length > 0),
      ...(ignoreDifferences.length > 0 && { ignoreDifferences }),
      revisionHistoryLimit: input.revisionHistoryLimit,
      info: info(input),
    },
  };
}
