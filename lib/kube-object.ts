/** A plain Kubernetes object as it is written to dist/ (or read back from any YAML). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One YAML file of the output: its path relative to dist/ and the objects in it, in order. */
export interface RenderedFile {
  /** e.g. `prod/web/api.yaml` or `argocd/applications.yaml` */
  readonly path: string;
  readonly objects: readonly KubeObject[];
}

/**
 * The annotation that waives policy rules for the object it is on: `<rule-id>: <reason>` entries, one a
 * line. The validation gate reads it; a construct that is a deliberate exception writes it.
 */
export const ALLOW_ANNOTATION = "slipway.dev/allow";
