/**
 * A step that runs to completion on every sync, as an Argo CD hook in its own wave: schema migrations
 * before the new version rolls out, or a step that needs the new version running (a re-index) after it.
 * The hook's Job is replaced on each sync (BeforeHookCreation), so its immutable template never blocks a
 * change; a failed step fails the sync before anything later in it is applied.
 */
import { PropsError } from "../lib/errors";
import type { Construct } from "constructs";
import { serviceAccount } from "./lib/component";
import { k8s } from "./lib/k8s";
import type { ResourceRequirements } from "./lib/pod";
import { Workload, type ContainerProps } from "./lib/workload";

export type JobPhase = "data-setup" | "pre-rollout" | "post-rollout";

/** One run of a command, as a Job or a companion of another component. */
export interface JobStepProps {
  /** The command, e.g. `["alembic", "upgrade", "head"]`. */
  readonly command: readonly string[];
  /**
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Longest a run may take before it fails the sync.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Runs retried after a failure before the sync fails; retries must be safe, so the default is none.
   * @default 0
   */
  readonly retries?: number;
}

export interface JobProps extends Omit<ContainerProps, "command" | "args">, JobStepProps {
  /** When in the sync it runs: after the data stores are up, before the apps roll out, or after. */
  readonly phase: JobPhase;
  /**
   * uid the image runs as (never 0).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Share the environment of this component (its variables and connections) instead of having one's own:
   * a migration sees exactly what its app sees.
   * @default - an environment of its own
   */
  readonly environmentOf?: Workload;
}

/** Argo CD runs hooks of the Sync phase in their wave, like other objects; PreSync would run before everything, databases included. */
export const SYNC_HOOK_ANNOTATIONS = {
  "argocd.argoproj.io/hook": "Sync",
  "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
};

const DEFAULTS = {
  timeoutSeconds: 600,
  retries: 0,
  runAsUser: 10001,
  resources: { cpu: "100m", memory: "256Mi" } satisfies ResourceRequirements,
} as const;

export class Job extends Workload {
  static readonly defaults = DEFAULTS;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(
      scope,
      id,
      "Job",
      props.phase,
      props,
      { longRunning: false, ports: {}, resources: props.environmentOf?.resources ?? DEFAULTS.resources, runAsUser: DEFAULTS.runAsUser, writablePaths: ["/tmp"] },
      props.environmentOf,
    );
    const me = this.description;
    const timeout = props.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
    const retries = props.retries ?? DEFAULTS.retries;
    if (!Number.isInteger(timeout) || timeout < 1) throw new PropsError(`${me}: 'timeoutSeconds' must be an integer ≥ 1 (got ${timeout})`);
    if (!Number.isInteger(retries) || retries < 0) throw new PropsError(`${me}: 'retries' must be an integer ≥ 0 (got ${retries})`);
    const labels = this.labels(props.image.tag);
    serviceAccount(this, this.name, labels);
    new k8s.KubeJob(this, "job", {
      metadata: { name: this.name, labels, annotations: SYNC_HOOK_ANNOTATIONS },
      spec: {
        backoffLimit: retries,
        activeDeadlineSeconds: timeout,
        template: this.podTemplate(labels, { restartPolicy: "Never" }),
      },
    });
  }
}
