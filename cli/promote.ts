/**
 * `npm run promote -- <from> <to> [--stack S]... [--component C]... [--dry-run] [--override-freeze "reason"]
 * [--commit-message FILE]`: copies image references (repository, tag and digest together) from one
 * environment file to another, re-renders dist/<to>, and prints what changed per component.
 *
 * Refuses, writing nothing, when a name is unknown, when <to> pins images by digest and an incoming image
 * has none, or while a deny sync window of <to> is open (unless --override-freeze gives a reason, which
 * goes into the commit message). Exit codes: see EXIT.
 */
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ConfigError, environmentNames, unknownEnvironments } from "../environments";
import { formatReport } from "../validation";
import {
  applyImageChanges,
  describeChange,
  formatImage,
  planPromotion,
  PromotionRefused,
  UnknownName,
  type ImageChange,
  type PromotionPlan,
} from "../review/promotion";
import { describeWindow, openFreezes, type OpenWindow } from "../review/sync-windows";
import { readEnvFile } from "./env-files";
import { synth, ValidationFailed } from "../render/pipeline";
import { OutputError } from "../render/write";

/** Exit codes, so CI can tell "nothing to promote" (skip the pull request) from a failure. */
export const EXIT = {
  /** Images promoted (or, with --dry-run, there is something to promote). */
  promoted: 0,
  /** Refused or failed: a freeze, a missing digest, an invalid environment file, a render that failed. */
  refused: 1,
  /** Bad arguments: an unknown option, environment, stack or component. */
  usage: 2,
  /** Nothing to promote: <to> already runs <from>'s images. */
  nothingToPromote: 3,
} as const;

export const USAGE = `usage: npm run promote -- <from> <to> [options]
  --stack NAME              only this stack (repeatable; default: every stack both environments run)
  --component NAME          only this component (repeatable; default: every component with an image)
  --dry-run                 print what would change, write nothing
  --override-freeze REASON  promote although a deny sync window of <to> is open; REASON goes into the commit message
  --commit-message FILE     write the promotion's commit message to FILE
exit codes: 0 promoted, 1 refused or failed, 2 usage, 3 nothing to promote`;

export interface PromoteIo {
  /** Project root: environments/ and dist/ are read and written here. */
  readonly cwd: string;
  /** When freeze windows are evaluated. */
  readonly now: Date;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface Args {
  readonly from: string;
  readonly to: string;
  readonly stacks: string[];
  readonly components: string[];
  readonly dryRun: boolean;
  readonly overrideFreeze?: string;
  readonly commitMessage?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  const stacks: string[] = [];
  const components: string[] = [];
  let dryRun = false;
  let overrideFreeze: string | undefined;
  let commitMessage: string | undefined;
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--") || v.trim() === "") throw new UsageError(`${flag}: expected a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stack") stacks.push(value(++i, arg));
    else if (arg === "--component") components.push(value(++i, arg));
    else if (arg === "--dry-run") dryRun = true;
    else if (arg === "--override-freeze") overrideFreeze = value(++i, `${arg} (the reason, recorded in the commit message)`);
    else if (arg === "--commit-message") commitMessage = value(++i, arg);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}'`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new UsageError(`expected <from> and <to> environments, got ${positional.length ? positional.map((p) => `'${p}'`).join(" ") : "none"}`);
  const [from, to] = positional;
  if (from === to) throw new UsageError(`<from> and <to> are both '${from}': expected two different environments`);
  return { from, to, stacks, components, dryRun, overrideFreeze, commitMessage };
}

/** `2026-11-30 08:00 Europe/Berlin`: a moment as the window's own clock shows it. */
function zoned(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}

function describeOpen(open: OpenWindow): string {
  const tz = open.window.timeZone;
  return `deny window ${describeWindow(open.window)} is open from ${zoned(open.opened, tz)} until ${zoned(open.closes, tz)}`;
}

/** `Promote staging → prod: web/api 1.5.0, web/frontend 2.4.0`, the changes, and the override trailer. */
export function commitMessage(from: string, to: string, changes: readonly ImageChange[], override?: { reason: string; windows: readonly OpenWindow[] }): string {
  const what = changes.length <= 3 ? changes.map((c) => `${c.stack}/${c.component} ${c.after.tag}`).join(", ") : `${changes.length} images`;
  const lines = [`Promote ${from} → ${to}: ${what}`, "", ...changes.map(describeChange)];
  if (override) {
    lines.push("", ...override.windows.map((w) => `Freeze window overridden: ${describeOpen(w)}`), `Freeze-Override: ${override.reason}`);
  }
  return `${lines.join("\n")}\n`;
}

