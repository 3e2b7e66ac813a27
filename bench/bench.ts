/**
 * `npm run bench`: how fast Slipway renders, as medians over repeated runs (these machines are noisy).
 *
 * 1. The repository: `npm run synth` end to end (type-check + bundle + render + validate + write), and
 *    each step alone; the in-process phases of the render, and validation's share of it.
 * 2. Review: `npm run diff` over the whole repository (a fresh render of the working tree against the base
 *    commit's dist/ read from git), in text and markdown, and the environment matrix.
 * 3. A generated workload of 1, 10, 100 and 300 API-like services × 3 environments, each run in a fresh
 *    process: wall time, peak memory (max RSS), and the marginal cost per service per environment.
 *
 * usage: npm run bench [-- --runs N]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

/** What bench/worker.ts prints for a generated workload. */
interface WorkerLine {
  services: number;
  objects: number;
  buildMs: number;
  validateMs: number;
  writeMs: number;
  inProcessMs: number;
  maxRssMiB: number;
}

const ROOT = process.cwd();
const BIN = join(ROOT, "node_modules/.bin");
const SIZES = [1, 10, 100, 300];
/** Extra environment variables in the environment-input case. */
const KEYS = [0, 1000, 2000, 4000];
/** The worker bundle, run so that its stack traces name the .ts sources. */
const WORKER = ["--enable-source-maps", join(__dirname, "worker.js")];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

function timeCommand(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  return performance.now() - t0;
}

function repeat(label: string, cmd: string, args: string[], runs: number, before?: () => void): number {
  before?.();
  timeCommand(cmd, args); // warm the page cache, the vendor bundle and tsc's build info
  const m = median(
    Array.from({ length: runs }, () => {
      before?.();
      return timeCommand(cmd, args);
    }),
  );
  console.log(`  ${label.padEnd(58)} ${ms(m)}`);
  return m;
}

/** `runs` runs of bench/worker.ts with `args`, each in a fresh process: the JSON line it prints, and the wall time. */
function workerRuns<T>(args: readonly string[], runs: number): (T & { wall: number })[] {
  return Array.from({ length: runs }, () => {
    const t0 = performance.now();
    const line = execFileSync(process.execPath, [...WORKER, ...args], { cwd: ROOT, encoding: "utf8" });
    return { wall: performance.now() - t0, ...(JSON.parse(line) as T) };
  });
}

/** An edit: a new mtime on a source file makes the launcher type-check again. */
const touchSource = () => {
  const now = new Date();
  utimesSync(join(ROOT, "stacks/web.ts"), now, now);
};

