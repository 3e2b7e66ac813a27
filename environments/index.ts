/**
 * Environments are data: one `environments/<env>.yaml` per environment, validated against the schema
 * built from the base sections below and each stack's settings, then checked as a whole: fields that
 * must agree within a file, and files that must agree with each other.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { z } from "zod";
import { LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../lib/errors";
import { ArgoCdSettings } from "./argocd";
import { formatIssues, type Path } from "./format";
import { Cluster, DnsLabel, Ingress, Policy, SecretStore, StackBase } from "./schema";

export { ConfigError } from "../lib/errors";
export * from "./schema";
export { ArgoCdSettings } from "./argocd";

/** Every stack's settings extend StackBase; the rest is the stack's own. */
export type StackSettingsSchema = z.ZodType<z.output<typeof StackBase>>;

const baseShape = {
  cluster: Cluster,
  ingress: Ingress,
  secrets: SecretStore,
  policy: Policy,
  argocd: ArgoCdSettings,
};

/**
 * The schema of one environment file, given the settings schema of every stack that may appear in it.
 * Without them (the Pulumi bootstrap), each stack is checked for its base fields only, the rest kept as is.
 */
export function environmentSchema<S extends Record<string, StackSettingsSchema>>(stacks?: S) {
  const stackSection = stacks
    ? z
        .object(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.optional()])) as { [K in keyof S]: z.ZodOptional<S[K]> })
        .strict()
    : z.record(DnsLabel, StackBase.loose());
  return z
    .object({ ...baseShape, stacks: stackSection.describe("Which stacks this environment runs, with their settings.") })
    .strict();
}

export type EnvironmentData<S extends Record<string, StackSettingsSchema>> = Omit<z.output<ReturnType<typeof environmentSchema<S>>>, "stacks"> & {
  readonly stacks: { readonly [K in keyof S]?: z.output<S[K]> };
};

/** The sections every stack of an environment shares: cluster, ingress, secrets, policy, argocd. */
export type SharedSections = Omit<EnvironmentData<Record<string, StackSettingsSchema>>, "stacks">;

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

/** A problem found on a parsed file, by field path, located and worded like a schema issue. */
interface FieldProblem {
  readonly path: Path;
  readonly message: string;
}

/** Parses and validates one environment file; throws ConfigError listing every problem found. */
export function parseEnvironment<S extends Record<string, StackSettingsSchema>>(file: string, text: string, stacks?: S): Environment<S> {
  const name = basename(file).replace(ENV_FILE, "");
  const problems: string[] = [];
  if (!DnsLabel.safeParse(name).success) {
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
  const schema = environmentSchema(stacks);
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    problems.push(...formatIssues(file, schema, parsed.error.issues, doc, lines));
    throw new ConfigError(problems);
  }
  const data = parsed.data as unknown as EnvironmentData<S>;
  const found = fieldProblems(data as EnvironmentData<Record<string, StackSettingsSchema>>);
  problems.push(...formatIssues(file, schema, found.map((p) => ({ code: "custom", path: [...p.path], message: p.message, input: undefined })), doc, lines));
  if (problems.length) throw new ConfigError(problems);
  return { name, file, data };
}

/**
 * What the schema cannot say field by field: replicas or autoscaling (not both), autoscaling bounds in
 * order, and the environment's policy (image digests, backups) on every stack's settings.
 */
function fieldProblems(data: EnvironmentData<Record<string, StackSettingsSchema>>): FieldProblem[] {
  const { policy } = data;
  const problems: FieldProblem[] = [];
  const visit = (value: unknown, path: Path): void => {
    if (!value || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    if (node.replicas !== undefined && node.autoscaling !== undefined) {
      problems.push({ path: [...path, "replicas"], message: "expected either replicas or autoscaling, not both" });
    }
    const bounds = node.autoscaling as { minReplicas?: number; maxReplicas?: number } | undefined;
    if (bounds?.minReplicas !== undefined && bounds.maxReplicas !== undefined && bounds.minReplicas > bounds.maxReplicas) {
      problems.push({ path: [...path, "autoscaling", "maxReplicas"], message: `expected maxReplicas ≥ minReplicas ${bounds.minReplicas}, got ${bounds.maxReplicas}` });
    }
    if (policy.requireImageDigests && "repository" in node && "tag" in node && !node.digest) {
      problems.push({
        path: [...path, "digest"],
        message: `missing: this environment pins images by digest (policy.requireImageDigests); add the digest of ${String(node.repository)}:${String(node.tag)}`,
      });
    }
    if (policy.requireBackups && node.backup === false) {
      problems.push({ path: [...path, "backup"], message: "expected a backup schedule, got false: this environment requires backups (policy.requireBackups)" });
    }
    for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
  };
  visit(data.stacks, ["stacks"]);
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
      const first = seen.get(key);
      if (first) {
        problems.push(
          `${env.file}: stacks.${stack}.namespace: '${settings.namespace}' is already used by ${first} on cluster ${env.data.cluster.server}; expected a namespace of its own`,
        );
      } else seen.set(key, `${env.file} stacks.${stack}`);
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
 * whole. Without `stacks`, stack sections are checked for their base fields only (the Pulumi bootstrap).
 * Throws ConfigError with every problem found, across all files.
 */
export function loadEnvironments<S extends Record<string, StackSettingsSchema>>(dir: string, stacks?: S, only?: readonly string[]): Environment<S>[] {
  const available = environmentNames(dir);
  const rel = relative(process.cwd(), dir) || ".";
  if (available.length === 0) throw new ConfigError([`${rel}: no environment files (expected ${rel}/<env>.yaml)`]);
  const unknown = unknownEnvironments(available, only ?? [], rel);
  if (unknown.length) throw new ConfigError(unknown);
  const problems: string[] = [];
  const envs: Environment<S>[] = [];
  const files = readdirSync(dir);
  for (const name of only ? [...only].sort() : available) {
    const fileName = files.find((f) => f.replace(ENV_FILE, "") === name)!;
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
