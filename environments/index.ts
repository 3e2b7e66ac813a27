/**
 * Environments are data: one `environments/<env>.yaml` per environment, validated against the schema
 * built from the base sections below and each stack's settings, then checked as a whole: fields that
 * must agree within a file, and files that must agree with each other.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { z } from "zod";
import { memoryLimitProblem } from "../lib/bounds";
import { carriesCredentials, ConfigError, quoted } from "../lib/errors";
import { ArgoCdSettings } from "./argocd";
import { formatIssues, formatPath, locate, type Path } from "./format";
import { Cluster, DnsLabel, Ingress, Policy, SecretStore, StackBase } from "./schema";
import { readYaml, sizeProblem } from "./yaml";

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
  /** How a message names a field of the file: `environments/prod.yaml:31:5: stacks.web.hosts[0]`. */
  where(path: Path): string;
}

/** Problems listed per file: enough to fix a file in one go, never a flood of thousands of lines. */
const MAX_PROBLEMS = 100;

/**
 * Namespaces no stack may take. Kubernetes' own hold the control plane's objects; `default` is where anything
 * applied without a namespace lands. Argo CD's and the ingress controller's (named per environment) are
 * refused too: a stack's default-deny NetworkPolicy would cut Argo CD off its repository, or the controller
 * off its clients.
 */
export const SYSTEM_NAMESPACES: Readonly<Record<string, string>> = {
  default: "the namespace of everything applied without one",
  "kube-node-lease": "Kubernetes' own",
  "kube-public": "Kubernetes' own",
  "kube-system": "Kubernetes' own",
};

/**
 * What makes two cluster URLs the same cluster: the scheme, the host in lower case, the port (443 when
 * https:// leaves it out) and the path without trailing slashes. `https://K8S.example.com:443/` and
 * `https://k8s.example.com` are one cluster.
 */
export function clusterIdentity(server: string): string {
  const url = new URL(server);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
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

/** Parses and validates one environment file; throws ConfigError listing every problem found (at most MAX_PROBLEMS). */
export function parseEnvironment<S extends Record<string, StackSettingsSchema>>(file: string, text: string, stacks?: S): Environment<S> {
  const name = basename(file).replace(ENV_FILE, "");
  const problems: string[] = [];
  if (!DnsLabel.safeParse(name).success) {
    problems.push(`${file}: file name ${quoted(name)} is not a valid environment name: expected a DNS label such as 'staging'`);
  }
  const limited = (found: readonly string[]) =>
    found.length <= MAX_PROBLEMS ? found : [...found.slice(0, MAX_PROBLEMS), `${file}: … and ${found.length - MAX_PROBLEMS} more problem(s)`];
  let yaml;
  try {
    yaml = readYaml(file, text);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(limited([...problems, ...e.problems]));
    throw e;
  }
  const { doc, lines, value } = yaml;
  const where = (path: Path) => `${file}${locate(doc, lines, path)}: ${formatPath(path)}`;
  const schema = environmentSchema(stacks);
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const total = parsed.error.issues.length;
    problems.push(...formatIssues(file, schema, parsed.error.issues, doc, lines, MAX_PROBLEMS));
    if (total > MAX_PROBLEMS) problems.push(`${file}: … and ${total - MAX_PROBLEMS} more problem(s)`);
    throw new ConfigError(problems);
  }
  const data = parsed.data as unknown as EnvironmentData<S>;
  problems.push(...fieldProblems(data as EnvironmentData<Record<string, StackSettingsSchema>>).map((p) => `${where(p.path)}: ${p.message}`));
  if (problems.length) throw new ConfigError(limited(problems));
  return { name, file, data, where };
}

/** The URL fields of the shared sections, for the checks every URL gets. */
function urlFields(data: SharedSections): [Path, string][] {
  return [
    [["cluster", "server"], data.cluster.server],
    [["argocd", "repoURL"], data.argocd.repoURL],
    ...(data.secrets.provider === "vault" ? ([[["secrets", "server"], data.secrets.server]] as [Path, string][]) : []),
  ];
}

/**
 * What the schema cannot say field by field: replicas or autoscaling (not both), autoscaling bounds in
 * order, a memory limit below its request, the environment's policy (image digests, backups, TLS) on every
 * stack's settings, namespaces that are not a stack's to take, hosts the issuer cannot certify, and URLs
 * that carry credentials.
 */
