/**
 * Throwaway copies of this project as real git repositories, for the commands that work on one (promote,
 * diff): the sources, the environment files a test chooses, a rendered dist/, committed on `main`. The
 * commands run as bundles in their own process, so a test sees what a user sees: stdout, stderr and the
 * exit code. Bundles live under .build/ inside the repository, so their packages resolve from its
 * node_modules; each project links node_modules too, for commands that run npm inside it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { buildSync } from "esbuild";
import { readTree } from "./tree";

export const ROOT = join(__dirname, "../..");

/** Top-level folders a project copy leaves out: generated, tests, or not needed to render. */
const NOT_COPIED = new Set(["dist", "test", "node_modules", ".build", "bench", "docs"]);

/** git without the machine's own configuration (signing, hooks, default branch), with a fixed author. */
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Slipway Test",
  GIT_AUTHOR_EMAIL: "test@slipway.invalid",
  GIT_COMMITTER_NAME: "Slipway Test",
  GIT_COMMITTER_EMAIL: "test@slipway.invalid",
};

/** Bundles a command into .build/test/<folder>/, once per test file (each file its own folder: jest runs files in parallel). */
export function bundle(entry: string, folder: string): string {
  const outfile = join(ROOT, ".build/test", folder, basename(entry).replace(/\.ts$/, ".js"));
  buildSync({ entryPoints: [join(ROOT, entry)], bundle: true, platform: "node", packages: "external", outfile, logLevel: "error" });
  return outfile;
}

export interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class Project {
  constructor(readonly dir: string) {}

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, encoding: "utf8", env: { ...process.env, ...GIT_ENV } });
  }

  /** Runs a bundled command with the project as working directory. */
  run(command: string, ...args: string[]): Result {
    const r = spawnSync(process.execPath, [command, ...args], { cwd: this.dir, encoding: "utf8", env: { ...process.env, ...GIT_ENV } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Every file of the project but git's and node_modules, by path: to show that a refusal wrote nothing. */
  files(): Record<string, string> {
    return readTree(this.dir, ["node_modules", ".git", ".build"]);
  }

  /** A clone, on its own branch: each test changes its own copy. */
  clone(branch: string): Project {
    const dir = mkdtempSync(join(tmpdir(), "slipway-project-"));
    execFileSync("git", ["clone", "--quiet", this.dir, dir], { env: { ...process.env, ...GIT_ENV } });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    const copy = new Project(dir);
    copy.git("checkout", "--quiet", "-b", branch);
    return copy;
  }
}

/**
 * A repository with this project's sources and the environment files in `environments` (a folder of
 * fixtures, or the live environments/), rendered by `synth` (the bundled main.ts) and committed on main.
 */
export function createProject(environments: string, synth: string): Project {
  const dir = mkdtempSync(join(tmpdir(), "slipway-project-"));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  for (const file of listed.split("\0").filter(Boolean)) {
    if (NOT_COPIED.has(file.split("/")[0]) || (file.startsWith("environments/") && /\.ya?ml$/.test(file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  for (const file of readdirSync(environments).filter((f) => /\.ya?ml$/.test(f))) copyFileSync(join(environments, file), join(dir, "environments", file));
  const project = new Project(dir);
  const rendered = project.run(synth, "--quiet");
  if (rendered.status !== 0) throw new Error(`synth failed in ${dir}:\n${rendered.stderr}`);
  project.git("init", "--quiet", "--initial-branch=main");
  project.git("add", "-A");
  project.git("commit", "--quiet", "-m", "base");
  // After the commit: .gitignore's `node_modules/` ignores a folder, not a link.
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return project;
}
