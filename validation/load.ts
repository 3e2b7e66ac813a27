/**
 * Reads a folder (or one file) of manifests back into RenderedFiles, for `npm run validate` and tests:
 * the files Argo CD applies from a directory source, `*.yaml`, `*.yml` (any number of documents) and
 * `*.json` (one object).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import type { KubeObject, RenderedFile } from "../lib/kube-object";
import { byCodePoint } from "../lib/order";
import { describe } from "./lib/values";

/** The folder could not be read as manifests; every problem names the file, line and column. */
export class LoadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "LoadError";
  }
}

/** Argo CD's directory source reads these (reposerver `manifestFile`); `.jsonnet` needs a jsonnet VM and is not read. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => byCodePoint(a.name, b.name))
    .flatMap((e) => (e.isDirectory() ? manifestFiles(join(dir, e.name)) : e.isFile() && MANIFEST_FILE.test(e.name) ? [join(dir, e.name)] : []));
}

interface Parsed {
  readonly objects: KubeObject[];
  readonly problems: string[];
}

/** The documents of one YAML text, empty documents dropped; `display` names the file in errors. */
export function parseYaml(display: string, text: string): Parsed {
  const lines = new LineCounter();
  const objects: KubeObject[] = [];
  const problems: string[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })) {
    if (doc.errors.length) {
      for (const error of doc.errors) {
        const { line, col } = lines.linePos(error.pos[0]);
        problems.push(`${display}:${line}:${col}: YAML syntax error: ${error.message.split("\n")[0]}`);
      }
      continue;
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value as KubeObject);
  }
  return { objects, problems };
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/**
 * The object of one JSON text. Argo CD decodes a `.json` file as exactly one object (a List object is
 * then applied item by item), so an array or a scalar is refused here as it would be there.
 */
export function parseJson(display: string, text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // V8 names the offset it stopped at; without one, the text ended too early.
    const offset = /position (\d+)/.exec(e.message)?.[1];
    return { objects: [], problems: [`${display}:${position(text, offset === undefined ? text.length : Number(offset))}: JSON syntax error`] };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { objects: [], problems: [`${display}: expected one JSON object (Argo CD reads one object per .json file), got ${describe(value)}`] };
  }
  return { objects: [value as KubeObject], problems: [] };
}

/**
 * Every manifest file under `target` (or `target` itself if it is a file), with paths relative to
 * `root` in POSIX form, sorted. `displayRoot` prefixes paths in error messages.
 */
export function readManifests(target: string, root: string, displayRoot: string): RenderedFile[] {
  const files = statSync(target).isDirectory() ? manifestFiles(target) : [target];
  const out: RenderedFile[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const path = (relative(root, file) || basename(file)).split(sep).join("/");
    const display = displayRoot ? `${displayRoot}/${path}` : path;
    // A byte-order mark is not content: editors on Windows add one, and Argo CD reads past it.
    const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    const parsed = file.endsWith(".json") ? parseJson(display, text) : parseYaml(display, text);
    problems.push(...parsed.problems);
    out.push({ path, objects: parsed.objects });
  }
  if (problems.length) throw new LoadError(problems);
  return out;
}