function fieldProblems(data: EnvironmentData<Record<string, StackSettingsSchema>>): FieldProblem[] {
  const { policy } = data;
  const problems: FieldProblem[] = [];
  for (const [path, value] of urlFields(data)) {
    const url = new URL(value);
    if (carriesCredentials(url)) {
      problems.push({
        path,
        message: `expected a URL without credentials, got ${quoted(value)}: this file is committed; Argo CD, Vault and the cluster take credentials from their own secrets`,
      });
    }
    if (policy.requireImageDigests && url.protocol === "http:") {
      problems.push({
        path,
        message: `expected an https:// URL, got ${quoted(value)}: this environment runs production policy (policy.requireImageDigests), and plain http lets anyone on the path read or change what it carries`,
      });
    }
  }
  const reserved: Record<string, string> = {
    ...SYSTEM_NAMESPACES,
    [data.argocd.namespace]: "Argo CD's (argocd.namespace): a stack's default-deny policy would cut Argo CD off its repository",
    [data.ingress.controllerNamespace]: "the ingress controller's (ingress.controllerNamespace)",
  };
  const { solver } = data.ingress.tlsIssuer;
  for (const [stack, settings] of Object.entries(data.stacks)) {
    if (!settings) continue;
    const why = Object.hasOwn(reserved, settings.namespace) ? reserved[settings.namespace] : undefined;
    if (why) problems.push({ path: ["stacks", stack, "namespace"], message: `expected a namespace of the stack's own, got '${settings.namespace}', ${why}` });
    settings.hosts.forEach((host, i) => {
      if (solver === "http01" && host.startsWith("*.")) {
        problems.push({
          path: ["stacks", stack, "hosts", i],
          message: `expected a host name without '*', got '${host}': the issuer '${data.ingress.tlsIssuer.name}' solves HTTP-01 challenges, which cannot prove a wildcard; use an issuer that solves DNS-01 and say so (ingress.tlsIssuer.solver: dns01)`,
        });
      }
      const first = settings.hosts.indexOf(host);
      if (first !== i) problems.push({ path: ["stacks", stack, "hosts", i], message: `'${host}' is listed twice (first at hosts[${first}])` });
    });
  }
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
    if (typeof node.memory === "string" && typeof node.memoryLimit === "string") {
      const message = memoryLimitProblem(node.memory, node.memoryLimit);
      if (message) problems.push({ path: [...path, "memoryLimit"], message });
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

/**
 * What must hold across files on one cluster (clusters compared by clusterIdentity): no two stacks share a
 * namespace (their default-deny policies and object names would collide), and no host is served twice (two
 * Ingresses for one host: the controller picks one, and the certificates fight).
 */
function crossFileProblems(envs: readonly Environment[]): string[] {
  const namespaces = new Map<string, string>();
  const hosts = new Map<string, string>();
  const problems: string[] = [];
  for (const env of envs) {
    const cluster = clusterIdentity(env.data.cluster.server);
    const shown = env.data.cluster.server;
    for (const [stack, settings] of Object.entries(env.data.stacks)) {
      if (!settings) continue;
      const key = `${cluster} ${settings.namespace}`;
      const first = namespaces.get(key);
      if (first) {
        problems.push(`${env.where(["stacks", stack, "namespace"])}: '${settings.namespace}' is already used by ${first} on cluster ${shown}; expected a namespace of its own`);
      } else namespaces.set(key, `${env.file} stacks.${stack}`);
      // A host listed twice in one stack is that stack's own problem (fieldProblems), not a second server.
      for (const host of new Set(settings.hosts)) {
        const hostKey = `${cluster} ${host}`;
        const served = hosts.get(hostKey);
        if (served) {
          const at = env.where(["stacks", stack, "hosts", settings.hosts.indexOf(host)]);
          problems.push(`${at}: '${host}' is already served by ${served} on cluster ${shown}; expected a host of its own`);
        } else hosts.set(hostKey, `${env.file} stacks.${stack}`);
      }
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
    // A huge file is refused before it is read into memory.
    const tooBig = sizeProblem(file, statSync(join(dir, fileName)).size);
    if (tooBig) {
      problems.push(tooBig);
      continue;
    }
    try {
      envs.push(parseEnvironment(file, readFileSync(join(dir, fileName), "utf8"), stacks));
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  problems.push(...crossFileProblems(envs as readonly Environment[]));
  if (problems.length) throw new ConfigError(problems);
  return envs;
}
