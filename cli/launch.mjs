// Runs Slipway's commands fast on two cores: `node cli/launch.mjs synth|validate|schema|bench|promote|diff [args]`.
// Plain JavaScript, because it runs before any TypeScript is built.
//
// - Bundling: esbuild bundles the command's own code (~0.2 s), and only when something it is built from
//   changed: a run with nothing changed loads last run's bundle. Third-party packages are pre-bundled once
//   into .build/vendor-<lockfile hash>-<imports hash>.cjs, one per lockfile and set of modules a command
//   imports: Node 20 spends ~200 ms resolving and loading the hundreds of small ES modules of
//   kubernetes-models and secretlint alone, and a fraction of that on one bundle.
// - Runs side by side: every file in .build/ is written under a temporary name and renamed into place, so
//   no run loads a bundle another run is halfway through writing, and a bundle names the vendor bundle it
//   was built against.
// - synth type-checks with `tsc -b tsconfig.synth.json` beside the render, which writes only once the check
//   has passed. tsc's own up-to-date check answers in ~0.1 s when nothing changed.
// - Stack traces name the .ts sources: bundles carry an inline source map (in the same file, so it always
//   matches) and Node's source-map support is on.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import module, { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".build");
const PACKAGE = /^[@a-z]/;
const HASH_LENGTH = 8;
const hash = (data) => createHash("sha256").update(data).digest("hex").slice(0, HASH_LENGTH);
/** Stands for the vendor bundle's name in a bundle until it is known; as long as the real name, so no column moves. */
const VENDOR_PLACEHOLDER = `./vendor-${"_".repeat(HASH_LENGTH)}-${"_".repeat(HASH_LENGTH)}.cjs`;
/**
 * Starts a command bundle: a comment saying what it was built from (see inputsKey), on the bundle's first
 * line, so that no line moves under the source map.
 */
const STAMP = "/*slipway-bundle-inputs ";
const launcher = readFileSync(fileURLToPath(import.meta.url));
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|json)$/;
/** A run loads the vendor bundle it chose within milliseconds: one older than this is in no run's way. */
const IN_USE_MS = 60_000;

const ENTRIES = {
  synth: { entry: "main.ts", typecheck: true },
  validate: { entry: "cli/validate.ts", typecheck: false },
  schema: { entry: "cli/schema.ts", typecheck: false },
  bench: { entry: "bench/bench.ts", typecheck: false, also: ["bench/worker.ts"] },
  promote: { entry: "cli/promote.ts", typecheck: false },
  diff: { entry: "cli/diff.ts", typecheck: false },
};

/** How the vendor bundle is built; part of its name, so a change here rebuilds it. */
const VENDOR_BUILD = {
  bundle: true,
  platform: "node",
  format: "cjs",
  logLevel: "warning",
  // ajv-formats-draft2019 (under kubernetes-models' validators) requires the deprecated built-in punycode,
  // which prints DEP0040 on every run on Node 22 and later; the trailing slash resolves to its own
  // dependency instead, the userland package of the same code.
  alias: { punycode: "punycode/" },
};

/** Writes `path` whole or not at all: readers see the old file or the new one, never a part. */
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * What a bundle was built from, as the key of its first line: the launcher itself, the lockfile and
 * tsconfig.json, each source file's size and modification time, and the source files in each source folder
 * (a file added there, e.g. a new stack found by its name, changes them).
 */
function inputsKey(sources) {
  const parts = [launcher, readFileSync(join(root, "package-lock.json")), readFileSync(join(root, "tsconfig.json"))];
  for (const source of sources) {
    const stat = statSync(join(root, source), { throwIfNoEntry: false });
    parts.push(`${source} ${stat ? `${stat.mtimeMs} ${stat.size}` : "missing"}`);
  }
  for (const folder of [...new Set(sources.map(dirname))].sort()) {
    parts.push(`${folder}/: ${readdirSync(join(root, folder)).filter((name) => SOURCE.test(name)).sort().join(" ")}`);
  }
  return hash(parts.join("\n"));
}

/** The bundle of `entry` left by an earlier run, if nothing it was built from has changed since. */
function unchanged(outfile) {
  const text = existsSync(outfile) ? readFileSync(outfile, "utf8") : "";
  if (!text.startsWith(STAMP)) return undefined;
  const { key, sources, vendored } = JSON.parse(text.slice(STAMP.length, text.indexOf("*/")));
  return key === inputsKey(sources) ? { outfile, text, vendored: new Set(vendored), reused: true } : undefined;
}

