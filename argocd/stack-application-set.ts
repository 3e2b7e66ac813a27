/**
 * Stacks through one ApplicationSet: a list generator with one element per stack × environment and one
 * Application template, instead of one Application object per stack in dist/argocd/. Its elements may
 * span several environments (clusters) that share one template: a fan-out over many clusters.
 */
import type { IApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import {
  applicationTemplate,
  checkApplication,
  type ApplicationSettings,
  type ApplicationTarget,
  type SourceType,
} from "./lib/application-template";
import { assertProps, dnsLabel, nonEmpty, unique, type Problem } from "./lib/checks";
import { childMetadata, WAVES } from "./lib/metadata";

/** One stack in one environment: the generator's parameters for its Application. */
export type ApplicationSetElement = Omit<ApplicationTarget, "source"> & {
  /** Branch, tag or commit the environment syncs from. */
  readonly targetRevision: string;
};

export interface StackApplicationSetProps extends ApplicationSettings {
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
}

/** The generator's parameters, flat: the template refers to them as `{{.name}}`. */
function params(e: ApplicationSetElement): Record<string, string> {
  const { cluster, ...rest } = e;
  const values = Object.entries(rest).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return {
    ...Object.fromEntries(values),
    ...(cluster.server !== undefined ? { server: cluster.server } : { cluster: cluster.name ?? "" }),
  };
}

/** An element whose every value is its own `{{.key}}` placeholder: what the shared template is built from. */
function placeholders(e: ApplicationSetElement): ApplicationSetElement {
  const { cluster, ...rest } = e;
  const filled = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value === undefined ? undefined : `{{.${key}}}`]));
  return {
    ...(filled as Omit<ApplicationSetElement, "cluster">),
    cluster: cluster.server !== undefined ? { server: "{{.server}}" } : { name: "{{.cluster}}" },
  };
}

/** Keys the template uses must exist in every element: `missingkey=error` fails generation otherwise. */
function sameKeys(elements: readonly ApplicationSetElement[]): Problem[] {
  const keys = elements.map((e) => Object.keys(params(e)).sort().join(","));
  return keys.every((k) => k === keys[0])
    ? []
    : ["'elements' must all name their cluster the same way and all set (or all leave out) folderURL, publicURL and envFile: the template is shared"];
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
    const targetOf = (e: ApplicationSetElement): ApplicationTarget => ({
      ...e,
      source: { repoURL: props.repoURL, targetRevision: e.targetRevision, type: props.sourceType },
    });
    assertProps(`StackApplicationSet '${this.name}'`, [
      props.name === undefined && envs.length > 1
        ? `'name' is required when the elements span several environments (${envs.join(", ")})`
        : dnsLabel("name", this.name),
      nonEmpty("elements", props.elements),
      unique("elements (Application names)", this.applicationNames),
      ...this.applicationNames.map((name, i) => dnsLabel(`elements[${i}] Application name`, name)),
      ...props.elements.flatMap((e, i) => checkApplication(targetOf(e), props, `elements[${i}]`)),
      ...sameKeys(props.elements),
    ]);

    const [first] = props.elements;
    const template = applicationTemplate("{{.stack}}-{{.env}}", targetOf(placeholders(first)), props);
    const applicationSet: IApplicationSet = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: childMetadata(this.name, props.argocdNamespace, envs.length === 1 ? { env: envs[0] } : {}, WAVES.application),
      spec: {
        goTemplate: true,
        // A parameter missing from an element must fail generation, not render an empty path.
        goTemplateOptions: ["missingkey=error"],
        generators: [{ list: { elements: props.elements.map(params) } }],
        template,
        // Without the finalizer, deleting the ApplicationSet (or a stack leaving it) keeps what runs.
        syncPolicy: { preserveResourcesOnDeletion: !props.finalizer },
      },
    };
    this.object = new ApiObject(this, "Resource", applicationSet);
  }
}
