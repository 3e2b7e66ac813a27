/** Reads a folder (or one file) of Kubernetes YAML back into RenderedFiles, for `npm run validate` and tests. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import type { KubeObject, RenderedFile } from "../lib/kube-object";

/** The folder could not be read as YAML; every problem names the file, line and column. */
export class LoadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "LoadError";
  }
}

const YAML_FILE = /\.ya?ml$/;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.isFile() && YAML_FILE.test(e.name) ? [join(dir, e.name)] : []));
}

/** The documents of one YAML text, empty documents dropped; `display` names the file in errors. */
export function parseYaml(display: string, text: string): { objects: KubeObject[]; problems: string[] } {
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

/**
 * Every `.yaml`/`.yml` file under `target` (or `target` itself if it is a file), with paths relative
 * to `root` in POSIX form, sorted. `displayRoot` prefixes paths in error messages.
 */
export function readYaml(target: string, root: string, displayRoot: string): RenderedFile[] {
  const files = statSync(target).isDirectory() ? yamlFiles(target) : [target];
  const out: RenderedFile[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const path = (relative(root, file) || basename(file)).split(sep).join("/");
    const parsed = parseYaml(displayRoot ? `${displayRoot}/${path}` : path, readFileSync(file, "utf8"));
    problems.push(...parsed.problems);
    out.push({ path, objects: parsed.objects });
  }
  if (problems.length) throw new LoadError(problems);
  return out;
}
