/**
 * A utility pod for operators: `kubectl exec -it deploy/<name> -- bash`, then psql, mongosh or curl against
 * the components it is connected to, and nothing else. No Service and no ingress rule: nothing calls it.
 * Its egress is exactly its connections (`jumpbox.connect(database)`), and it gets their variables
 * (`DATABASE_URL`…), which anyone allowed to exec into it could read in the app's pods anyway.
 *
 * Whether a stack runs one is the stack's decision (environments turn it on or off); the construct is
 * always one pod. Where the environment demands high availability (the chart's `slipway:highAvailability`
 * context), a second copy of a shell serves no one, so there its Deployment waives the rules that ask for two
 * pods, a PDB and a spread, with the reasons below.
 */
import type { Construct } from "constructs";
import { ALLOW_ANNOTATION } from "../lib/kube-object";
import type { ResourceRequirements } from "./lib/pod";
import { HIGH_AVAILABILITY_CONTEXT } from "./lib/scaling";
import { Workload, type WorkloadProps } from "./lib/workload";

export interface JumpboxProps extends Omit<WorkloadProps, "ports" | "initContainers"> {
  /**
   * What keeps the container running between `kubectl exec` sessions.
   * @default ["sleep", "infinity"]
   */
  readonly command?: readonly string[];
}

const DEFAULTS = {
  command: ["sleep", "infinity"],
  /** An exec probe succeeds exactly when `kubectl exec` into the container works, which is what the pod is for. */
  probe: { exec: ["true"] },
  resources: { cpu: "10m", memory: "128Mi" } satisfies ResourceRequirements,
  /** psql, mongosh and python keep their history and caches under $HOME; only /tmp is writable. */
  home: "/tmp",
} as const;

/** Why a jumpbox is exempt from the rules of highly available environments; the README repeats these. */
export const JUMPBOX_WAIVERS = {
  "min-replicas": "a jumpbox is one operator shell and a second copy would serve no one",
  "pdb-required": "evicting the jumpbox costs an operator a reconnect and nothing more",
  "topology-spread": "a single operator shell has no replicas to spread across nodes",
} as const;

export class Jumpbox extends Workload {
  static readonly defaults = DEFAULTS;

  constructor(scope: Construct, id: string, props: JumpboxProps) {
    super(scope, id, "Jumpbox", "app", props, {
      longRunning: true,
      probe: DEFAULTS.probe,
      resources: DEFAULTS.resources,
      command: DEFAULTS.command,
    });
    if (!this.hasEnv("HOME")) this.addEnv({ HOME: DEFAULTS.home }, "its shell");
    const deployment = this.addDeployment(this.labels(props.image.tag), { replicas: 1, highAvailability: false });
    if (this.node.tryGetContext(HIGH_AVAILABILITY_CONTEXT) === true) {
      deployment.metadata.addAnnotation(
        ALLOW_ANNOTATION,
        Object.entries(JUMPBOX_WAIVERS)
          .map(([rule, reason]) => `${rule}: ${reason}`)
          .join("\n"),
      );
    }
  }
}
