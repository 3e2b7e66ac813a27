/**
 * The render pipeline: load and check the environments, build every stack × environment and the Argo CD
 * objects, validate every rendered object, and only then write the output folder (render/write.ts). Any
 * problem throws before the write; the output folder is left as it was.
 */
import { ApiObject, App } from "cdk8s";
import { join, relative } from "node:path";
import { ArgoCdChart } from "../argocd";
import { ConfigError, loadEnvironments, unknownEnvironments, type Environment } from "../environments";
import { byCodePoint } from "../lib/order";
import type { RenderedFile } from "../lib/kube-object";
import { DEFAULT_PROFILE, validate, type Profile, type ValidationReport } from "../validation";
import type { StackDefinition } from "../stacks/lib/define";
import { buildStacks } from "./build";
import { loadStacks, settingsOf } from "./stacks";
import { collectFiles, folderOf, foldersOf, renderTexts, type Folder, type Output } from "./files";
import { OutputFolder } from "./write";

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
   * Environments to (re)write; the other environments' folders are carried over. Ignored, with a notice,
   * when the output folder is missing or empty: then there is nothing to carry over and every environment is
   * rendered.
   * @default all
   */
  readonly only?: readonly string[];
  /**
   * Stacks to (re)write, in every selected environment; the other stacks' folders are carried over, as with
   * `only` (and likewise ignored when there is nothing to carry over).
   * @default all
   */
  readonly stacks?: readonly string[];
  /**
   * Runs after everything is rendered and validated, just before the write; throwing stops the write.
   * `npm run synth` waits here for the type-check it runs alongside.
   * @default - nothing
   */
  readonly beforeWrite?: () => Promise<void>;
  /**
   * Told, one line at a time, what happens beyond rendering: waiting for another run's lock, an interrupted
   * run's output restored, `--env` widened to every environment, a cleanup that failed after a complete write.
   * @default - ignored
   */
  readonly notice?: (message: string) => void;
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
export function buildFiles(
  environments: readonly Environment[],
  definitions: ReadonlyMap<string, StackDefinition>,
  only?: readonly string[],
  onlyStacks?: readonly string[],
): { files: RenderedFile[]; folders: Folder[] } {
  const app = new App();
  const stacks = buildStacks(app, environments, definitions);
  const argocd = new ArgoCdChart(app, ARGOCD_FOLDER, {
    environments,
    targets: stacks.map((s) => ({
      env: s.env,
      stack: s.stack,
      namespace: s.namespace,
      hosts: s.hosts,
      path: `${REPO_OUTPUT}/${s.folder}`,
      resources: s.chart.node.findAll().filter(ApiObject.isApiObject),
    })),
    path: `${REPO_OUTPUT}/${ARGOCD_FOLDER}`,
  });
  const selected = stacks.filter((s) => (!only || only.includes(s.env)) && (!onlyStacks || onlyStacks.includes(s.stack)));
  const outputs: Output[] = [...selected, { chart: argocd, folder: ARGOCD_FOLDER, source: "environments/*.yaml", kustomize: false }];
  return { files: collectFiles(outputs), folders: foldersOf(outputs) };
}

/** Environments and stacks by name, each name checked: an unknown one is a ConfigError listing what exists. */
function loadSelection(root: string, only?: readonly string[], stacks?: readonly string[]) {
  const dir = join(root, "environments");
  const definitions = loadStacks();
  const environments = loadEnvironments(dir, settingsOf(definitions));
  const unknown = unknownEnvironments(
    environments.map((e) => e.name),
    only ?? [],
    relative(process.cwd(), dir) || ".",
  );
  const unknownStacks = (stacks ?? [])
    .filter((name) => !definitions.has(name))
    .map((name) => `unknown stack '${name}': expected one of ${[...definitions.keys()].join(", ")} (files in stacks/)`);
  if (unknown.length || unknownStacks.length) throw new ConfigError([...unknown, ...unknownStacks]);
  return { definitions, environments };
}

/**
 * Renders and validates every stack × environment and the Argo CD objects in memory: the texts a synth of
 * `root` would write, by path. For readers of the output that need no folder (`npm run diff`).
 */
export async function render(root: string): Promise<{ texts: Map<string, string>; report: ValidationReport }> {
  const { definitions, environments } = loadSelection(root);
  const { files, folders } = buildFiles(environments, definitions);
  const report = await validateFiles(files, profileFor(environments));
  return { texts: new Map(renderTexts(folders, files)), report };
}

/**
 * One synth. The output folder is opened first (refused if it is not Slipway's, locked against other runs,
 * an interrupted run's output restored) and held until the write is done.
 */
export async function synth(options: SynthOptions): Promise<SynthResult> {
  const t0 = performance.now();
  const output = await OutputFolder.open(options.outDir, options.notice ? { notice: options.notice } : {});
  try {
    const { definitions, environments } = loadSelection(options.root, options.only, options.stacks);
    let only = options.only;
    let stacks = options.stacks;
    if ((only || stacks) && output.empty) {
      const selection = [...(only ?? []), ...(stacks ?? [])].join(", ");
      options.notice?.(`${output.shown}/ holds no output yet: rendering every ${only ? "environment" : "stack"}, not only ${selection}`);
      only = undefined;
      stacks = undefined;
    }
    const t1 = performance.now();
    const { files, folders } = buildFiles(environments, definitions, only, stacks);
    const t2 = performance.now();
    const report = await validateFiles(files, profileFor(environments));
    const t3 = performance.now();
    await options.beforeWrite?.();
    const t4 = performance.now();
    // What the new files replace: whole environments, or single stack folders; everything else is carried over.
    const replaced = stacks
      ? [...folders.map((f) => f.folder), ARGOCD_FOLDER]
      : only
        ? [...only, ARGOCD_FOLDER]
        : undefined;
    const written = await output.write(renderTexts(folders, files), replaced);
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
  } finally {
    output.close();
  }
}
