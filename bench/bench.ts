/**
 * `npm run bench`: how fast Slipway renders, as medians over repeated runs (these machines are noisy).
 *
 * 1. The repository: `npm run synth` end to end (type-check + bundle + render + validate + write), and
 *    each step alone; the in-process phases of the render, and validation's share of it.
 * 2. A generated workload of 1, 10, 100 and 300 API-like services × 3 environments, each run in a fresh
 *    process: wall time, peak memory (max RSS), and the marginal cost per service per environment.
 *
 * usage: npm run bench [-- --runs N]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What bench/worker.ts prints for a generated workload. */
interface WorkerLine {
  services: number;
  objects: number;
  buildMs: number;
  validateMs: number;
  serializeMs: number;
  inProcessMs: number;
  maxRssMiB: number;
}

const ROOT = process.cwd();
const BIN = join(ROOT, "node_modules/.bin");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const SIZES = [1, 10, 100, 300];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

function timeCommand(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
  return performance.now() - t0;
}

function repeat(label: string, cmd: string, args: string[]): number {
  timeCommand(cmd, args); // warm the page cache and tsc's incremental state
  const m = median(Array.from({ length: RUNS }, () => timeCommand(cmd, args)));
  console.log(`  ${label.padEnd(52)} ${ms(m)}`);
  return m;
}

function main(): void {
  const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-"));
  const out = join(scratch, "dist");
  console.log(`slipway bench: median of ${RUNS} runs each, node ${process.version}, ${require("node:os").cpus().length} CPUs\n`);

  console.log("Reference stack (3 environments):");
  const full = repeat("npm run synth (type-check + bundle + render + write)", "npm", ["run", "-s", "synth", "--", "--out", out, "--quiet"]);
  const tsc = repeat("  type-check: tsc -p tsconfig.synth.json (incremental)", join(BIN, "tsc"), ["-p", "tsconfig.synth.json"]);
  const bundle = repeat("  bundle: esbuild main.ts", join(BIN, "esbuild"), [
    "main.ts", "--bundle", "--platform=node", "--packages=external", "--outfile=.build/main.js", "--log-level=warning",
  ]);
  const render = repeat("  render: node .build/main.js", process.execPath, [".build/main.js", "--out", out, "--quiet"]);
  console.log(`  ${"type-check + bundle + render, without npm".padEnd(52)} ${ms(tsc + bundle + render)}`);

  const phases = Array.from({ length: RUNS }, () => {
    const line = execFileSync(process.execPath, [join(__dirname, "worker.js"), "phases", out], { cwd: ROOT, encoding: "utf8" });
    return JSON.parse(line) as Record<string, number>;
  });
  const phase = (k: string) => median(phases.map((p) => p[k]));
  const inProcess = phase("load") + phase("build") + phase("validate") + phase("serialize") + phase("write");
  console.log("  in-process phases:" + ["load", "build", "validate", "serialize", "write"].map((k) => ` ${k} ${phase(k).toFixed(1)} ms`).join(","));
  console.log(
    `  validation adds ${((phase("validate") / (inProcess - phase("validate"))) * 100).toFixed(0)}% to the in-process render, ${((phase("validate") / (full - phase("validate"))) * 100).toFixed(0)}% to npm run synth\n`,
  );

  console.log("Generated workload (API-like services × 3 environments, fresh process each run):");
  console.log(`  ${"services".padStart(8)} ${"objects".padStart(8)} ${"wall".padStart(9)} ${"in-process".padStart(11)} ${"validate".padStart(9)} ${"max RSS".padStart(9)}`);
  const wall: Record<number, number> = {};
  for (const n of SIZES) {
    const samples = Array.from({ length: RUNS }, () => {
      const t0 = performance.now();
      const line = execFileSync(process.execPath, [join(__dirname, "worker.js"), String(n), join(scratch, `gen-${n}`)], { encoding: "utf8" });
      return { wall: performance.now() - t0, ...(JSON.parse(line) as WorkerLine) };
    });
    wall[n] = median(samples.map((s) => s.wall));
    console.log(
      `  ${String(n).padStart(8)} ${String(samples[0].objects).padStart(8)} ${ms(wall[n])} ${ms(median(samples.map((s) => s.inProcessMs))).padStart(11)} ${ms(median(samples.map((s) => s.validateMs)))} ${median(samples.map((s) => s.maxRssMiB)).toFixed(0).padStart(5)} MiB`,
    );
  }
  const perService = (wall[300] - wall[1]) / (299 * 3);
  console.log(`\n  marginal cost: ${perService.toFixed(2)} ms per service per environment ((wall(300) − wall(1)) / (299 × 3))`);
  console.log(`  ratio wall(300) / wall(1): ${(wall[300] / wall[1]).toFixed(1)}×`);
  rmSync(scratch, { recursive: true, force: true });
}

main();
