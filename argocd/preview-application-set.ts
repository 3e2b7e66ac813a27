/**
 * Pull-request previews of one stack: an ApplicationSet whose pull-request generator makes one Application
 * per open pull request carrying the preview labels. Each deploys the stack's folder as the pull request's
 * head commit renders it, into its own namespace `<stack>-pr-<number>`, at its own host; when the pull
 * request closes (or loses its label) the generator drops the Application, and its resources finalizer
 * deletes everything it deployed.
 *
 * The folder is moved into the preview namespace by kustomize (`kustomize.namespace`); the patches, derived
 * from the rendered objects, give the Ingress the preview's host and lift the data protection a disposable
 * preview must not have (Prune=false,Delete=false; retained StatefulSet claims).
 */
import type { IApplicationSet, IApplicationSourceKustomize } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { ARGOCD_SYNC_OPTIONS } from "../constructs/lib/data-protection";
import { AUTOMATED_RETRY, type Previews } from "../environments/argocd";
import { applicationTemplate, type ApplicationSettings, type ClusterRef } from "./lib/application-template";
import { assertProps, dnsLabel, exactlyOneCluster, repoPath } from "./lib/checks";
import { childMetadata, WAVES } from "./lib/metadata";
import type { RenderedResource } from "./lib/resources";

export interface PreviewApplicationSetProps extends ApplicationSettings {
  /** The environment whose rendering the previews deploy, e.g. `dev`. */
  readonly env: string;
  /** The stack previewed. */
  readonly stack: string;
  /** The AppProject of the previews (it allows `<stack>-pr-*` namespaces on the cluster). */
  readonly project: string;
  /** The Git repository holding `dist/`. */
  readonly repoURL: string;
  /** The stack's rendered folder, e.g. `dist/dev/web`. */
  readonly path: string;
  /** The cluster previews run on: the environment's. */
  readonly cluster: ClusterRef;
  /** The environment's preview settings: pull-request source, labels, host. */
  readonly previews: Previews;
  /** The objects the folder renders, to derive the patches from. */
  readonly resources: readonly RenderedResource[];
  /** The folder renders the stack's Namespace (then moved and deleted with the preview); else Argo CD creates it. */
  readonly rendersNamespace: boolean;
  /**
   * The ApplicationSet's name.
   * @default `preview-${stack}-${env}`
   */
  readonly name?: string;
}

type Json = Record<string, unknown>;

const pointer = (...keys: (string | number)[]) => `/${keys.map((k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

/** The JSON 6902 patches a preview applies to the folder, one per object that needs any, in render order. */
export function previewPatches(resources: readonly RenderedResource[], host: string): NonNullable<IApplicationSourceKustomize["patches"]> {
  return resources.flatMap((r) => {
    const object = r.toJson() as Json;
    const metadata = (object.metadata ?? {}) as Json;
    const spec = (object.spec ?? {}) as Json;
    const ops: Json[] = [];
    if (ARGOCD_SYNC_OPTIONS in ((metadata.annotations ?? {}) as Json)) {
      ops.push({ op: "remove", path: pointer("metadata", "annotations", ARGOCD_SYNC_OPTIONS) });
    }
    if (r.kind === "StatefulSet" && spec.persistentVolumeClaimRetentionPolicy !== undefined) {
      ops.push({ op: "replace", path: pointer("spec", "persistentVolumeClaimRetentionPolicy"), value: { whenDeleted: "Delete", whenScaled: "Delete" } });
    }
    if (r.kind === "Ingress") {
      ((spec.rules ?? []) as Json[]).forEach((_, i) => ops.push({ op: "replace", path: pointer("spec", "rules", i, "host"), value: host }));
      ((spec.tls ?? []) as Json[]).forEach((_, i) => ops.push({ op: "replace", path: pointer("spec", "tls", i, "hosts"), value: [host] }));
    }
    if (ops.length === 0) return [];
    const [group, version] = r.apiVersion.includes("/") ? r.apiVersion.split("/") : ["", r.apiVersion];
    return [{ target: { group, version, kind: r.kind, name: r.name }, patch: JSON.stringify(ops) }];
  });
}

export class PreviewApplicationSet extends Construct {
  readonly name: string;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: PreviewApplicationSetProps) {
    super(scope, id);
    this.name = props.name ?? `preview-${props.stack}-${props.env}`;
    assertProps(`PreviewApplicationSet '${this.name}'`, [
      dnsLabel("name", this.name),
      dnsLabel("project", props.project),
      dnsLabel("stack", props.stack),
      repoPath("path", props.path),
      exactlyOneCluster("cluster", props.cluster),
    ]);
    const namespace = `${props.stack}-pr-{{.number}}`;
    const host = props.previews.host.replaceAll("{number}", "{{.number}}").replaceAll("{stack}", props.stack);
    const template = applicationTemplate(
      `${props.stack}-pr-{{.number}}`,
      {
        env: `${props.env}-pr-{{.number}}`,
        stack: props.stack,
        project: props.project,
        source: { repoURL: props.repoURL, targetRevision: "{{.head_sha}}" },
        path: props.path,
        cluster: props.cluster,
        namespace,
        publicURL: `https://${host}`,
      },
      // A preview is disposable: it syncs itself and takes everything with it when it goes.
      {
        ...props,
        sync: {
          ...props.sync,
          automated: { prune: true, selfHeal: true },
          retry: AUTOMATED_RETRY,
          deletionProtection: false,
          createNamespace: !props.rendersNamespace,
        },
        finalizer: true,
      },
    );
    const kustomize: IApplicationSourceKustomize = { namespace, patches: previewPatches(props.resources, host) };
    const { github, labels, tokenRef, requeueAfterSeconds } = props.previews;
    const applicationSet: IApplicationSet = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: childMetadata(this.name, props.argocdNamespace, { env: props.env, stack: props.stack }, WAVES.application),
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [
          {
            pullRequest: {
              github: { owner: github.owner, repo: github.repo, ...(labels.length && { labels: [...labels] }), ...(tokenRef && { tokenRef: { ...tokenRef } }) },
              requeueAfterSeconds,
            },
          },
        ],
        template: { ...template, spec: { ...template.spec, source: { ...template.spec.source!, kustomize } } },
        // A closed pull request's Application goes, and with it (finalizer) everything it deployed.
        syncPolicy: { preserveResourcesOnDeletion: false },
      },
    };
    this.object = new ApiObject(this, "Resource", applicationSet);
  }
}
