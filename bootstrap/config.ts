/**
 * A cluster's bootstrap settings: the Pulumi stack config `bootstrap/Pulumi.<cluster>.yaml`, checked as strictly
 * as the environment files (every problem at once, each naming the file, the key and what was expected).
 *
 * Credentials are Pulumi secrets: the program reads them only with `config.requireSecret`, and this module sees
 * no more of them than whether they are set and whether the stack file holds them in plaintext.
 */
import { z } from "zod";
import { formatIssues } from "../environments/format";
import { ConfigError } from "../lib/errors";

/** The Pulumi project's name (bootstrap/Pulumi.yaml): the namespace of its config keys. */
export const PROJECT = "slipway-bootstrap";

/** Keys that hold credentials; never parsed here, never printed. */
export const SECRET_KEYS = ["repoToken", "repoSshPrivateKey"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

// Pulumi hands every config value to the program as a string: `true` in the stack file arrives as "true".
const Switch = (what: string) =>
  z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true")
    .describe(what);

const Present = z.literal(true).optional();

const fields = {
  context: z
    .string()
    .min(1)
    .describe("The kubeconfig context of the cluster, e.g. kind-slipway: `pulumi up` touches no other cluster."),
  argocd: Switch("Install Argo CD, register the repository and apply the root objects of dist/argocd/ here."),
  certManager: Switch("Install cert-manager (the TLS issuers the environments name need it)."),
  externalSecrets: Switch("Install External Secrets Operator (every stack's secrets come through it)."),
  repoAuth: z
    .enum(["none", "token", "ssh"])
    .default("none")
    .describe("How Argo CD reads the repository: none (public), token (https), ssh (an ssh:// repoURL)."),
  repoUsername: z.string().min(1).default("git").describe("User name sent with repoToken (GitHub accepts any)."),
  repoToken: Present.describe("An access token for an https repoURL (secret)."),
  repoSshPrivateKey: Present.describe("A deploy key for an ssh:// repoURL (secret)."),
};
export type StackConfig = z.output<z.ZodObject<typeof fields>>;

const PREFIX = `${PROJECT}:`;
/** The schema of this project's keys as Pulumi names them (`slipway-bootstrap:context`), so messages do too. */
export const StackConfigSchema = z
  .object(Object.fromEntries(Object.entries(fields).map(([key, schema]) => [`${PREFIX}${key}`, schema])))
  .strict()
  .transform((config) => Object.fromEntries(Object.entries(config).map(([key, value]) => [key.slice(PREFIX.length), value])) as StackConfig);

/** What the program knows about one stack's config before checking it. */
export interface RawStackConfig {
  /** The stack file, as messages name it (e.g. `bootstrap/Pulumi.kind.yaml`). */
  readonly file: string;
  /** This project's keys (`slipway-bootstrap:context`), with Pulumi's string values. */
  readonly values: Readonly<Record<string, string>>;
  /** Secret keys whose value is written in plaintext in the stack file. */
  readonly plaintext: readonly string[];
}

/** The Argo CD source the environments name, which the credentials must fit. */
export interface RepoSource {
  readonly repoURL: string;
  /** Where repoURL is stated, for messages. */
  readonly origin: string;
}

const setSecret = (key: SecretKey) => `pulumi config set --secret ${key} <value>`;

/** Parses one stack's config; throws ConfigError listing every problem. */
export function parseStackConfig(raw: RawStackConfig, repo: RepoSource): StackConfig {
  const input: Record<string, unknown> = { ...raw.values };
  for (const key of SECRET_KEYS) if (`${PREFIX}${key}` in input) input[`${PREFIX}${key}`] = true;
  const parsed = StackConfigSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ConfigError(formatIssues(raw.file, StackConfigSchema, parsed.error.issues));
  const problems: string[] = [];
  const config = parsed.data;
  const at = (key: string) => `${raw.file}: ${PREFIX}${key}`;
  for (const key of raw.plaintext) {
    problems.push(`${at(key)}: expected a secret, got a plaintext value in the stack file; remove it and run \`${setSecret(key as SecretKey)}\``);
  }
  const needs: Record<StackConfig["repoAuth"], SecretKey | undefined> = { none: undefined, token: "repoToken", ssh: "repoSshPrivateKey" };
  const needed = config.argocd ? needs[config.repoAuth] : undefined;
  for (const key of SECRET_KEYS) {
    if (key === needed && !config[key]) {
      problems.push(`${at(key)}: missing: repoAuth is ${config.repoAuth}; run \`${setSecret(key)}\``);
    } else if (key !== needed && config[key]) {
      const why = config.argocd ? `repoAuth is ${config.repoAuth}` : "argocd is false (the repository is registered only where Argo CD runs)";
      problems.push(`${at(key)}: not used: ${why}; remove it with \`pulumi config rm ${key}\``);
    }
  }
  if (config.argocd) {
    const scheme = new URL(repo.repoURL).protocol;
    if (config.repoAuth === "ssh" && scheme !== "ssh:") {
      problems.push(`${at("repoAuth")}: ssh needs an ssh:// repository URL, but ${repo.origin} is ${repo.repoURL}`);
    }
    if (config.repoAuth === "token" && scheme !== "https:") {
      problems.push(`${at("repoAuth")}: token needs an https:// repository URL, but ${repo.origin} is ${repo.repoURL}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
