/**
 * The root objects: what `npm run synth` renders into `dist/argocd/root.yaml` (the app-of-apps Application and
 * the project it belongs to), read back as plain objects. The bootstrap applies exactly these, never a copy
 * built by hand, so the committed file stays the one statement of the root.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ConfigError } from "../lib/errors";
import type { KubeObject } from "../lib/kube-object";

/** The generator's file of bootstrap objects: the root reads every other file of dist/argocd/, never this one. */
export const ROOT_FILE = "dist/argocd/root.yaml";

const ARGO_GROUP = "argoproj.io/";

export interface RootExpectations {
  /** Argo CD's namespace, as the environments name it. */
  readonly namespace: string;
  /** The repository, as the environments name it. */
  readonly repoURL: string;
}

/**
 * Reads the root objects under `repoRoot`, AppProjects first (an Application needs its project), and checks
 * that they match the environments: a mismatch means dist/ was not rendered from them.
 */
export function readRootObjects(repoRoot: string, expected: RootExpectations): KubeObject[] {
  const docs = parseAllDocuments(readFileSync(join(repoRoot, ROOT_FILE), "utf8"));
  const problems: string[] = [];
  const objects: KubeObject[] = [];
  docs.forEach((doc, i) => {
    for (const error of doc.errors) problems.push(`${ROOT_FILE}: document ${i + 1}: YAML syntax error: ${error.message.split("\n")[0]}`);
    const object = doc.toJS() as KubeObject | null;
    if (object) objects.push(object);
  });
  if (problems.length) throw new ConfigError(problems);

  const stale = `run \`npm run synth\` and commit dist/`;
  objects.forEach((o, i) => {
    const where = `${ROOT_FILE}: ${o.kind ?? `document ${i + 1}`} '${o.metadata?.name}'`;
    if (!o.apiVersion?.startsWith(ARGO_GROUP) || (o.kind !== "Application" && o.kind !== "AppProject")) {
      problems.push(`${where}: expected an Argo CD Application or AppProject, got ${o.apiVersion} ${o.kind}`);
    } else if (o.metadata.namespace !== expected.namespace) {
      problems.push(`${where}: metadata.namespace is '${o.metadata.namespace}', but the environments name Argo CD's namespace '${expected.namespace}'; ${stale}`);
    } else if (o.kind === "Application") {
      const source = (o.spec as { source?: { repoURL?: string } } | undefined)?.source;
      if (source?.repoURL !== expected.repoURL) {
        problems.push(`${where}: spec.source.repoURL is '${source?.repoURL}', but the environments name '${expected.repoURL}'; ${stale}`);
      }
    }
  });
  if (!objects.some((o) => o.kind === "Application")) problems.push(`${ROOT_FILE}: expected the root Application, found none; ${stale}`);
  if (problems.length) throw new ConfigError(problems);
  const rank = (o: KubeObject) => (o.kind === "AppProject" ? 0 : 1);
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(({ o }) => o);
}
