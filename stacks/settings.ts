/**
 * The settings schema of every stack, by the name environment files use under `stacks:`.
 * Pure zod, so the environment schema (and the Pulumi bootstrap) can use it without cdk8s.
 */
import { WebSettings } from "./web-settings";

export const stackSettings = {
  web: WebSettings,
};
export type StackName = keyof typeof stackSettings;