function printPlan(io: PromoteIo, args: Args, plan: PromotionPlan): void {
  const count = plan.changes.length === 1 ? "1 image" : `${plan.changes.length} images`;
  io.stdout(`promote ${args.from} → ${args.to}: ${count}`);
  for (const change of plan.changes) io.stdout(`  ${describeChange(change)}`);
  const names = (entries: PromotionPlan["unchanged"]) => entries.map((e) => `${e.stack}/${e.component}`).join(", ");
  if (plan.unchanged.length) io.stdout(`  unchanged: ${names(plan.unchanged)}`);
  if (plan.notInTarget.length) io.stdout(`  not in ${args.to}, skipped: ${names(plan.notInTarget)}`);
}

async function promote(args: Args, io: PromoteIo): Promise<number> {
  const dir = join(io.cwd, "environments");
  const unknown = unknownEnvironments(environmentNames(dir), [args.from, args.to], relative(io.cwd, dir) || ".");
  if (unknown.length) throw new UnknownName(unknown);
  const from = readEnvFile(io.cwd, args.from);
  const to = readEnvFile(io.cwd, args.to);
  const plan = planPromotion(from, to, { stacks: args.stacks, components: args.components });

  if (plan.changes.length === 0) {
    const entries = [...plan.unchanged.map((e) => `${e.stack}/${e.component} ${formatImage(e.image)}`)];
    io.stdout(`promote ${args.from} → ${args.to}: nothing to promote: ${args.to} already runs ${args.from}'s images${entries.length ? ` (${entries.join(", ")})` : ""}`);
    if (plan.notInTarget.length) io.stdout(`  not in ${args.to}, skipped: ${plan.notInTarget.map((e) => `${e.stack}/${e.component}`).join(", ")}`);
    return EXIT.nothingToPromote;
  }

  const freezes = openFreezes(to.windows, io.now);
  if (freezes.length && args.overrideFreeze === undefined) {
    throw new PromotionRefused(
      freezes.map((f) => `${to.file}: argocd.syncWindows: ${args.to} is frozen: ${describeOpen(f)}; promote after it closes, or pass --override-freeze "reason" (recorded in the commit message)`),
    );
  }
  const override = freezes.length && args.overrideFreeze !== undefined ? { reason: args.overrideFreeze, windows: freezes } : undefined;
  const newText = applyImageChanges(to.text, plan.changes);

  printPlan(io, args, plan);
  if (override) for (const f of freezes) io.stdout(`  freeze overridden (${describeOpen(f)}): ${override.reason}`);
  if (args.dryRun) {
    io.stdout("dry run: nothing written");
    return EXIT.promoted;
  }

  writeFileSync(to.path, newText);
  let rendered = false;
  try {
    const result = await synth({ root: io.cwd, outDir: join(io.cwd, "dist"), only: [args.to], notice: (m) => io.stderr(`promote: ${m}`) });
    rendered = true;
    const objects = result.folders.filter((f) => f.folder.startsWith(`${args.to}/`)).reduce((n, f) => n + f.objects, 0);
    io.stdout(`wrote ${to.file}; rendered dist/${args.to}/ (${objects} objects, validation: 0 errors)`);
  } finally {
    if (!rendered) writeFileSync(to.path, to.text);
  }
  const message = commitMessage(args.from, args.to, plan.changes, override);
  if (args.commitMessage) writeFileSync(join(io.cwd, args.commitMessage), message);
  if (override) io.stdout(`Freeze-Override: ${override.reason}`);
  return EXIT.promoted;
}

/** Runs the command; returns its exit code. */
export async function runPromote(argv: readonly string[], io: PromoteIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return EXIT.promoted;
  }
  try {
    return await promote(parseArgs(argv), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`promote: ${e.message}\n${USAGE}`);
      return EXIT.usage;
    }
    if (e instanceof UnknownName) {
      for (const p of e.problems) io.stderr(`promote: ${p}`);
      return EXIT.usage;
    }
    if (e instanceof PromotionRefused || e instanceof ConfigError) {
      for (const p of e.problems) io.stderr(p);
      io.stderr("promote: refused; nothing written");
      return EXIT.refused;
    }
    if (e instanceof ValidationFailed) {
      io.stderr(formatReport(e.report));
      io.stderr("promote: the promoted environment does not pass validation; nothing written");
      return EXIT.refused;
    }
    if (e instanceof OutputError) {
      io.stderr(`promote: ${e.message}; nothing written`);
      return EXIT.refused;
    }
    throw e;
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await runPromote(argv, {
    cwd: process.cwd(),
    now: new Date(),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  });
}

if (require.main === module) void main(process.argv.slice(2));
