/**
 * A cluster's stack config (bootstrap/Pulumi.<cluster>.yaml) is checked like an environment file: every
 * problem at once, each naming the file, the key and what was expected; nothing is registered.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { parseStackConfig, type RawStackConfig } from "../../bootstrap/config";
import { runBootstrap } from "../../bootstrap/main";
import { problemsOf } from "../support/problems";
import { REPO_ROOT, runMocked } from "./support";

const FILE = "bootstrap/Pulumi.kind.yaml";
const prefixed = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`slipway-bootstrap:${k}`, v]));
const HTTPS = { repoURL: "https://github.com/acme/slipway.git", origin: "argocd.repoURL in environments/*.yaml" };

function problems(values: Record<string, string>, plaintext: string[] = [], repo = HTTPS): readonly string[] {
  const raw: RawStackConfig = { file: FILE, values: prefixed(values), plaintext };
  return problemsOf(() => parseStackConfig(raw, repo));
}

describe("stack config", () => {
  test("defaults: Argo CD and both operators on, a public repository", () => {
    expect(parseStackConfig({ file: FILE, values: prefixed({ context: "kind-slipway" }), plaintext: [] }, HTTPS)).toEqual({
      context: "kind-slipway",
      argocd: true,
      certManager: true,
      externalSecrets: true,
      repoAuth: "none",
      repoUsername: "git",
    });
  });

  test("a missing context, a misspelt key and a switch that is not a boolean are reported together", () => {
    expect(problems({ certManagr: "false", externalSecrets: "yes" })).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:context: missing: expected a string",
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:externalSecrets: expected one of 'true', 'false', got 'yes'",
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:certManagr: unknown key; did you mean 'slipway-bootstrap:certManager'?",
    ]);
  });

  test("an unknown repoAuth", () => {
    expect(problems({ context: "k", repoAuth: "password" })).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoAuth: expected one of 'none', 'token', 'ssh', got 'password'",
    ]);
  });

  test("a token in plaintext in the stack file is refused, without printing it", () => {
    expect(problems({ context: "k", repoAuth: "token", repoToken: "ghp_plain" }, ["repoToken"])).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoToken: expected a secret, got a plaintext value in the stack file; remove it and run `pulumi config set --secret repoToken <value>`",
    ]);
  });

  test("the credential repoAuth asks for must be set", () => {
    expect(problems({ context: "k", repoAuth: "token" })).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoToken: missing: repoAuth is token; run `pulumi config set --secret repoToken <value>`",
    ]);
  });

  test("a credential nothing uses is refused: a forgotten repoAuth would silently leave Argo CD without it", () => {
    expect(problems({ context: "k", repoSshPrivateKey: "key" })).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoSshPrivateKey: not used: repoAuth is none; remove it with `pulumi config rm repoSshPrivateKey`",
    ]);
    expect(problems({ context: "k", argocd: "false", repoAuth: "token", repoToken: "t" })).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoToken: not used: argocd is false (the repository is registered only where Argo CD runs); remove it with `pulumi config rm repoToken`",
    ]);
  });

  test("the credential must fit the repository URL the environments name", () => {
    expect(problems({ context: "k", repoAuth: "ssh", repoSshPrivateKey: "key" })).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoAuth: ssh needs an ssh:// repository URL, but argocd.repoURL in environments/*.yaml is https://github.com/acme/slipway.git",
    ]);
    const ssh = { ...HTTPS, repoURL: "ssh://git@github.com/acme/slipway.git" };
    expect(problems({ context: "k", repoAuth: "token", repoToken: "t" }, [], ssh)).toEqual([
      "bootstrap/Pulumi.kind.yaml: slipway-bootstrap:repoAuth: token needs an https:// repository URL, but argocd.repoURL in environments/*.yaml is ssh://git@github.com/acme/slipway.git",
    ]);
  });
});

/** A repository root like this one, with `stackFile` as bootstrap/Pulumi.<stack>.yaml. */
function repoWithStackFile(stack: string, stackFile: string): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-bootstrap-"));
  for (const dir of ["environments", "dist"]) symlinkSync(join(REPO_ROOT, dir), join(root, dir));
  mkdirSync(join(root, "bootstrap"));
  symlinkSync(join(REPO_ROOT, "bootstrap/charts"), join(root, "bootstrap/charts"));
  writeFileSync(join(root, "bootstrap", `Pulumi.${stack}.yaml`), stackFile);
  return root;
}

