/**
 * `npm run synth [-- --env NAME ...] [--out DIR]`: loads and validates the environments, builds every
 * stack × environment (and the Argo CD objects), validates every rendered object, and only then writes
 * the output folder atomically. Any problem: a report on stderr, exit 1, the output folder untouched.
 */
import { App } from "cdk8s";
import { join, relative } from "node:path";
import { ConfigError, loadEnvironments, unknownEnvironments } from "../environments";
import { buildStacks } from "../render/build";
import { collectFiles, kustomizations, serializeFile } from "../render/files";
import { writeOutput } from "../render/write";
import { stackSettings } from "../stacks/settings";

export interface SynthOptions {
  /** Project root holding environments/. */
  readonly root: string;
  /** Output folder. */
  readonly outDir: string;
  /** Environments to (re)write; the others' folders are carried over. @default all */
  readonly only?: readonly string[];
}

export interface SynthResult {
  readonly folders: { folder: string; objects: number }[];
  readonly objects: number;
  readonly files: number;
}

export function synth(options: SynthOptions): SynthResult {
  const dir = join(options.root, "environments");
  const environments = loadEnvironments(dir, stackSettings);
  const unknown = unknownEnvironments(
    environments.map((e) => e.name),
    options.only ?? [],
    relative(process.cwd(), dir) || ".",
  );
  if (unknown.length) throw new ConfigError(unknown);
  const app = new App({ outdir: options.outDir });
  const stacks = buildStacks(app, environments);
  const selected = options.only ? stacks.filter((s) => options.only!.includes(s.env)) : stacks;
  const charts = selected.map((s) => s.chart);
  const rendered = collectFiles(charts);
  const sourceOf = new Map(charts.map((c) => [c.folder, c.source]));
  const texts = new Map<string, string>();
  for (const file of rendered) texts.set(file.path, serializeFile(file, sourceOf.get(folderOf(file.path))!));
  for (const [path, text] of kustomizations([...texts.keys()], (f) => sourceOf.get(f)!)) texts.set(path, text);
  writeOutput(options.outDir, texts, options.only ? options.only : undefined);

  const counts = new Map<string, number>();
  for (const file of rendered) counts.set(folderOf(file.path), (counts.get(folderOf(file.path)) ?? 0) + file.objects.length);
  const folders = [...counts].map(([folder, objects]) => ({ folder, objects })).sort((a, b) => (a.folder < b.folder ? -1 : 1));
  return { folders, objects: rendered.reduce((n, f) => n + f.objects.length, 0), files: texts.size };
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

interface Args {
  only?: string[];
  outDir: string;
  quiet: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { outDir: process.env.CDK8S_OUTDIR ?? "dist", quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--env" && argv[i + 1]) (args.only ??= []).push(argv[++i]);
    else if (arg === "--out" && argv[i + 1]) args.outDir = argv[++i];
    else if (arg === "--quiet") args.quiet = true;
    else throw new ConfigError([`synth: unknown argument '${arg}': expected --env NAME, --out DIR or --quiet`]);
  }
  return args;
}

export function main(): void {
  try {
    const args = parseArgs(process.argv.slice(2));
    const result = synth({ root: process.cwd(), outDir: args.outDir, ...(args.only ? { only: args.only } : {}) });
    if (!args.quiet) {
      for (const { folder, objects } of result.folders) console.log(`  ${folder.padEnd(24)} ${String(objects).padStart(4)} objects`);
    }
    // Since process start, so module loading counts too.
    const seconds = process.uptime().toFixed(2);
    console.log(`synth: ${result.objects} objects in ${result.folders.length} folders → ${args.outDir}/ (${result.files} files) in ${seconds} s`);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const problem of e.problems) console.error(problem);
      console.error(`synth: ${e.problems.length} problem(s); output left unchanged`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
