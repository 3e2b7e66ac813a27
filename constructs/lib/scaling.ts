/** Replica counts, autoscaling and disruption budgets for stateless workloads. */
import { replicasProblem } from "../../lib/bounds";
import { PropsError } from "../../lib/errors";
import { ApiObject } from "cdk8s";
import { k8s } from "./k8s";
import type { Construct, IConstruct } from "constructs";

export interface AutoscalingBounds {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Average CPU utilisation (of the request) the HPA steers towards.
   * @default 75
   */
  readonly targetCPUUtilizationPercentage?: number;
}

/** How many pods a stateless workload runs. */
export interface ScalingProps {
  /**
   * Fixed replica count; leave unset when `autoscaling` is set.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * HPA bounds. When set the Deployment carries no `replicas` field, so a sync never fights the HPA.
   * @default - no autoscaling
   */
  readonly autoscaling?: AutoscalingBounds;
  /**
   * Require at least two pods at all times (prod). Whenever two or more pods can run, they are spread
   * over nodes and zones and a PDB keeps one up during drains, whatever this says.
   * @default - the stack's policy (the `slipway:highAvailability` context of the chart), else false
   */
  readonly highAvailability?: boolean;
}

/** Context key a chart sets once for every component in it: the environment's high-availability policy. */
export const HIGH_AVAILABILITY_CONTEXT = "slipway:highAvailability";

/** `props` with `highAvailability` resolved from the chart's context where the props are silent. */
export function resolveScaling(scope: IConstruct, props: ScalingProps): ScalingProps {
  const fromContext = scope.node.tryGetContext(HIGH_AVAILABILITY_CONTEXT) as boolean | undefined;
  return {
    ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
    ...(props.autoscaling !== undefined ? { autoscaling: props.autoscaling } : {}),
    highAvailability: props.highAvailability ?? fromContext ?? false,
  };
}

/** Checks scaling props; `owner` names the construct in messages, e.g. `Api 'api'`. */
export function checkScaling(owner: string, props: ScalingProps): void {
  const { replicas, autoscaling } = props;
  if (replicas !== undefined && autoscaling) {
    throw new PropsError(`${owner}: set either 'replicas' or 'autoscaling', not both (got replicas ${replicas} and autoscaling)`);
  }
  const counts = { replicas, "autoscaling.minReplicas": autoscaling?.minReplicas, "autoscaling.maxReplicas": autoscaling?.maxReplicas };
  for (const [field, count] of Object.entries(counts)) {
    const problem = count === undefined ? undefined : replicasProblem(count);
    if (problem) throw new PropsError(`${owner}: '${field}': ${problem}`);
  }
  if (autoscaling) {
    const { minReplicas, maxReplicas } = autoscaling;
    if (maxReplicas < minReplicas) {
      throw new PropsError(`${owner}: 'autoscaling.maxReplicas' must be an integer ≥ minReplicas ${minReplicas} (got ${maxReplicas})`);
    }
  }
  if (props.highAvailability && autoscaling && autoscaling.minReplicas < 2) {
    throw new PropsError(`${owner}: high availability needs autoscaling.minReplicas ≥ 2 (got ${autoscaling.minReplicas})`);
  }
  if (props.highAvailability && !autoscaling && (replicas ?? 1) < 2) {
    throw new PropsError(
      `${owner}: high availability needs at least 2 pods (got ${replicas ?? 1} replica); set replicas ≥ 2 or autoscaling.minReplicas ≥ 2`,
    );
  }
}

/** The most pods the workload can run: replicas, or the HPA's upper bound. */
export function maxPods(props: ScalingProps): number {
  return props.autoscaling ? props.autoscaling.maxReplicas : (props.replicas ?? 1);
}

/** The Deployment's `replicas` field: absent under an HPA, which owns it. */
export function replicasField(props: ScalingProps): { replicas?: number } {
  return props.autoscaling ? {} : { replicas: props.replicas ?? 1 };
}

/** An HPA when autoscaling is set, and a PDB whenever two or more pods can run. */
export function addScalingObjects(
  scope: Construct,
  target: ApiObject,
  labels: Record<string, string>,
  selector: Record<string, string>,
  props: ScalingProps,
): void {
  const name = target.name;
  if (props.autoscaling) {
    new k8s.KubeHorizontalPodAutoscalerV2(scope, "hpa", {
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name },
        minReplicas: props.autoscaling.minReplicas,
        maxReplicas: props.autoscaling.maxReplicas,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: props.autoscaling.targetCPUUtilizationPercentage ?? 75 },
            },
          },
        ],
      },
    });
  }
  if (maxPods(props) >= 2) {
    new k8s.KubePodDisruptionBudget(scope, "pdb", {
      metadata: { name, labels },
      // AlwaysAllow: a pod that is not ready protects nothing, and must not block a node drain.
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        unhealthyPodEvictionPolicy: "AlwaysAllow",
        selector: { matchLabels: selector },
      },
    });
  }
}
