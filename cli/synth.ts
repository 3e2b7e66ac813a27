/**
 * `npm run synth [-- --env NAME ...] [--out DIR]`: loads and validates the environments, builds every
 * stack × environment and the Argo CD objects, validates every rendered object, and only then writes the
 * output folder atomically. Any problem: a report on stderr, exit 1, the output folder untouched.
 */
import { App } from "cdk8s";
import { join, relative } from "node:path";
import { ArgoCdChart } from "../argocd";
import { ConfigError, loadEnvironments, unknownEnvironments, type Environment } from "../environments";
import { byCodePoint } from "../lib/order";
import { buildStacks } from "../render/build";
import { collectFiles, folderOf, foldersOf, renderTexts, type Folder, type Output } from "../render/files";
import type { RenderedFile } from "../lib/kube-object";
import { writeOutput } from "../render/write";
import { stackSettings } from "../stacks/settings";
import { DEFAULT_PROFILE, formatFindings, formatReport, validate, type Profile, type ValidationReport } from "../validation";

/** The folder of dist/ that holds the Argo CD objects. */
export const ARGOCD_FOLDER = "argocd";
/** Where Argo CD finds the output in the repository, whatever --out says. */
const REPO_OUTPUT = "dist";

export interface SynthOptions {
  /** Project root holding environments/. */
  readonly root: string;
  /** Output folder. */
  readonly outDir: string;
  /**
   * Environments to (re)write; the other environments' folders are carried over.
   * @default all
   */
  readonly only?: readonly string[];
  /**
   * Runs after everything is rendered and validated, just before the write; throwing stops the write.
   * `npm run synth` waits here for the type-check it runs alongside.
   * @default - nothing
   */
  readonly beforeWrite?: () => Promise<void>;
}

/** Milliseconds per phase; `build` includes turning the construct tree into plain objects. */
export interface Timings {
  readonly load: number;
  readonly build: number;
  readonly validate: number;
  /** Serializing to YAML and writing, which happen together. */
  readonly write: number;
}

export interface SynthResult {
  readonly folders: { folder: string; objects: number }[];
  readonly objects: number;
  readonly files: number;
  readonly report: ValidationReport;
  readonly timings: Timings;
}

/** Rendered objects broke a rule; nothing was written. */
export class ValidationFailed extends Error {
  constructor(readonly report: ValidationReport) {
    super(`validation failed: ${report.counts.errors} error(s)`);
    this.name = "ValidationFailed";
  }
}

/** The validation profile of a file: its environment's policy; the Argo CD folder has none. */
export function profileFor(environments: readonly Environment[]): (path: string) => Profile {
  const byName = new Map(environments.map((e) => [e.name, e.data.policy]));
  return (path) => byName.get(path.split("/")[0]) ?? DEFAULT_PROFILE;
}

/** Validates rendered files; throws ValidationFailed when any object breaks a rule. */
export async function validateFiles(files: readonly RenderedFile[], profile: (path: string) => Profile): Promise<ValidationReport> {
  const report = await validate(files, { profileFor: profile });
  if (report.counts.errors > 0) throw new ValidationFailed(report);
  return report;
}

/**
 * Builds the cdk8s App (every selected environment × stack, and the Argo CD objects) and turns it into
 * plain files. The construct tree is dropped on return: a big synth keeps only plain data from here on.
 */
export function buildFiles(environments: readonly Environment[], only?: readonly string[]): { files: RenderedFile[]; folders: Folder[] } {
  const app = new App();
  const stacks = buildStacks(app, environments);
  const argocd = new ArgoCdChart(app, ARGOCD_FOLDER, {
    environments,
    targets: stacks.map((s) => ({ env: s.env, stack: s.stack, namespace: s.namespace, hosts: s.hosts, path: `${REPO_OUTPUT}/${s.folder}` })),
    path: `${REPO_OUTPUT}/${ARGOCD_FOLDER}`,
  });
  const selected = only ? stacks.filter((s) => only.includes(s.env)) : stacks;
  const outputs: Output[] = [...selected, { chart: argocd, folder: ARGOCD_FOLDER, source: "environments/*.yaml", kustomize: false }];
  return { files: collectFiles(outputs), folders: foldersOf(outputs) };
}

export async function synth(options: SynthOptions): Promise<SynthResult> {
  const t0 = performance.now();
  const dir = join(options.root, "environments");
  const environments = loadEnvironments(dir, stackSettings);
  const unknown = unknownEnvironments(
    environments.map((e) => e.name),
    options.only ?? [],
    relative(process.cwd(), dir) || ".",
  );
  if (unknown.length) throw new ConfigError(unknown);
  const t1 = performance.now();
  const { files, folders } = buildFiles(environments, options.only);
  const t2 = performance.now();
  const report = await validateFiles(files, profileFor(environments));
  const t3 = performance.now();
  await options.beforeWrite?.();
  const t4 = performance.now();
  const written = writeOutput(options.outDir, renderTexts(folders, files), options.only ? [...options.only, ARGOCD_FOLDER] : undefined);
  const t5 = performance.now();

  const counts = new Map<string, number>();
  for (const file of files) counts.set(folderOf(file.path), (counts.get(folderOf(file.path)) ?? 0) + file.objects.length);
  return {
    folders: [...counts].map(([folder, objects]) => ({ folder, objects })).sort((a, b) => byCodePoint(a.folder, b.folder)),
    objects: files.reduce((n, f) => n + f.objects.length, 0),
    files: written,
    report,
    timings: { load: t1 - t0, build: t2 - t1, validate: t3 - t2, write: t5 - t4 },
  };
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

/** The type-check run beside the render failed; its output says where. */
export class TypeCheckFailed extends Error {
  constructor(readonly output: string) {
    super("type errors");
    this.name = "TypeCheckFailed";
  }
}

export async function main(argv: readonly string[], beforeWrite?: () => Promise<void>): Promise<void> {
  try {
    const args = parseArgs(argv);
    const result = await synth({
      root: process.cwd(),
      outDir: args.outDir,
      ...(args.only ? { only: args.only } : {}),
      ...(beforeWrite ? { beforeWrite } : {}),
    });
    if (!args.quiet) {
      for (const { folder, objects } of result.folders) console.log(`  ${folder.padEnd(24)} ${String(objects).padStart(4)} objects`);
    }
    // Every warning and waiver the gate accepted is listed, so none passes unseen.
    for (const line of formatFindings(result.report, { root: args.outDir })) console.log(line);
    const { warnings, allowed } = result.report.counts;
    // Since process start, so module loading counts too.
    const seconds = process.uptime().toFixed(2);
    console.log(
      `synth: ${result.objects} objects in ${result.folders.length} folders → ${args.outDir}/ (${result.files} files) in ${seconds} s; validation: 0 errors, ${warnings} warning(s), ${allowed} allowed exception(s)`,
    );
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const problem of e.problems) console.error(problem);
      console.error(`synth: ${e.problems.length} problem(s); output left unchanged`);
    } else if (e instanceof TypeCheckFailed) {
      console.error(e.output.trimEnd());
      console.error(`synth: ${e.message}; output left unchanged`);
    } else if (e instanceof ValidationFailed) {
      console.error(formatReport(e.report));
      console.error(`synth: ${e.message}; output left unchanged`);
    } else throw e;
    process.exitCode = 1;
  }
}
