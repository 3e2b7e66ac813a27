/** What a stack is given to build itself for one environment. */
import type { EnvironmentData, StackSettingsSchema } from "../environments";

export interface StackContext<S> {
  /** Stack name, as under `stacks:` in the environment file. */
  readonly stack: string;
  /** Environment name, e.g. `prod`. */
  readonly envName: string;
  /** The environment's shared sections: cluster, ingress, secrets, policy, argocd. */
  readonly env: Omit<EnvironmentData<Record<string, StackSettingsSchema>>, "stacks">;
  /** This stack's settings in this environment, defaults applied. */
  readonly settings: S;
}
