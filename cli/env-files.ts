/**
 * What promote and diff read from an environment file before any render: its text, its images, its
 * digest policy and its sync windows. The render validates the whole file; here only the sections these
 * commands decide on are checked, with the same messages.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, Policy } from "../environments";
import { SyncWindow } from "../environments/argocd";
import { formatIssues } from "../environments/format";
import { imagesOf, type EnvImages } from "../review/promotion";
import type { SyncWindowSpec } from "../review/sync-windows";

export interface EnvFile extends EnvImages {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
  readonly windows: readonly SyncWindowSpec[];
}

const Decisions = z.object({
  policy: Policy,
  argocd: z.object({ syncWindows: z.array(SyncWindow).default([]) }).loose().prefault({}),
});

/** Reads `environments/<name>.yaml` (or `.yml`) of the project at `root`; messages name it relative to `root`. */
export function readEnvFile(root: string, name: string): EnvFile {
  const dir = join(root, "environments");
  const fileName = readdirSync(dir).find((f) => f === `${name}.yaml` || f === `${name}.yml`);
  if (!fileName) throw new ConfigError([`${relative(root, dir) || "."}: no environment '${name}' (expected ${name}.yaml)`]);
  const path = join(dir, fileName);
  const file = relative(root, path);
  const text = readFileSync(path, "utf8");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `${file}:${line}:${col}: YAML syntax error: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  const data: unknown = doc.toJS();
  const parsed = Decisions.safeParse(data ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(file, Decisions, parsed.error.issues, doc, lines));
  return {
    name,
    file,
    path,
    text,
    images: imagesOf(data),
    requireDigests: parsed.data.policy.requireImageDigests,
    windows: parsed.data.argocd.syncWindows,
  };
}