/** Bundles `entry` in memory; its packages become stubs that load them from the vendor bundle. */
async function bundle(entry) {
  const outfile = join(out, entry.replace(/^.*\//, "").replace(/\.ts$/, ".js"));
  const reused = unchanged(outfile);
  if (reused) return reused;
  const vendored = new Set();
  // Imported only here: loading esbuild costs ~60 ms that a run with nothing to bundle does without.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    outfile,
    write: false,
    metafile: true,
    sourcemap: "inline",
    sourcesContent: false,
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
          build.onResolve({ filter: /^\.\/vendor-_+-_+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
          build.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(VENDOR_PLACEHOLDER)})[${JSON.stringify(args.path)}]();`,
            loader: "js",
          }));
        },
      },
    ],
  });
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.includes(":")).sort();
  const stamp = JSON.stringify({ key: inputsKey(sources), sources, vendored: [...vendored].sort() });
  return { outfile, text: `${STAMP}${stamp}*/${result.outputFiles[0].text}`, vendored, reused: false };
}

/**
 * Makes sure the vendor bundle of `paths` for the current lockfile exists; returns its file name. Bundles of
 * other lockfiles are removed: they can only be used again if the lockfile goes back.
 */
async function vendor(paths) {
  const list = [...paths].sort();
  const lockfile = hash(readFileSync(join(root, "package-lock.json")));
  const name = `vendor-${lockfile}-${hash(`${list.join("\n")}\n${JSON.stringify(VENDOR_BUILD)}`)}.cjs`;
  const file = join(out, name);
  if (existsSync(file)) return name;
  // Absolute file paths (as Node resolves them for `import`) sidestep exports that offer only "import".
  const lines = list.map((p) => `  ${JSON.stringify(p)}: () => require(${JSON.stringify(fileURLToPath(installed(p)))}),`);
  const entry = join(out, `vendor-entry.${process.pid}.cjs`);
  writeFileSync(entry, `module.exports = {\n${lines.join("\n")}\n};\n`);
  const temporary = `${file}.${process.pid}.tmp`;
  const { build } = await import("esbuild");
  await build({ ...VENDOR_BUILD, entryPoints: [entry], outfile: temporary });
  renameSync(temporary, file);
  rmSync(entry);
  for (const other of readdirSync(out)) {
    const path = join(out, other);
    if (/^vendor-\w+-\w+\.cjs$/.test(other) && !other.startsWith(`vendor-${lockfile}-`) && Date.now() - statSync(path).mtimeMs > IN_USE_MS) {
      rmSync(path, { force: true });
    }
  }
  return name;
}

/** The URL of an installed package; a package the lockfile gained since the last `npm ci` is named, not traced. */
function installed(specifier) {
  try {
    return import.meta.resolve(specifier);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    console.error(`launch: the sources import '${specifier}', which node_modules/ does not hold: run \`npm ci\` to install what package-lock.json lists`);
    process.exit(1);
  }
}

/** Starts `tsc -b` on the synth's sources; resolves to its errors, or "". */
function typecheck() {
  const tsc = spawn(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", join(root, "tsconfig.synth.json")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  tsc.stdout.on("data", (chunk) => (output += chunk));
  tsc.stderr.on("data", (chunk) => (output += chunk));
  const errors = new Promise((resolve, reject) => {
    tsc.on("error", reject);
    tsc.on("close", (code) => resolve(code === 0 ? "" : output || `tsc exited with ${code}`));
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
// Node 22.1 and later keep V8's compiled code of the bundles on disk: loading the 5 MB vendor bundle is then
// mostly a read. Node 20 has no such cache and skips this.
module.enableCompileCache?.(join(out, "compile-cache"));
const check = spec.typecheck ? typecheck() : undefined;
const built = await Promise.all([spec.entry, ...(spec.also ?? [])].map(bundle));
const vendorName = await vendor(new Set(built.flatMap((b) => [...b.vendored])));
for (const { outfile, text, reused } of built) if (!reused) writeAtomically(outfile, text.replaceAll(VENDOR_PLACEHOLDER, `./${vendorName}`));
process.setSourceMapsEnabled(true);
const { main, TypeCheckFailed } = createRequire(import.meta.url)(built[0].outfile);
await main(args, async () => {
  const errors = await check?.errors;
  if (errors) throw new TypeCheckFailed(errors);
});
// A render that failed before the write leaves tsc running: its answer no longer matters.
check?.stop();
