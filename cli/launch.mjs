// `npm run synth` as fast as two cores allow. Plain JavaScript, because it runs before any TypeScript
// is built.
//
// - The type-check (tsc, incremental) runs beside bundling and rendering; the render writes the output
//   folder only once the type-check has passed.
// - A type-check that passed is remembered by a fingerprint of its inputs (size and mtime of every source
//   file, the tsconfigs and the lockfile), so an unchanged tree is not checked again: what `tsc --build`
//   does for its up-to-date check.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["main.ts", "argocd", "cli", "constructs", "environments", "render", "stacks", "validation"];
const INPUTS = ["tsconfig.json", "tsconfig.synth.json", "package-lock.json"];
const STAMP = join(root, ".build/typecheck.ok");

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((entry) => files(join(path, entry)));
}

function fingerprint() {
  const hash = createHash("sha256");
  for (const file of [...SOURCES.flatMap(files).filter((f) => f.endsWith(".ts")), ...INPUTS]) {
    const { size, mtimeMs } = statSync(join(root, file));
    hash.update(`${file} ${size} ${mtimeMs}\n`);
  }
  return hash.digest("hex");
}

function typecheck() {
  const before = fingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === before) return { result: Promise.resolve(""), stop() {} };
  const tsc = spawn(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.synth.json")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  tsc.stdout.on("data", (chunk) => (output += chunk));
  tsc.stderr.on("data", (chunk) => (output += chunk));
  const result = new Promise((resolve, reject) => {
    tsc.on("error", reject);
    tsc.on("close", (code) => {
      if (code !== 0) return resolve(output || `tsc exited with ${code}`);
      mkdirSync(dirname(STAMP), { recursive: true });
      writeFileSync(STAMP, before);
      resolve("");
    });
  });
  return { result, stop: () => tsc.kill() };
}

const check = typecheck();
const bundle = join(root, ".build/synth.js");
buildSync({
  entryPoints: [join(root, "cli/synth.ts")],
  bundle: true,
  platform: "node",
  packages: "external",
  outfile: bundle,
  logLevel: "warning",
});
const { main, TypeCheckFailed } = createRequire(import.meta.url)(bundle);
await main(process.argv.slice(2), async () => {
  const errors = await check.result;
  if (errors) throw new TypeCheckFailed(errors);
});
// A render that failed before the write leaves tsc running: its answer no longer matters.
check.stop();
