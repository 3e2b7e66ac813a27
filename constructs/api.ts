/**
 * An HTTP API (FastAPI, Django, Wagtail…): a Deployment and Service probed on a health path, an HPA or a
 * fixed replica count, a PDB when it runs two or more pods, and its migrations as Jobs that share its
 * environment: one before the new version rolls out, optionally one after.
 */
import type { Construct } from "constructs";
import { Job, type JobStepProps } from "./job";
import type { ScalingProps } from "./lib/scaling";
import { APP_DEFAULTS, Workload, type WorkloadProps } from "./lib/workload";

export interface ApiProps extends Omit<WorkloadProps, "ports">, ScalingProps {
  /**
   * Port the server listens on.
   * @default 8000
   */
  readonly port?: number;
  /**
   * Path answering 200 when the process is healthy; all three probes use it (unless `probe` says otherwise).
   * @default "/healthz"
   */
  readonly healthPath?: string;
  /**
   * Schema migration, run with the API's image and environment before the new version rolls out.
   * @default - none
   */
  readonly migration?: JobStepProps;
  /**
   * A step run once the new version is up (e.g. a search re-index), with the API's image and environment.
   * @default - none
   */
  readonly afterRollout?: JobStepProps;
  /**
   * How a new version replaces the old: `Recreate` stops the old pod first (one writer on a
   * ReadWriteOnce volume, e.g. SQLite).
   * @default "RollingUpdate"
   */
  readonly strategy?: "RollingUpdate" | "Recreate";
}

const DEFAULTS = { ...APP_DEFAULTS, port: 8000, healthPath: "/healthz" } as const;

export class Api extends Workload {
  static readonly defaults = DEFAULTS;
  /** The migration Job; undefined without one. */
  readonly migration?: Job;
  readonly afterRollout?: Job;

  constructor(scope: Construct, id: string, props: ApiProps) {
    const port = props.port ?? DEFAULTS.port;
    super(scope, id, "Api", "app", props, {
      longRunning: true,
      ports: { http: port },
      probe: { http: props.healthPath ?? DEFAULTS.healthPath, port: "http" },
    });
    const labels = this.labels(props.image.tag);
    this.addDeployment(labels, props, props.strategy);
    this.addService(labels);
    const step = (suffix: string, phase: "pre-rollout" | "post-rollout", step: JobStepProps) =>
      new Job(this, `${this.name}-${suffix}`, { ...step, phase, image: props.image, environmentOf: this, ...pick(props) });
    if (props.migration) this.migration = step("migrate", "pre-rollout", props.migration);
    if (props.afterRollout) this.afterRollout = step("after-rollout", "post-rollout", props.afterRollout);
  }
}

/** What a migration Job inherits from its API besides the image and environment. */
function pick(props: ApiProps) {
  return {
    ...(props.volumes ? { volumes: props.volumes } : {}),
    ...(props.writablePaths ? { writablePaths: props.writablePaths } : {}),
    ...(props.runAsUser !== undefined ? { runAsUser: props.runAsUser } : {}),
  };
}
