/**
 * A step that runs to completion on every sync, as an Argo CD hook in its own wave: schema migrations
 * before the new version rolls out, or a step that needs the new version running (a re-index) after it.
 * The hook's Job is replaced on each sync (BeforeHookCreation), so its immutable template never blocks a
 * change; a failed step fails the sync before anything later in it is applied.
 */
import type { Construct } from "constructs";
import { k8s } from "./lib/k8s";
import { APP_DEFAULTS, Workload, type ContainerProps } from "./lib/workload";

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

const DEFAULTS = { ...APP_DEFAULTS, timeoutSeconds: 600, retries: 0 } as const;

export class Job extends Workload {
  static readonly defaults = DEFAULTS;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(scope, id, "Job", props.phase, props, { longRunning: false, resources: props.environmentOf?.resources }, props.environmentOf);
    const labels = this.labels(props.image.tag);
    new k8s.KubeJob(this, "job", {
      metadata: { name: this.name, labels, annotations: SYNC_HOOK_ANNOTATIONS },
      spec: this.runToCompletion(labels, { timeoutSeconds: props.timeoutSeconds ?? DEFAULTS.timeoutSeconds, retries: props.retries ?? DEFAULTS.retries }, "Never"),
    });
  }
}
