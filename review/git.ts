/**
 * Reading a commit's files without touching the work tree: `git ls-tree` lists them, one
 * `git cat-file --batch` reads them all. The one module of review/ that does I/O.
 */
import { spawnSync } from "node:child_process";

/** git failed; its own message says why. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

function git(cwd: string, args: readonly string[], input?: Buffer | string): Buffer {
  const result = spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30 });
  if (result.error) throw new GitError(`git ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) throw new GitError(`git ${args.join(" ")}: ${result.stderr.toString().trim() || `exit ${result.status}`}`);
  return result.stdout;
}

/** The commit `ref` names, or undefined when it names none. */
export function commitOf(cwd: string, ref: string): string | undefined {
  const result = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function mergeBase(cwd: string, a: string, b: string): string {
  return git(cwd, ["merge-base", a, b]).toString().trim();
}

/** Text of every file under `dir` (relative to `cwd`) at `commit`, by path relative to `dir`. */
export function readTreeAt(cwd: string, commit: string, dir: string): Map<string, string> {
  const listing = git(cwd, ["ls-tree", "-r", "-z", commit, "--", dir]).toString();
  const blobs = listing
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split("\t");
      const [, type, oid] = meta.split(" ");
      return { type, oid, path };
    })
    .filter((e) => e.type === "blob");
  const out = new Map<string, string>();
  if (!blobs.length) return out;
  const batch = git(cwd, ["cat-file", "--batch"], `${blobs.map((b) => b.oid).join("\n")}\n`);
  let at = 0;
  for (const blob of blobs) {
    const headerEnd = batch.indexOf(0x0a, at);
    const size = Number(batch.toString("utf8", at, headerEnd).split(" ")[2]);
    const start = headerEnd + 1;
    out.set(blob.path.slice(dir.length + 1), batch.toString("utf8", start, start + size));
    at = start + size + 1;
  }
  return out;
}

/** Writes the files of `commit` (the whole tree) into the folder `into`. */
export function exportCommit(cwd: string, commit: string, into: string): void {
  const archive = git(cwd, ["archive", "--format=tar", commit]);
  const result = spawnSync("tar", ["-x", "-C", into], { input: archive });
  if (result.status !== 0) throw new GitError(`tar -x: ${result.stderr.toString().trim()}`);
}
