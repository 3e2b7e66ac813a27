/**
 * A lock file, so that one run at a time writes an output folder. Creating it with O_EXCL is atomic; it
 * names its holder (pid, host, since when), so a lock left behind by a killed run is recognised at once (its
 * process is gone) and broken, rather than after a timeout. A holder on another host cannot be checked: it
 * is waited for like a live one.
 *
 * Not proper-lockfile: it judges a lock stale by an mtime its holder refreshes on a timer, and a synth
 * renders synchronously for seconds on a big app, long enough to look dead while it is not.
 */
import { readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

/** Who holds a lock; `pid` is undefined while its holder has created the file but not yet written it. */
export interface Holder {
  readonly pid?: number;
  readonly host?: string;
  /** ISO time the lock was taken. */
  readonly since?: string;
}

export interface LockOptions {
  /**
   * How long to wait for a live holder before giving up with LockTimeout.
   * @default 60_000
   */
  readonly timeoutMs?: number;
  /**
   * Called once, when the lock is found held by a live run, before waiting for it.
   * @default - nothing
   */
  readonly onWait?: (holder: Holder) => void;
}

/** The lock stayed held by a live run for longer than the timeout. */
export class LockTimeout extends Error {
  constructor(
    readonly path: string,
    readonly holder: Holder,
  ) {
    super(`${path} is held by another run${holderDetails(holder)}`);
    this.name = "LockTimeout";
  }
}

export interface Lock {
  /** Removes the lock file if it is still this run's. */
  release(): void;
}

const POLL_MS = 50;
/** A lock file still empty after this long was left by a run killed between creating and writing it. */
const UNWRITTEN_STALE_MS = 5_000;
/** A `.break` file older than this was left by a run killed while breaking a stale lock (a few microseconds' work). */
const BREAK_STALE_MS = 5_000;

/** ` (pid 4242 on build-1, since 2025-…)`, or nothing while the holder is unknown; for messages. */
export function holderDetails(holder: Holder): string {
  return holder.pid === undefined ? "" : ` (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
}

export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies Holder);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let waiting = false;
  for (;;) {
    if (create(path, mine)) {
      return {
        release: () => {
          if (readText(path) === mine) unlinkQuietly(path);
        },
      };
    }
    const held = readText(path);
    if (held === undefined) continue; // released between our attempt and the read
    const holder = parseHolder(held);
    if (isStale(holder, path)) {
      if (!breakStale(path, held)) await sleep(POLL_MS);
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeout(path, holder);
    if (!waiting) options.onWait?.(holder);
    waiting = true;
    await sleep(POLL_MS);
  }
}

/** Creates `path` holding `text` unless it exists; false if it does. */
function create(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: "wx" });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function parseHolder(text: string): Holder {
  try {
    const { pid, host, since } = JSON.parse(text) as Holder;
    return Number.isInteger(pid) && typeof host === "string" ? { pid, host, since: String(since) } : {};
  } catch {
    return {}; // not yet written, or cut short by a kill
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
}

function isStale(holder: Holder, path: string): boolean {
  if (holder.pid === undefined) return ageMs(path) > UNWRITTEN_STALE_MS;
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Removes the stale lock whose text is `held`. Two runs may find the same stale lock; a second lock file,
 * `<path>.break`, lets only one of them remove it, and only while it still holds that text (the other could
 * have taken the lock meanwhile). Returns false when another run is breaking it.
 */
function breakStale(path: string, held: string): boolean {
  const breaker = `${path}.break`;
  if (!create(breaker, String(process.pid))) {
    if (ageMs(breaker) > BREAK_STALE_MS) unlinkQuietly(breaker);
    return false;
  }
  try {
    if (readText(path) === held) unlinkQuietly(path);
  } finally {
    unlinkQuietly(breaker);
  }
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
