/**
 * `npm run diff [-- --base REF] [--render-base] [--format text|markdown] [--envs A B]`: the semantic diff
 * of the rendered manifests, environment → stack → object, risky changes first.
 *
 * The working tree is rendered fresh (into a temp folder: dist/ is not touched). The base is the base
 * commit's committed dist/, read from git: what Argo CD deploys from that commit, byte for byte, which CI
 * keeps equal to a fresh render of that commit. `--render-base` renders the base commit's own sources with
 * its own code instead, for a base whose committed dist/ cannot be trusted (e.g. history from before the
 * freshness check). `--envs A B` compares two environments of the working tree instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentNames, unknownEnvironments } from "../environments";
import { formatMarkdown, formatText, type DiffReport } from "../review/format";
import { commitOf, exportCommit, GitError, mergeBase, readTreeAt } from "../review/git";
import { parseChanged, parseTexts } from "../review/objects";
import { findRisks } from "../review/risks";
import { diffEnvironments, diffTrees } from "../review/semantic-diff";
import { readEnvFile } from "./env-files";
import { render } from "../render/pipeline";
import { MARKER } from "../render/write";
import { renderFailure } from "./render-failure";

export const EXIT = {
  /** The diff was printed (whether or not anything changed). */
  printed: 0,
  /** The working tree (or, with --render-base, the base) does not render. */
  renderFailed: 1,
  /** Bad arguments, or git could not give the base. */
  usage: 2,
} as const;

export const USAGE = `usage: npm run diff -- [options]
  --base REF         compare with this commit (default: the merge base of HEAD with main, else origin/main)
  --render-base      render the base commit's sources with its own code, instead of reading its committed dist/
  --format FORMAT    text (default) or markdown (a pull-request comment)
  --envs A B         compare two environments of the working tree: what differs between them
exit codes: 0 printed, 1 a render failed, 2 usage or git error`;

/** The branch a pull request merges into, for the default base. */
const MAIN_BRANCHES = ["main", "origin/main"];
const OUTPUT = "dist";

export interface DiffIo {
  /** Project root: environments/ and dist/ are read here. */
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface Args {
  readonly base?: string;
  readonly renderBase: boolean;
  readonly format: "text" | "markdown";
  readonly envs?: readonly [string, string];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  let base: string | undefined;
  let renderBase = false;
  let format: Args["format"] = "text";
  let envs: [string, string] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--base") {
      base = argv[++i];
      if (!base || base.startsWith("--")) throw new UsageError("--base: expected a git ref such as origin/main");
    } else if (arg === "--render-base") renderBase = true;
    else if (arg === "--format") {
      const value = argv[++i];
      if (value !== "text" && value !== "markdown") throw new UsageError(`--format: expected text or markdown, got ${value === undefined ? "nothing" : `'${value}'`}`);
      format = value;
    } else if (arg === "--envs") {
      const [a, b] = [argv[++i], argv[++i]];
      if (!a || !b || a.startsWith("--") || b.startsWith("--")) throw new UsageError("--envs: expected two environments, e.g. --envs staging prod");
      envs = [a, b];
    } else throw new UsageError(`unknown argument '${arg}'`);
  }
  if (envs && (base !== undefined || renderBase)) throw new UsageError("--envs compares environments of the working tree: it takes no --base or --render-base");
  return { ...(base !== undefined ? { base } : {}), renderBase, format, ...(envs ? { envs } : {}) };
}

/** Every file under `dir`, by path relative to it. */
function readFolder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out.set(path, readFileSync(join(dir, path), "utf8"));
    }
  };
  if (existsSync(dir)) walk("");
  return out;
}

const sameTexts = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);

/** The base commit and how the report names it. */
function baseCommit(cwd: string, ref: string | undefined): { commit: string; label: string } {
  if (ref !== undefined) {
    const commit = commitOf(cwd, ref);
    if (!commit) throw new UsageError(`--base: '${ref}' names no commit in this repository`);
    return { commit, label: ref };
  }
  const main = MAIN_BRANCHES.find((b) => commitOf(cwd, b));
  if (!main) throw new UsageError(`no branch ${MAIN_BRANCHES.join(" or ")} to take the merge base with: pass --base REF`);
  if (!commitOf(cwd, "HEAD")) throw new UsageError("HEAD names no commit yet: pass --base REF");
  return { commit: mergeBase(cwd, "HEAD", main), label: `merge base with ${main}` };
}

