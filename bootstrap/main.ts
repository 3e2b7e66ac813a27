/**
 * The Pulumi program (bootstrap/Pulumi.yaml runs it through launch.cjs): reads the environment files, the
 * cluster's stack config, the platform charts and the root objects, checks them together, and registers the
 * cluster's resources. Every problem is reported at once, before anything is registered.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { loadEnvironments, type Environment } from "../environments";
import { ConfigError } from "../lib/errors";
import { byCodePoint } from "../lib/order";
import { readArgoCdInstall } from "./argocd-install";
import { PLATFORM_CHARTS, readPlatformChart, type PlatformChartName } from "./charts";
import { parseStackConfig, PROJECT, SECRET_KEYS, type RawStackConfig, type StackConfig } from "./config";
import { bootstrapCluster, type BootstrapOutputs, type RepoCredentials } from "./program";
import { readRootObjects } from "./root-objects";

export interface BootstrapSource {
  /** The repository's root folder (environments/, dist/, bootstrap/). */
  readonly repoRoot: string;
}

const SWITCHES: Record<PlatformChartName, keyof StackConfig> = {
  argocd: "argocd",
  "cert-manager": "certManager",
  "external-secrets": "externalSecrets",
};

/** This project's keys of Pulumi's config, and which secret keys the stack file holds in plaintext. */
function rawStackConfig(repoRoot: string, stack: string): RawStackConfig {
  const prefix = `${PROJECT}:`;
  const values = Object.fromEntries(Object.entries(pulumi.runtime.allConfig()).filter(([key]) => key.startsWith(prefix)));
  const path = join(repoRoot, "bootstrap", `Pulumi.${stack}.yaml`);
  const stored = existsSync(path) ? (parse(readFileSync(path, "utf8")) as { config?: Record<string, unknown> } | null) : null;
  const plaintext = SECRET_KEYS.filter((key) => typeof stored?.config?.[`${prefix}${key}`] === "string");
  return { file: relative(process.cwd(), path), values, plaintext };
}

/** The one value every environment must agree on, or a problem naming each that differs. */
function agreed(envs: readonly Environment[], field: string, get: (e: Environment) => string, problems: string[]): string {
  const values = [...new Set(envs.map(get))].sort(byCodePoint);
  if (values.length > 1) {
    problems.push(
      `${field}: expected one value across the environment files (one Argo CD, one repository), got ${envs.map((e) => `'${get(e)}' in ${e.file}`).join(", ")}`,
    );
  }
  return values[0];
}

function credentials(config: StackConfig): RepoCredentials | undefined {
  const secrets = new pulumi.Config(PROJECT);
  if (config.repoAuth === "token") {
    return secrets.requireSecret("repoToken").apply((password) => ({ username: config.repoUsername, password }));
  }
  if (config.repoAuth === "ssh") return secrets.requireSecret("repoSshPrivateKey").apply((sshPrivateKey) => ({ sshPrivateKey }));
  return undefined;
}

function plan(source: BootstrapSource) {
  const { repoRoot } = source;
  const stack = pulumi.getStack();
  const envs = loadEnvironments(join(repoRoot, "environments"));
  const problems: string[] = [];
  const namespace = agreed(envs, "argocd.namespace", (e) => e.data.argocd.namespace, problems);
  const repoURL = agreed(envs, "argocd.repoURL", (e) => e.data.argocd.repoURL, problems);
  if (problems.length) throw new ConfigError(problems);

  const raw = rawStackConfig(repoRoot, stack);
  const config = parseStackConfig(raw, { repoURL, origin: "argocd.repoURL in environments/*.yaml" });
  const clusters = [...new Set(envs.map((e) => e.data.cluster.name))].sort(byCodePoint);
  if (!config.argocd && !clusters.includes(stack)) {
    throw new ConfigError([
      `${raw.file}: stack '${stack}' names no cluster of the environment files and installs no Argo CD; expected a stack named after one of ${clusters.join(", ")} (cluster.name)`,
    ]);
  }
  const charts = PLATFORM_CHARTS.filter((name) => config[SWITCHES[name]]).map((name) => readPlatformChart(repoRoot, name));
  const argocdChart = charts.find((chart) => chart.name === "argocd");
  const argocd = argocdChart ? readArgoCdInstall(repoRoot, argocdChart) : undefined;
  const rootObjects = config.argocd ? readRootObjects(repoRoot, { namespace, repoURL }) : [];
  const root = rootObjects.find((o) => o.kind === "Application");
  // Argo CD reads a missing targetRevision as HEAD.
  const targetRevision = (root?.spec as { source?: { targetRevision?: string } } | undefined)?.source?.targetRevision ?? "HEAD";
  const repoCredentials = config.argocd ? credentials(config) : undefined;
  return { cluster: stack, config, argocdNamespace: namespace, repoURL, targetRevision, charts, argocd, rootObjects, credentials: repoCredentials };
}

/** The program: its return value is the stack's outputs. A configuration problem ends it with the messages only. */
export function runBootstrap(source: BootstrapSource): BootstrapOutputs {
  let checked: ReturnType<typeof plan>;
  try {
    checked = plan(source);
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
  return bootstrapCluster(checked);
}
