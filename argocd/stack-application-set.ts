/**
 * Stacks through one ApplicationSet: a list generator with one element per stack × environment and one
 * Application template, instead of one Application object per stack in dist/argocd/. Its elements may
 * span several environments (clusters) that share one template: a fan-out over many clusters.
 */
import type { IApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { DEFAULT_ARGOCD_NAMESPACE, DEFAULT_REVISION_HISTORY_LIMIT, type Notification } from "../environments/argocd";
import { applicationTemplate, checkLinks, type ClusterRef, type SourceType } from "./lib/application-template";
import {
  assertProps,
  dnsLabel,
  exactlyOneCluster,
  httpUrl,
  nonEmpty,
  nonNegativeInteger,
  type Problem,
  repoPath,
  unique,
} from "./lib/checks";
import { slipwayLabels, waveAnnotation, WAVES } from "./lib/metadata";
import { checkSync, type SyncSettings } from "./lib/sync";

/** One stack in one environment: the generator's parameters for its Application. */
export interface ApplicationSetElement {
  /** Environment name; the generated Application is `<stack>-<env>`. */
  readonly env: string;
  /** Stack name. */
  readonly stack: string;
  /** AppProject of the stack's Application. */
  readonly project: string;
  /** The environment's cluster; every element names its cluster the same way (server or name). */
  readonly cluster: ClusterRef;
  /** The stack's namespace in that environment. */
  readonly namespace: string;
  /** The stack's rendered folder, e.g. `dist/prod/web`. */
  readonly path: string;
  /** Branch, tag or commit the environment syncs from. */
  readonly targetRevision: string;
  /** The stack's public URL, linked from the UI. */
  readonly publicURL: string;
  /**
   * The web page of `path` in the repository.
   * @default - no repo-folder link (then on no element: the template is shared)
   */
  readonly folderURL?: string;
  /**
   * The environment file, shown in the UI's info panel.
   * @default - the environment's name only (then on no element)
   */
  readonly envFile?: string;
}

export interface StackApplicationSetProps {
  /** One element per stack × environment. */
  readonly elements: readonly ApplicationSetElement[];
  /** The Git repository holding `dist/`. */
  readonly repoURL: string;
  /**
   * The ApplicationSet's name.
   * @default `stacks-${env}` when every element has one environment (required otherwise)
   */
  readonly name?: string;
  /**
   * How Argo CD reads each folder.
   * @default "kustomize"
   */
  readonly sourceType?: SourceType;
  /**
   * Namespace of Argo CD on the management cluster.
   * @default "argocd"
   */
  readonly argocdNamespace?: string;
  /**
   * How every generated Application syncs.
   * @default - manual sync, no namespace creation, client-side apply, DEFAULT_RETRY
   */
  readonly sync?: SyncSettings;
  /**
   * Generated Applications carry the resources finalizer, and deleting the ApplicationSet deletes their resources.
   * @default false
   */
  readonly finalizer?: boolean;
  /**
   * Past syncs kept for rollback.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
  /**
   * Deployments an HPA scales in any of the stacks: the template is shared, so it ignores all of them.
   * @default []
   */
  readonly autoscaledDeployments?: readonly string[];
  /**
   * Links for the UI by name, shared by every generated Application.
   * @default {}
   */
  readonly links?: Readonly<Record<string, string>>;
  /**
   * Argo CD notifications subscriptions of every generated Application.
   * @default []
   */
  readonly notifications?: readonly Notification[];
}

/** The generator's parameters; the template refers to them as `{{.name}}`. */
type Params = Record<string, string>;
const param = (key: string) => `{{.${key}}}`;

function params(e: ApplicationSetElement): Params {
  return {
    env: e.env,
    stack: e.stack,
    project: e.project,
    ...(e.cluster.server !== undefined ? { server: e.cluster.server } : { cluster: e.cluster.name ?? "" }),
    namespace: e.namespace,
    path: e.path,
    targetRevision: e.targetRevision,
    publicURL: e.publicURL,
    ...(e.folderURL !== undefined && { folderURL: e.folderURL }),
    ...(e.envFile !== undefined && { envFile: e.envFile }),
  };
}

function checkElement(e: ApplicationSetElement, i: number): Problem[] {
  const field = `elements[${i}]`;
  return [
    dnsLabel(`${field}.env`, e.env),
    dnsLabel(`${field}.stack`, e.stack),
    dnsLabel(`${field} Application name`, `${e.stack}-${e.env}`),
    dnsLabel(`${field}.project`, e.project),
    exactlyOneCluster(`${field}.cluster`, e.cluster),
    dnsLabel(`${field}.namespace`, e.namespace),
    repoPath(`${field}.path`, e.path),
    httpUrl(`${field}.publicURL`, e.publicURL),
    ...(e.folderURL !== undefined ? [httpUrl(`${field}.folderURL`, e.folderURL)] : []),
  ];
}

/** Keys the template uses must exist in every element: `missingkey=error` fails generation otherwise. */
function sameKeys(elements: readonly ApplicationSetElement[]): Problem[] {
  const keys = elements.map((e) => Object.keys(params(e)).sort().join(","));
  return keys.every((k) => k === keys[0])
    ? []
    : ["'elements' must all name their cluster the same way and all set (or all leave out) folderURL and envFile: the template is shared"];
}

export class StackApplicationSet extends Construct {
  readonly name: string;
  /** The Applications it generates, by name, in element order. */
  readonly applicationNames: readonly string[];
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: StackApplicationSetProps) {
    super(scope, id);
    const envs = [...new Set(props.elements.map((e) => e.env))];
    this.name = props.name ?? (envs.length === 1 ? `stacks-${envs[0]}` : "stacks");
    this.applicationNames = props.elements.map((e) => `${e.stack}-${e.env}`);
    const sync = props.sync ?? {};
    const links = props.links ?? {};
    const autoscaled = props.autoscaledDeployments ?? [];
    const [first] = props.elements;
    assertProps(`StackApplicationSet '${this.name}'`, [
      props.name === undefined && envs.length > 1
        ? `'name' is required when the elements span several environments (${envs.join(", ")})`
        : dnsLabel("name", this.name),
      nonEmpty("elements", props.elements),
      unique("elements (Application names)", this.applicationNames),
      ...props.elements.flatMap(checkElement),
      ...sameKeys(props.elements),
      nonNegativeInteger("revisionHistoryLimit", props.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT),
      unique("autoscaledDeployments", autoscaled),
      ...Object.entries(links).map(([name, url]) => httpUrl(`links.${name}`, url)),
      ...checkLinks("links", links),
      ...checkSync("sync", sync),
    ]);

    const finalizer = props.finalizer ?? false;
    const argocdNamespace = props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE;
    const template = applicationTemplate({
      name: `${param("stack")}-${param("env")}`,
      env: param("env"),
      stack: param("stack"),
      project: param("project"),
      argocdNamespace,
      source: { repoURL: props.repoURL, targetRevision: param("targetRevision"), type: props.sourceType },
      path: param("path"),
      cluster: first.cluster.server !== undefined ? { server: param("server") } : { name: param("cluster") },
      namespace: param("namespace"),
      sync,
      finalizer,
      revisionHistoryLimit: props.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT,
      autoscaledDeployments: autoscaled,
      envFile: first.envFile !== undefined ? param("envFile") : undefined,
      publicURL: param("publicURL"),
      folderURL: first.folderURL !== undefined ? param("folderURL") : undefined,
      links,
      notifications: props.notifications ?? [],
    });
    const applicationSet: IApplicationSet = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: {
        name: this.name,
        namespace: argocdNamespace,
        labels: slipwayLabels(envs.length === 1 ? { env: envs[0] } : {}),
        annotations: waveAnnotation(WAVES.application),
      },
      spec: {
        goTemplate: true,
        // A parameter missing from an element must fail generation, not render an empty path.
        goTemplateOptions: ["missingkey=error"],
        generators: [{ list: { elements: props.elements.map(params) } }],
        template,
        // Without the finalizer, deleting the ApplicationSet (or a stack leaving it) keeps what runs.
        syncPolicy: { preserveResourcesOnDeletion: !finalizer },
      },
    };
    this.object = new ApiObject(this, "Resource", applicationSet);
  }
}
