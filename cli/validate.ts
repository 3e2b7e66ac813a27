/**
 * `npm run validate [path] [--profile strict|default]`: validates dist/ (default) or any folder or
 * file of manifests, e.g. a third-party chart's rendered output, and prints the grouped report.
 *
 * Under dist/<env>/ the profile is environments/<env>.yaml's `policy:`; elsewhere (other folders,
 * dist/argocd/) it is --profile: `default` (all policy switches off) or `strict` (all on).
 * kustomization.yaml files are skipped: they are kustomize's file lists, not Kubernetes objects.
 * Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage, I/O, parse or environment
 * problems, or a path from which no object was read.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { loadEnvironments } from "../environments";
import { ConfigError } from "../lib/errors";
import { DEFAULT_PROFILE, STRICT_PROFILE, formatReport, validate, type Profile } from "../validation";
import { LoadError, readManifests } from "../validation/load";

export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const USAGE =
  "usage: npm run validate -- [path] [--profile strict|default]\n  path: a folder or file of manifests (*.yaml, *.yml, *.json; default: dist)";

const PROFILES: Record<string, Profile> = { default: DEFAULT_PROFILE, strict: STRICT_PROFILE };

interface Args {
  readonly path: string;
  readonly profile: Profile;
}

function parseArgs(argv: readonly string[]): Args | string {
  let path: string | undefined;
  let profile = DEFAULT_PROFILE;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--profile" || arg.startsWith("--profile=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      const chosen = value === undefined ? undefined : PROFILES[value];
      if (!chosen) return `--profile: expected strict or default, got ${value === undefined ? "nothing" : `'${value}'`}`;
      profile = chosen;
    } else if (arg.startsWith("-")) {
      return `unknown option '${arg}'`;
    } else if (path !== undefined) {
      return `expected one path, got '${path}' and '${arg}'`;
    } else path = arg;
  }
  return { path: path ?? "dist", profile };
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Runs the CLI; returns the exit code. */
export async function runValidateCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    io.stderr(`${args}\n${USAGE}`);
    return 2;
  }
  const target = resolve(io.cwd, args.path);
  if (!existsSync(target)) {
    io.stderr(`${args.path}: no such file or folder`);
    return 2;
  }
  const dist = resolve(io.cwd, "dist");
  const underDist = isInside(target, dist);
  // Under dist/, paths stay relative to dist/ (`prod/web/api.yaml`), as synth reports them.
  const root = underDist ? dist : target === resolve(io.cwd) ? target : resolve(target, "..");
  // Paths print relative to the working directory when they are inside it, absolute otherwise.
  const fromCwd = relative(io.cwd, root);
  const displayRoot = (fromCwd.startsWith("..") || isAbsolute(fromCwd) ? root : fromCwd).split(sep).join("/");
  try {
    const files = readManifests(target, root, displayRoot);
    const policies = new Map<string, Profile>();
    if (underDist && files.length) {
      for (const env of loadEnvironments(join(io.cwd, "environments"))) policies.set(env.name, env.data.policy);
    }
    const report = await validate(files, { profileFor: (path) => (underDist ? policies.get(path.split("/")[0]!) : undefined) ?? args.profile });
    if (report.counts.objects === 0) {
      io.stderr(`${args.path}: no Kubernetes object found in ${report.counts.files} manifest file(s) (*.yaml, *.yml, *.json; kustomization.yaml aside); nothing was validated`);
      return 2;
    }
    io.stdout(formatReport(report, { root: displayRoot }));
    return report.counts.errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof LoadError || e instanceof ConfigError) {
      io.stderr(e.problems.join("\n"));
      return 2;
    }
    if ((e as { code?: string }).code === "EACCES" || (e as { code?: string }).code === "ENOENT") {
      io.stderr(String((e as Error).message));
      return 2;
    }
    throw e;
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    process.exitCode = await runValidateCli(argv, {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) void main(process.argv.slice(2));