/** Runs the bootstrap expecting it to refuse: the error it ended with, and what it registered meanwhile. */
async function refusal(stack: string, config: Record<string, string>, repoRoot = REPO_ROOT) {
  let error: unknown;
  const run = await runMocked(stack, config, () => {
    try {
      runBootstrap({ repoRoot });
    } catch (e) {
      error = e;
    }
  });
  if (!(error instanceof Error)) throw new Error(`expected stack '${stack}' to be refused`);
  return { error, resources: run.resources };
}

describe("pulumi up with a bad stack config", () => {
  test("ends with the messages alone (a RunError, no stack trace) and registers nothing", async () => {
    const leaky = "config:\n  slipway-bootstrap:context: kind-slipway\n  slipway-bootstrap:repoAuth: token\n  slipway-bootstrap:repoToken: ghp_plain\n";
    const root = repoWithStackFile("leaky", leaky);
    const config = { context: "kind-slipway", repoAuth: "token", repoToken: "ghp_plain", argocd: "maybe" };
    const { error, resources } = await refusal("leaky", config, root);
    expect(resources).toEqual([]);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `${relative(process.cwd(), join(root, "bootstrap/Pulumi.leaky.yaml"))}: slipway-bootstrap:argocd: expected one of 'true', 'false', got 'maybe'`,
    );
  });

  test("a plaintext credential in the stack file is found there", async () => {
    const leaky = "config:\n  slipway-bootstrap:context: kind-slipway\n  slipway-bootstrap:repoAuth: token\n  slipway-bootstrap:repoToken: ghp_plain\n";
    const root = repoWithStackFile("leaky", leaky);
    const { error } = await refusal("leaky", { context: "kind-slipway", repoAuth: "token", repoToken: "ghp_plain" }, root);
    expect(error.message).toBe(
      `${relative(process.cwd(), join(root, "bootstrap/Pulumi.leaky.yaml"))}: slipway-bootstrap:repoToken: expected a secret, got a plaintext value in the stack file; remove it and run \`pulumi config set --secret repoToken <value>\``,
    );
    expect(error.message).not.toContain("ghp_plain");
  });

  test("a stack that names no cluster of the environments and installs no Argo CD has nothing to do", async () => {
    const { error } = await refusal("qa", { context: "qa", argocd: "false" });
    expect(error.message).toBe(
      "bootstrap/Pulumi.qa.yaml: stack 'qa' names no cluster of the environment files and installs no Argo CD; expected a stack named after one of homelab, in-cluster, prod-eu-1, staging (cluster.name)",
    );
  });
});

describe("the committed stack files", () => {
  const stacks = readdirSync(join(REPO_ROOT, "bootstrap"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);

  test("there is one per cluster of the environment files", () => {
    const clusters = readdirSync(join(REPO_ROOT, "environments"))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => parse(readFileSync(join(REPO_ROOT, "environments", f), "utf8")).cluster.name);
    expect(stacks.sort()).toEqual([...new Set(clusters)].sort());
  });

  test.each(stacks)("Pulumi.%s.yaml is valid and holds no credential", async (stack) => {
    const file = parse(readFileSync(join(REPO_ROOT, "bootstrap", `Pulumi.${stack}.yaml`), "utf8"));
    const config = Object.fromEntries(Object.entries(file.config as Record<string, unknown>).map(([k, v]) => [k.replace(/^slipway-bootstrap:/, ""), String(v)]));
    expect(Object.keys(config).filter((k) => /token|key|password/i.test(k))).toEqual([]);
    const run = await runMocked(stack, config, () => runBootstrap({ repoRoot: REPO_ROOT }));
    expect(run.resources.length).toBeGreaterThan(0);
  });
});
