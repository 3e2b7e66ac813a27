/**
 * Environments are data: one `environments/<env>.yaml` per environment, validated against the schema
 * built from the base sections below and each registered stack's settings.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { z } from "zod";
import { LineCounter, parseDocument } from "yaml";
import { ArgoCdSettings } from "./argocd";
import { ConfigError } from "../lib/errors";
import { formatIssues } from "./format";
import { Cluster, DnsLabel, Ingress, Policy, SecretStore, StackBase } from "./schema";

export { ConfigError } from "../lib/errors";
export * from "./schema";
export { ArgoCdSettings } from "./argocd";

/** Every stack's settings share these two fields; the rest is the stack's own. */
export type StackSettingsSchema = z.ZodType<{ namespace: string; hosts: string[] }>;

const baseShape = {
  cluster: Cluster,
  ingress: Ingress,
  secrets: SecretStore,
  policy: Policy,
  argocd: ArgoCdSettings,
};

/** The schema of one environment file, given the settings schema of every stack that may appear in it. */
export function environmentSchema<S extends Record<string, StackSettingsSchema>>(stacks: S) {
  const stackShape = Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
  return z
    .object({
      ...baseShape,
      stacks: z.object(stackShape).strict().describe("Which stacks this environment runs, with their settings."),
    })
    .strict();
}

/**
 * An environment file as a reader that knows no stack's settings sees it (the Pulumi bootstrap): every stack is
 * checked for its base fields, `namespace` and `hosts`, and the rest of its settings is kept unchecked.
 */
const baseEnvironmentSchema = z
  .object({
    ...baseShape,
    stacks: z.record(DnsLabel, z.object(StackBase).loose()).describe("Which stacks this environment runs, with their settings."),
  })
  .strict();

export type EnvironmentData<S extends Record<string, StackSettingsSchema>> = z.output<
  ReturnType<typeof environmentSchema<S>>
>;

export interface Environment<S extends Record<string, StackSettingsSchema> = Record<string, StackSettingsSchema>> {
  /** The file's base name: `prod` for environments/prod.yaml. */
  readonly name: string;
  /** The file, relative to the working directory, for messages. */
  readonly file: string;
  readonly data: EnvironmentData<S>;
}

const ENV_FILE = /\.ya?ml$/;

/** The environment names found in `dir`, sorted. */
export function environmentNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => ENV_FILE.test(f))
    .map((f) => basename(f).replace(ENV_FILE, ""))
    .sort();
}

/**
 * Parses and validates one environment file against the given stacks' settings (or, without them, only their
 * base fields); throws ConfigError listing every problem found.
 */
export function parseEnvironment<S extends Record<string, StackSettingsSchema>>(
  file: string,
  text: string,
  stacks?: S,
): Environment<S> {
  const name = basename(file).replace(ENV_FILE, "");
  const problems: string[] = [];
  const nameCheck = DnsLabel.safeParse(name);
  if (!nameCheck.success) {
    problems.push(`${file}: file name '${name}' is not a valid environment name: expected a DNS label such as 'staging'`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const error of doc.errors) {
      const { line, col } = lines.linePos(error.pos[0]);
      problems.push(`${file}:${line}:${col}: YAML syntax error: ${error.message.split("\n")[0]}`);
    }
    throw new ConfigError(problems);
  }
  const raw: unknown = doc.toJS() ?? {};
  const schema = stacks ? environmentSchema(stacks) : baseEnvironmentSchema;
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    problems.push(...formatIssues(file, schema, parsed.error.issues, doc, lines));
    throw new ConfigError(problems);
  }
  const env: Environment<S> = { name, file, data: parsed.data as EnvironmentData<S> };
  problems.push(...policyProblems(env as Environment));
  if (problems.length) throw new ConfigError(problems);
  return env;
}

/** Where the image references and backup switches under `stacks:` break the environment's policy. */
function policyProblems(env: Environment): string[] {
  const { policy } = env.data;
  const problems: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (!value || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    if (policy.requireImageDigests && "repository" in node && "tag" in node && !node.digest) {
      problems.push(
        `${env.file}: ${path}.digest: missing: this environment pins images by digest (policy.requireImageDigests); add the digest of ${String(node.repository)}:${String(node.tag)}`,
      );
    }
    for (const [key, child] of Object.entries(node)) {
      if (policy.requireBackups && key === "backup" && child === false) {
        problems.push(`${env.file}: ${path}.backup: expected a backup schedule, got false: this environment requires backups (policy.requireBackups)`);
      }
      visit(child, `${path}.${key}`);
    }
  };
  visit(env.data.stacks, "stacks");
  return problems;
}

/** Two stacks may not share a namespace on one cluster: their default-deny policies and names would collide. */
function checkNamespaces(envs: readonly Environment[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const env of envs) {
    for (const [stack, settings] of Object.entries(env.data.stacks)) {
      if (!settings) continue;
      const key = `${env.data.cluster.server} ${settings.namespace}`;
      const owner = `${env.file} stacks.${stack}`;
      const first = seen.get(key);
      if (first) {
        problems.push(
          `${env.file}: stacks.${stack}.namespace: '${settings.namespace}' is already used by ${first} on cluster ${env.data.cluster.server}; expected a namespace of its own`,
        );
      } else seen.set(key, owner);
    }
  }
  return problems;
}

/** One problem per name in `wanted` that is not among `available` environments (found in `rel`). */
export function unknownEnvironments(available: readonly string[], wanted: readonly string[], rel: string): string[] {
  return wanted
    .filter((n) => !available.includes(n))
    .map((n) => `unknown environment '${n}': expected one of ${available.join(", ")} (files in ${rel}/)`);
}

/**
 * Loads the environments in `dir` (all of them, or just `only`), validating each file and the set as a
 * whole; without `stacks`, each stack only for its base fields. Throws ConfigError with every problem found,
 * across all files.
 */
export function loadEnvironments<S extends Record<string, StackSettingsSchema>>(
  dir: string,
  stacks?: S,
  only?: readonly string[],
): Environment<S>[] {
  const available = environmentNames(dir);
  const rel = relative(process.cwd(), dir) || ".";
  if (available.length === 0) throw new ConfigError([`${rel}: no environment files (expected ${rel}/<env>.yaml)`]);
  const unknown = unknownEnvironments(available, only ?? [], rel);
  if (unknown.length) throw new ConfigError(unknown);
  const problems: string[] = [];
  const envs: Environment<S>[] = [];
  for (const name of only ? [...only].sort() : available) {
    const fileName = readdirSync(dir).find((f) => f.replace(ENV_FILE, "") === name)!;
    const file = join(rel, fileName);
    try {
      envs.push(parseEnvironment(file, readFileSync(join(dir, fileName), "utf8"), stacks));
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  problems.push(...checkNamespaces(envs as readonly Environment[]));
  if (problems.length) throw new ConfigError(problems);
  return envs;
}
