/**
 * A command run on a schedule (backups, reports, clean-ups): a CronJob whose runs never overlap, in a
 * time zone the cluster resolves itself, keeping a few finished runs to read their logs.
 */
import { PropsError } from "../lib/errors";
import type { Construct } from "constructs";
import { CRON_EXAMPLE, cronScheduleProblem } from "../lib/cron";
import { k8s } from "./lib/k8s";
import { APP_DEFAULTS, Workload, type ContainerProps, type InitContainerProps } from "./lib/workload";

export interface CronJobProps extends ContainerProps {
  /** Five-field cron schedule (or a macro such as @daily), read in `timeZone`. */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule.
   * @default "Etc/UTC"
   */
  readonly timeZone?: string;
  /**
   * Longest a run may take before it is stopped.
   * @default 3600
   */
  readonly timeoutSeconds?: number;
  /**
   * Retries of a failed run before it counts as failed.
   * @default 2
   */
  readonly retries?: number;
  /**
   * Annotations of the CronJob, e.g. `slipway.dev/backup-of` naming the database it backs up.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Steps run in order before the main container, each to completion (e.g. a dump before its upload).
   * @default []
   */
  readonly initContainers?: readonly InitContainerProps[];
  /**
   * uid the image runs as (never 0).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * gid the image runs as; also owns mounted volumes.
   * @default the uid
   */
  readonly runAsGroup?: number;
}

const DEFAULTS = { ...APP_DEFAULTS, timeZone: "Etc/UTC", timeoutSeconds: 3600, retries: 2 } as const;

export class CronJob extends Workload {
  static readonly defaults = DEFAULTS;

  constructor(scope: Construct, id: string, props: CronJobProps) {
    super(scope, id, "CronJob", "last", props, { longRunning: false });
    const me = this.description;
    const problem = cronScheduleProblem(props.schedule);
    if (problem) throw new PropsError(`${me}: 'schedule' must be ${CRON_EXAMPLE} (got '${props.schedule}': ${problem})`);
    const labels = this.labels(props.image.tag);
    new k8s.KubeCronJob(this, "cronjob", {
      metadata: { name: this.name, labels, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone ?? DEFAULTS.timeZone,
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: this.runToCompletion(labels, { timeoutSeconds: props.timeoutSeconds ?? DEFAULTS.timeoutSeconds, retries: props.retries ?? DEFAULTS.retries }, "OnFailure"),
        },
      },
    });
  }
}