export function main(argv: readonly string[]): void {
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 5;
  const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-"));
  const out = join(scratch, "dist");
  console.log(`slipway bench: median of ${runs} runs each, node ${process.version}, ${cpus().length} CPUs\n`);

  console.log("The repository (every stack × environment file, full synth: type-check, bundle, render, validate, write):");
  const synthArgs = ["--out", out, "--quiet"];
  const npmWarm = repeat("npm run synth, sources unchanged (tsc -b up to date)", "npm", ["run", "-s", "synth", "--", ...synthArgs], runs);
  repeat("npm run synth after an edit (type-check runs beside render)", "npm", ["run", "-s", "synth", "--", ...synthArgs], runs, touchSource);
  repeat("node cli/launch.mjs synth, sources unchanged", process.execPath, ["cli/launch.mjs", "synth", ...synthArgs], runs);
  repeat("node cli/launch.mjs synth after an edit", process.execPath, ["cli/launch.mjs", "synth", ...synthArgs], runs, touchSource);
  repeat("  of which the type-check alone: tsc -b, as the launcher runs it", join(BIN, "tsc"), ["-b", "tsconfig.synth.json"], runs, touchSource);
  repeat("  tsc -b, sources unchanged", join(BIN, "tsc"), ["-b", "tsconfig.synth.json"], runs);

  const phases = Array.from({ length: runs }, () => {
    const line = execFileSync(process.execPath, [...WORKER, "phases", out], { cwd: ROOT, encoding: "utf8" });
    return JSON.parse(line) as Record<string, number>;
  });
  const phase = (k: string) => median(phases.map((p) => p[k]));
  const inProcess = phase("load") + phase("build") + phase("validate") + phase("write");
  console.log("  in-process phases:" + ["load", "build", "validate", "write"].map((k) => ` ${k} ${phase(k).toFixed(1)} ms`).join(","));
  console.log(
    `  validation adds ${((phase("validate") / (inProcess - phase("validate"))) * 100).toFixed(0)}% to the in-process render, ${((phase("validate") / (npmWarm - phase("validate"))) * 100).toFixed(0)}% to npm run synth\n`,
  );

  console.log("Review (whole repository: render the working tree, read the base's dist/ from git, diff):");
  const diffNpm = repeat("npm run diff -- --base HEAD", "npm", ["run", "-s", "diff", "--", "--base", "HEAD"], runs);
  repeat("npm run diff -- --base HEAD --format markdown", "npm", ["run", "-s", "diff", "--", "--base", "HEAD", "--format", "markdown"], runs);
  repeat("npm run diff -- --envs staging prod", "npm", ["run", "-s", "diff", "--", "--envs", "staging", "prod"], runs);
  console.log(`  target: under 3 s for the whole-repo diff; median ${(diffNpm / 1000).toFixed(2)} s = ${((diffNpm / 3000) * 100).toFixed(0)}% of it\n`);

  console.log("Generated workload (API-like services × 3 environments, fresh process each run):");
  console.log(`  ${"services".padStart(8)} ${"objects".padStart(8)} ${"wall".padStart(9)} ${"in-process".padStart(11)} ${"validate".padStart(9)} ${"max RSS".padStart(9)}`);
  const wall: Record<number, number> = {};
  for (const n of SIZES) {
    const samples = workerRuns<WorkerLine>([String(n), join(scratch, `gen-${n}`)], runs);
    wall[n] = median(samples.map((s) => s.wall));
    console.log(
      `  ${String(n).padStart(8)} ${String(samples[0].objects).padStart(8)} ${ms(wall[n])} ${ms(median(samples.map((s) => s.inProcessMs))).padStart(11)} ${ms(median(samples.map((s) => s.validateMs)))} ${median(samples.map((s) => s.maxRssMiB)).toFixed(0).padStart(5)} MiB`,
    );
  }
  const perService = (wall[300] - wall[1]) / (299 * 3);
  console.log(`\n  marginal cost: ${perService.toFixed(2)} ms per service per environment ((wall(300) − wall(1)) / (299 × 3))`);
  console.log(`  ratio wall(300) / wall(1): ${(wall[300] / wall[1]).toFixed(1)}×`);

  console.log("\nEnvironment input (dev environment with N more variables on its API, synth in a fresh process each run):");
  console.log(`  ${"variables".padStart(9)} ${"wall".padStart(9)} ${"load".padStart(9)} ${"build".padStart(9)} ${"validate".padStart(9)} ${"write".padStart(9)}`);
  const inProcessOf: Record<number, number> = {};
  for (const n of KEYS) {
    const samples = workerRuns<Record<"load" | "build" | "validate" | "write", number>>(["keys", String(n), join(scratch, `keys-${n}`)], runs);
    const m = (k: "wall" | "load" | "build" | "validate" | "write") => median(samples.map((s) => s[k]));
    inProcessOf[n] = median(samples.map((s) => s.load + s.build + s.validate + s.write));
    console.log(`  ${String(n).padStart(9)} ${ms(m("wall"))} ${ms(m("load"))} ${ms(m("build"))} ${ms(m("validate"))} ${ms(m("write"))}`);
  }
  const perKey = (n: number) => ((inProcessOf[n]! - inProcessOf[0]!) / n) * 1000;
  console.log(`\n  cost per variable, in-process: ${KEYS.slice(1).map((n) => `${perKey(n).toFixed(0)} µs at ${n}`).join(", ")} (the same at every size when linear)`);
  const most = KEYS[KEYS.length - 1]!;
  console.log(`  ${most} variables add ${((inProcessOf[most]! - inProcessOf[0]!) / 1000).toFixed(2)} s to the in-process synth`);
  rmSync(scratch, { recursive: true, force: true });
}

if (require.main === module) main(process.argv.slice(2));
