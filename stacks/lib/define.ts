/**
 * What a stack is: one file, `stacks/<name>.ts`, found by its file name, whose default export pairs the
 * settings an environment file gives it (a zod schema extending StackBase) with the function that builds
 * it into a cdk8s scope from those settings. Nothing else registers it.
 */
import type { Construct } from "constructs";
import type { z } from "zod";
import type { SecretStore } from "../../constructs/secret-store";
import type { SharedSections, StackSettingsSchema } from "../../environments";

export interface StackContext<S> {
  /** Stack name: its file name, and its key under `stacks:` in the environment files. */
  readonly stack: string;
  /** The environment: its name and the sections every stack shares (cluster, ingress, secrets, policy, argocd). */
  readonly env: SharedSections & { readonly name: string };
  /** This stack's settings in this environment, defaults applied. */
  readonly settings: S;
  /** The stack's secret store (Vault with the stack's own role, or the generator), created on first use. */
  readonly secrets: SecretStore;
}

export interface StackDefinition<Schema extends StackSettingsSchema = StackSettingsSchema> {
  /** What an environment file may say about the stack. */
  readonly settings: Schema;
  /** Builds the stack's components into `scope` (a chart in the stack's namespace). */
  build(scope: Construct, ctx: StackContext<z.output<Schema>>): void;
}

/** Types a stack's definition: `export default defineStack({ settings, build })`. */
export function defineStack<Schema extends StackSettingsSchema>(definition: StackDefinition<Schema>): StackDefinition<Schema> {
  return definition;
}
