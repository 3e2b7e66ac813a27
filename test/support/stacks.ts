/** The repository's stacks, as the render pipeline finds them, for tests that parse environment files. */
import { join } from "node:path";
import { loadStacks, settingsOf } from "../../render/stacks";

export const ROOT = join(__dirname, "../..");
export const stacks = loadStacks();
/** Every stack's settings schema, by name: what `parseEnvironment` and `loadEnvironments` take. */
export const stackSettings = settingsOf(stacks);
