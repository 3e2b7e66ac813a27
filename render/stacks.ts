/**
 * The stacks of this repository, found by their file names: every `stacks/<name>.ts` is a stack named
 * `<name>` whose default export is its definition (stacks/lib/define.ts). Adding a stack is adding a file.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { DNS_LABEL, matches } from "../lib/formats";
import { ConfigError } from "../lib/errors";
import type { StackSettingsSchema } from "../environments";
import type { StackDefinition } from "../stacks/lib/define";

/** Where the stacks are, relative to the project root. */
export const STACKS_FOLDER = "stacks";
/**
 * The folder itself, found from this module rather than the working directory: stacks are code, bundled
 * with it (render/ as source, .build/ as the launcher's bundle, both inside the project).
 */
function stacksDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, STACKS_FOLDER))) return join(dir, STACKS_FOLDER);
    if (dirname(dir) === dir) throw new Error(`no ${STACKS_FOLDER}/ folder above ${__dirname}`);
  }
}

const STACK_FILE = /^(.+)\.ts$/;

/** The stack names, sorted: every `.ts` file directly in stacks/. */
export function stackNames(): string[] {
  return readdirSync(stacksDir(), { withFileTypes: true })
    .filter((e) => e.isFile() && STACK_FILE.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => STACK_FILE.exec(e.name)![1]!)
    .sort();
}

/** Every stack's definition, by name; a file that is not a stack is an error naming it and the fix. */
export function loadStacks(): Map<string, StackDefinition> {
  const problems: string[] = [];
  const stacks = new Map<string, StackDefinition>();
  for (const name of stackNames()) {
    const file = `${STACKS_FOLDER}/${name}.ts`;
    if (!matches(DNS_LABEL, name)) {
      problems.push(`${file}: '${name}' names Argo CD Applications and folders of dist/, so it must be ${DNS_LABEL.expected}; rename the file`);
      continue;
    }
    // A template literal, so esbuild bundles every file of the folder and jest resolves it as it is.
    const exported = (require(`../stacks/${name}.ts`) as { default?: Partial<StackDefinition> }).default;
    if (!exported || typeof exported.build !== "function" || !exported.settings) {
      problems.push(`${file}: expected \`export default defineStack({ settings, build })\` (stacks/lib/define.ts); a helper shared by stacks belongs in stacks/lib/`);
      continue;
    }
    stacks.set(name, exported as StackDefinition);
  }
  if (problems.length) throw new ConfigError(problems);
  return stacks;
}

/** The settings schema of every stack, by name, for the environment schema. */
export function settingsOf(stacks: ReadonlyMap<string, StackDefinition>): Record<string, StackSettingsSchema> {
  return Object.fromEntries([...stacks].map(([name, s]) => [name, s.settings]));
}
