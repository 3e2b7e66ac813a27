// `npm run lockfile`: lists every optional platform package in package-lock.json, so `npm ci` works on
// any machine. Run it after `npm install` changes the lockfile; `--check` only reports (exit 1 if any is
// missing), for the test that keeps a broken lockfile from being committed.
//
// Why: the registry these machines reach serves @swc/core's and unrs-resolver's binaries for Linux only,
// so `npm install` leaves the other platforms' optional packages (darwin, win32, …) out of the lockfile,
// and `npm ci` then refuses the lockfile as out of sync with package.json. An entry with the package's
// version, os and cpu is all `npm ci` needs: it skips packages for other platforms without fetching them.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OS = ["darwin", "linux", "win32", "freebsd", "android", "openharmony", "sunos", "aix", "netbsd", "openbsd"];
const CPU = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64", "mips64el"];

/** The entries `lock` lacks for its packages' optional dependencies, inferred from the packages' names. */
export function missingPlatformEntries(lock) {
  const packages = lock.packages;
  const missing = {};
  for (const [path, meta] of Object.entries(packages)) {
    for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
      const key = `node_modules/${dep}`;
      if (packages[key] || packages[`${path}/node_modules/${dep}`] || missing[key]) continue;
      const tokens = dep.split(/[-/]/);
      const os = tokens.filter((t) => OS.includes(t));
      const cpu = tokens.filter((t) => CPU.includes(t));
      if (os.length === 0) continue; // not a platform binary: a real omission npm must resolve
      const libc = tokens.some((t) => t.startsWith("musl")) ? ["musl"] : tokens.some((t) => t.startsWith("gnu")) ? ["glibc"] : undefined;
      missing[key] = { version, cpu, ...(meta.dev ? { dev: true } : {}), ...(libc ? { libc } : {}), optional: true, os };
    }
  }
  return missing;
}

function main(check) {
  const file = join(dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
  const lock = JSON.parse(readFileSync(file, "utf8"));
  const missing = missingPlatformEntries(lock);
  const added = Object.keys(missing);
  if (added.length === 0) {
    console.log("lockfile: every optional platform package is listed");
    return;
  }
  if (check) {
    console.error(`lockfile: ${added.length} optional platform package(s) missing, so npm ci fails: run npm run lockfile`);
    process.exitCode = 1;
    return;
  }
  const entries = Object.entries({ ...lock.packages, ...missing });
  const [rootEntry, ...rest] = entries;
  lock.packages = Object.fromEntries([rootEntry, ...rest.sort(([a], [b]) => a.localeCompare(b, "en"))]);
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`lockfile: listed ${added.length} optional platform package(s): ${added.map((k) => k.slice("node_modules/".length)).join(", ")}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.includes("--check"));
