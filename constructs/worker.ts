/**
 * A process that serves no one over the network: a queue consumer, an indexer, an event pipeline. A
 * Deployment without a Service, probed by a command or an HTTP endpoint of its own.
 */
import type { Construct } from "constructs";
import type { HealthCheck } from "./lib/pod";
import type { ScalingProps } from "./lib/scaling";
import { APP_DEFAULTS, Workload, type WorkloadProps } from "./lib/workload";

export interface WorkerProps extends WorkloadProps, ScalingProps {
  /**
   * How the kubelet knows the worker is alive: a command (e.g. a heartbeat file's age) or an HTTP
   * endpoint on one of its `ports`. Required: a worker has no port to be probed by default.
   */
  readonly probe: HealthCheck;
  /**
   * How a new version replaces the old: `Recreate` stops the old pods first, for consumers that must
   * never run twice.
   * @default "RollingUpdate"
   */
  readonly strategy?: "RollingUpdate" | "Recreate";
}

export class Worker extends Workload {
  static readonly defaults = APP_DEFAULTS;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, "Worker", "app", props, { longRunning: true });
    this.addDeployment(this.labels(props.image.tag), props, props.strategy);
  }
}
