/** Helpers for the write-path tests: scratch folders, file-system failures, processes that are gone. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { getSystemErrorMap } from "node:util";

/** A new empty folder, by its real path (the writer reports real paths). */
export const scratch = () => realpathSync(mkdtempSync(join(tmpdir(), "slipway-write-")));

/**
 * The error Node raises when the operating system refuses `syscall` with `code`, for injecting failures
 * into fs calls. Tests run as root, where chmod cannot make a write fail with EACCES, and no test can fill a
 * disk: failures are injected, never provoked.
 */
export function systemError(code: keyof typeof constants.errno, syscall: string, path?: string): NodeJS.ErrnoException {
  const errno = -constants.errno[code];
  const words = getSystemErrorMap().get(errno)?.[1];
  return Object.assign(new Error(`${code}: ${words}, ${syscall}${path ? ` '${path}'` : ""}`), { code, errno, syscall, ...(path ? { path } : {}) });
}

/** The pid of a process that has exited. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid;
}
