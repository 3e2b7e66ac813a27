/**
 * Writes the output folder atomically: everything is written to a staging folder beside it, then swapped
 * in with two renames. A failure before the swap leaves the output exactly as it was; files of removed
 * stacks disappear because the new folder holds only what was rendered.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Returns the number of files written.
 * @param outDir the output folder, e.g. `dist`
 * @param files file texts by path relative to `outDir`, written as they come
 * @param replace top-level folders the new files replace; others are carried over unchanged.
 *   Omit to replace the whole folder.
 */
export function writeOutput(outDir: string, files: Iterable<[string, string]>, replace?: readonly string[]): number {
  const parent = dirname(outDir);
  const name = basename(outDir);
  mkdirSync(parent, { recursive: true });
  removeLeftovers(parent, name);
  const staging = join(parent, `.${name}.staging-${process.pid}`);
  const previous = join(parent, `.${name}.previous-${process.pid}`);
  let written = 0;
  try {
    mkdirSync(staging);
    if (replace && existsSync(outDir)) {
      for (const entry of readdirSync(outDir)) {
        if (!replace.includes(entry)) cpSync(join(outDir, entry), join(staging, entry), { recursive: true });
      }
    }
    for (const [path, text] of files) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      written++;
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const hadOutput = existsSync(outDir);
  if (hadOutput) renameSync(outDir, previous);
  try {
    renameSync(staging, outDir);
  } catch (e) {
    if (hadOutput) renameSync(previous, outDir);
    throw e;
  }
  rmSync(previous, { recursive: true, force: true });
  return written;
}

/** Staging and previous folders of a run that was killed mid-way. */
function removeLeftovers(parent: string, name: string): void {
  const leftover = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(staging|previous)-\\d+$`);
  for (const entry of readdirSync(parent)) {
    if (leftover.test(entry)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}
