/**
 * Every stack Slipway renders, by the name environment files use under `stacks:`. Adding a stack: write
 * its settings schema (stacks/<name>-settings.ts, registered in stacks/settings.ts) and its builder here.
 */
import type { Construct } from "constructs";
import type { z } from "zod";
import type { StackContext } from "./context";
import { stackSettings, type StackName } from "./settings";
import { webStack } from "./web";

export type StackBuilder<S> = (scope: Construct, ctx: StackContext<S>) => void;

export const stackBuilders: { [K in StackName]: StackBuilder<z.output<(typeof stackSettings)[K]>> } = {
  web: webStack,
};

export { stackSettings, type StackName };
