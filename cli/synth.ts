/**
 * `npm run synth [-- --env NAME ...] [--stack NAME ...] [--out DIR] [--quiet]`: parses the arguments, runs the render pipeline
 * (render/pipeline.ts) and prints what it did. Any problem: one report on stderr, exit 1, the output folder
 * left as it was.
 */
import { ConfigError } from "../lib/errors";
import { synth, ValidationFailed } from "../render/pipeline";
import { OutputError } from "../render/write";
import { formatFindings, formatReport } from "../validation";

interface Args {
  only?: string[];
  stacks?: string[];
  outDir: string;
  quiet: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { outDir: process.env.CDK8S_OUTDIR ?? "dist", quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--env" && argv[i + 1]) (args.only ??= []).push(argv[++i]);
    else if (arg === "--stack" && argv[i + 1]) (args.stacks ??= []).push(argv[++i]);
    else if (arg === "--out" && argv[i + 1]) args.outDir = argv[++i];
    else if (arg === "--quiet") args.quiet = true;
    else throw new ConfigError([`synth: unknown argument '${arg}': expected --env NAME, --stack NAME, --out DIR or --quiet`]);
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

const say = (message: string) => console.error(`synth: ${message}`);

export async function main(argv: readonly string[], beforeWrite?: () => Promise<void>): Promise<void> {
  try {
    const args = parseArgs(argv);
    const result = await synth({
      root: process.cwd(),
      outDir: args.outDir,
      ...(args.only ? { only: args.only } : {}),
      ...(args.stacks ? { stacks: args.stacks } : {}),
      ...(beforeWrite ? { beforeWrite } : {}),
      notice: say,
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
      say(`${e.problems.length} problem(s); output left unchanged`);
    } else if (e instanceof TypeCheckFailed) {
      console.error(e.output.trimEnd());
      say(`${e.message}; output left unchanged`);
    } else if (e instanceof ValidationFailed) {
      console.error(formatReport(e.report));
      say(`${e.message}; output left unchanged`);
    } else if (e instanceof OutputError) {
      say(e.message);
    } else throw e;
    process.exitCode = 1;
  }
}