/** Renders the base commit's sources with its own `npm run synth`, in a scratch folder removed afterwards. */
function renderCommit(cwd: string, commit: string): Map<string, string> {
  const scratch = mkdtempSync(join(tmpdir(), "slipway-diff-"));
  try {
    const tree = join(scratch, "base");
    const out = join(scratch, "base-dist");
    mkdirSync(tree);
    exportCommit(cwd, commit, tree);
    symlinkSync(join(cwd, "node_modules"), join(tree, "node_modules"));
    const result = spawnSync("npm", ["run", "-s", "synth", "--", "--out", out, "--quiet"], { cwd: tree, encoding: "utf8" });
    if (result.status !== 0) throw new BaseRenderFailed(`${result.stdout}${result.stderr}`.trim());
    return readFolder(out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

class BaseRenderFailed extends Error {}

async function run(args: Args, io: DiffIo): Promise<string> {
  const started = performance.now();
  const envNames = environmentNames(join(io.cwd, "environments"));
  // Everything that can be wrong with the arguments is found before the render.
  const unknown = args.envs ? unknownEnvironments(envNames, args.envs, "environments") : [];
  if (unknown.length) throw new UsageError(unknown.join("\n"));
  const base = args.envs ? undefined : baseCommit(io.cwd, args.base);
  const { texts: headTexts } = await render(io.cwd);
  let report: DiffReport;
  let source: string;
  if (!base) {
    const [a, b] = args.envs!;
    report = { title: `${a} → ${b}: what differs between the two environments (working tree)`, groups: diffEnvironments(parseTexts(headTexts), a, b), risks: [], notes: [] };
    source = `${a} → ${b}`;
  } else {
    const short = base.commit.slice(0, 7);
    const baseTexts = args.renderBase ? renderCommit(io.cwd, base.commit) : readTreeAt(io.cwd, base.commit, OUTPUT);
    if (!baseTexts.size) throw new UsageError(`${base.label} (${short}) has no committed ${OUTPUT}/: pass --render-base to render its sources`);
    const groups = diffTrees(...parseChanged(baseTexts, headTexts));
    const digests = new Map(envNames.map((n) => [n, readEnvFile(io.cwd, n).requireDigests]));
    const committed = readFolder(join(io.cwd, OUTPUT));
    committed.delete(MARKER);
    const notes = sameTexts(committed, headTexts)
      ? []
      : [`the working tree's ${OUTPUT}/ is not what its sources render: run \`npm run synth\` and commit ${OUTPUT}/ (CI fails until then)`];
    const how = args.renderBase ? "rendered from its sources" : `committed ${OUTPUT}/`;
    report = { title: `${base.label} @ ${short} (${how}) → working tree`, groups, risks: findRisks(groups, (env) => digests.get(env) ?? false), notes };
    source = `${base.label} @ ${short}, ${how} → working tree`;
  }
  io.stdout((args.format === "markdown" ? formatMarkdown(report) : formatText(report)).trimEnd());
  return `diff: ${source} in ${((performance.now() - started) / 1000).toFixed(2)} s`;
}

/** Runs the command; returns its exit code. */
export async function runDiff(argv: readonly string[], io: DiffIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return EXIT.printed;
  }
  try {
    io.stderr(await run(parseArgs(argv), io));
    return EXIT.printed;
  } catch (e) {
    if (e instanceof UsageError || e instanceof GitError) {
      io.stderr(`diff: ${e.message}`);
      if (e instanceof UsageError) io.stderr(USAGE);
      return EXIT.usage;
    }
    const problems = renderFailure(e);
    if (problems) {
      for (const p of problems) io.stderr(p);
      io.stderr("diff: the working tree does not render");
      return EXIT.renderFailed;
    }
    if (e instanceof BaseRenderFailed) {
      io.stderr(e.message);
      io.stderr("diff: the base commit does not render");
      return EXIT.renderFailed;
    }
    throw e;
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await runDiff(argv, {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  });
}

if (require.main === module) void main(process.argv.slice(2));
