// Runs Slipway's commands fast on two cores: `node cli/launch.mjs synth|validate|schema|bench|promote|diff [args]`.
// Plain JavaScript, because it runs before any TypeScript is built.
//
// - Bundling: esbuild bundles the command's own code (~20 ms). Third-party packages are pre-bundled once
//   into .build/vendor.cjs, rebuilt only when the lockfile or the set of modules the code imports changes:
//   Node 20 spends ~200 ms resolving and loading the hundreds of small ES modules of kubernetes-models and
//   secretlint alone, and a fraction of that on one bundle.
// - synth type-checks (tsc, incremental) beside the render, which writes only once the check has passed.
//   A passed check is remembered by a fingerprint of its inputs (size and mtime of every source file, the
//   tsconfigs, the lockfile), so an unchanged tree is not checked again: what `tsc --build` does for its
//   up-to-date check.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, buildSync } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".build");
const VENDOR = join(out, "vendor.cjs");
const PACKAGE = /^[@a-z]/;
/** Every TypeScript file outside these could be in the type-checked program. */
const NOT_SOURCES = new Set(["node_modules", "dist", ".build", ".git", "test", "bench"]);
const INPUTS = ["tsconfig.json", "tsconfig.synth.json", "package-lock.json"];
const STAMP = join(out, "typecheck.ok");

const ENTRIES = {
  synth: { entry: "main.ts", typecheck: true },
  validate: { entry: "cli/validate.ts", typecheck: false },
  schema: { entry: "cli/schema.ts", typecheck: false },
  bench: { entry: "bench/bench.ts", typecheck: false, also: ["bench/worker.ts"] },
  promote: { entry: "cli/promote.ts", typecheck: false },
  diff: { entry: "cli/diff.ts", typecheck: false },
};

/** Bundles `entry` to .build/<name>.js, resolving vendored packages to .build/vendor.cjs. */
async function bundle(entry) {
  const vendored = new Set();
  const outfile = join(out, entry.replace(/^.*\//, "").replace(/\.ts$/, ".js"));
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    packages: "external",
    outfile,
    logLevel: "warning",
    plugins: [
      {
        name: "vendor",
        setup(build) {
          build.onResolve({ filter: PACKAGE }, (args) => {
            if (args.path.startsWith("node:") || builtinModules.includes(args.path)) return undefined;
            vendored.add(args.path);
            return { path: args.path, namespace: "vendor" };
          });
          build.onResolve({ filter: /^\.\/vendor\.cjs$/ }, () => ({ path: "./vendor.cjs", external: true }));
          build.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
            contents: `module.exports = require("./vendor.cjs")[${JSON.stringify(args.path)}]();`,
            loader: "js",
          }));
        },
      },
    ],
  });
  return { outfile, vendored };
}

/** (Re)builds .build/vendor.cjs when the modules it must hold or the lockfile changed. */
function vendor(paths) {
  const list = [...paths].sort();
  const key = createHash("sha256")
    .update(readFileSync(join(root, "package-lock.json")))
    .update(list.join("\n"))
    .digest("hex");
  const keyFile = `${VENDOR}.key`;
  if (existsSync(VENDOR) && existsSync(keyFile) && readFileSync(keyFile, "utf8") === key) return;
  // Absolute file paths (as Node resolves them for `import`) sidestep exports that offer only "import".
  const lines = list.map((p) => `  ${JSON.stringify(p)}: () => require(${JSON.stringify(fileURLToPath(import.meta.resolve(p)))}),`);
  const entry = join(out, "vendor-entry.cjs");
  writeFileSync(entry, `module.exports = {\n${lines.join("\n")}\n};\n`);
  buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", outfile: VENDOR, logLevel: "warning" });
  writeFileSync(keyFile, key);
}

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((entry) => files(join(path, entry)));
}

function fingerprint() {
  const hash = createHash("sha256");
  const sources = readdirSync(root)
    .filter((entry) => !NOT_SOURCES.has(entry))
    .sort()
    .flatMap(files)
    .filter((f) => f.endsWith(".ts"));
  for (const file of [...sources, ...INPUTS]) {
    const { size, mtimeMs } = statSync(join(root, file));
    hash.update(`${file} ${size} ${mtimeMs}\n`);
  }
  return hash.digest("hex");
}

/** Starts the type-check unless its inputs are unchanged since one passed; resolves to its errors, or "". */
function typecheck() {
  const before = fingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === before) return { errors: Promise.resolve(""), stop() {} };
  const tsc = spawn(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.synth.json")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  tsc.stdout.on("data", (chunk) => (output += chunk));
  tsc.stderr.on("data", (chunk) => (output += chunk));
  const errors = new Promise((resolve, reject) => {
    tsc.on("error", reject);
    tsc.on("close", (code) => {
      if (code !== 0) return resolve(output || `tsc exited with ${code}`);
      writeFileSync(STAMP, before);
      resolve("");
    });
  });
  return { errors, stop: () => tsc.kill() };
}

const [command = "synth", ...args] = process.argv.slice(2);
const spec = ENTRIES[command];
if (!spec) {
  console.error(`launch: unknown command '${command}': expected one of ${Object.keys(ENTRIES).join(", ")}`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const check = spec.typecheck ? typecheck() : undefined;
const built = await Promise.all([spec.entry, ...(spec.also ?? [])].map(bundle));
vendor(new Set(built.flatMap((b) => [...b.vendored])));
const { main, TypeCheckFailed } = createRequire(import.meta.url)(built[0].outfile);
await main(args, async () => {
  const errors = await check?.errors;
  if (errors) throw new TypeCheckFailed(errors);
});
// A render that failed before the write leaves tsc running: its answer no longer matters.
check?.stop();
