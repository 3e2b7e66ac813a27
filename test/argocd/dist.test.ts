/**
 * What Argo CD will read: the committed dist/. These tests need the synth's output and fail, saying so,
 * when it is missing; the same invariants run on a synthetic target list in chart.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { minimatch } from "minimatch";
import { parseAllDocuments } from "yaml";
import { isClusterScoped } from "../../argocd/index";
import { loadEnvironments, type Environment } from "../../environments/index";
import type { KubeObject } from "../../lib/kube-object";
import { stackSettings } from "../support/stacks";
import { at, coverageProblems, effectiveApplications, type EffectiveApplication, projectAllows } from "./support/argo";

const ROOT = join(__dirname, "../..");
const DIST = join(ROOT, "dist");
const ARGOCD = join(DIST, "argocd");

function readObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

const yamlFiles = (dir: string) => readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Dist {
  /** `dist/<env>/<stack>` folders, relative to the repository. */
  readonly folders: string[];
  /** Objects of each folder, kustomization.yaml aside. */
  readonly objects: Map<string, KubeObject[]>;
  /** Objects of dist/argocd/ by file name. */
  readonly argocd: Map<string, KubeObject[]>;
}

function readDist(): Dist {
  if (!existsSync(ARGOCD)) {
    throw new Error(
      `dist/argocd/ is missing (looked in ${ARGOCD}): run \`npm run synth\` first; these tests check what Argo CD reads from the committed dist/`,
    );
  }
  const folders = readdirSync(DIST)
    .filter((env) => env !== "argocd" && statSync(join(DIST, env)).isDirectory())
    .flatMap((env) => readdirSync(join(DIST, env)).map((stack) => `dist/${env}/${stack}`))
    .filter((folder) => statSync(join(ROOT, folder)).isDirectory())
    .sort();
  const objects = new Map(
    folders.map((folder) => [
      folder,
      yamlFiles(join(ROOT, folder))
        .filter((f) => f !== "kustomization.yaml")
        .flatMap((f) => readObjects(join(ROOT, folder, f))),
    ]),
  );
  const argocd = new Map(yamlFiles(ARGOCD).map((f) => [f, readObjects(join(ARGOCD, f))]));
  return { folders, objects, argocd };
}

const annotation = (o: KubeObject, key: string) => o.metadata.annotations?.[key];
const id = (folder: string, o: KubeObject) => `${folder}: ${o.kind} '${o.metadata.name}'`;

describe("dist/ as Argo CD reads it", () => {
  let dist: Dist;
  let argoObjects: KubeObject[];
  let applications: EffectiveApplication[];

  beforeAll(() => {
    dist = readDist();
    argoObjects = [...dist.argocd.values()].flat();
    applications = effectiveApplications(argoObjects);
  });

  test("every Application's path exists, and every dist/<env>/<stack> folder is targeted by exactly one", () => {
    expect(dist.folders.length).toBeGreaterThan(0);
    expect(coverageProblems(argoObjects, dist.folders, (path) => existsSync(join(ROOT, path)))).toEqual([]);
  });

  test("the root applies every other file of dist/argocd/, and not itself", () => {
    const roots = applications.filter((a) => a.path === "dist/argocd");
    expect(roots.map((r) => r.name)).toEqual(["slipway"]);
    const include = at(roots[0].application, "spec", "source", "directory", "include") as string;
    const rootFile = [...dist.argocd].find(([, objects]) => objects.some((o) => o.kind === "Application" && o.metadata.name === "slipway"))?.[0];
    expect(rootFile).toBe("root.yaml");
    expect([...dist.argocd.keys()].filter((f) => minimatch(f, include))).toEqual([...dist.argocd.keys()].filter((f) => f !== rootFile));
  });

  test("each Application deploys where its environment file says, and its project allows nothing else", () => {
    const envs = loadEnvironments(join(ROOT, "environments"), stackSettings);
    const projects = new Map(argoObjects.filter((o) => o.kind === "AppProject").map((p) => [p.metadata.name, p]));
    for (const app of applications.filter((a) => a.path !== "dist/argocd")) {
      const [, env, stack] = app.path.split("/");
      const data = envs.find((e) => e.name === env)!.data as unknown as Environment["data"];
      const cluster = data.argocd.clusterRef === "server" ? { server: data.cluster.server } : { name: data.cluster.name };
      expect({ app: app.name, destination: app.destination }).toEqual({
        app: app.name,
        destination: { ...cluster, namespace: data.stacks[stack]?.namespace },
      });
      const allowed = at(projects.get(app.project), "spec", "destinations") as unknown[];
      expect(allowed).toContainEqual(app.destination);
    }
  });

  test("each Application syncs as its environment file chose: automated or manual, finalizer or not", () => {
    const envs = loadEnvironments(join(ROOT, "environments"), stackSettings);
    for (const app of applications.filter((a) => a.path !== "dist/argocd")) {
      const settings = envs.find((e) => e.name === app.path.split("/")[1])!.data.argocd;
      expect({ app: app.name, automated: at(app.application, "spec", "syncPolicy", "automated"), finalizers: at(app.application, "metadata", "finalizers") }).toEqual({
        app: app.name,
        automated: settings.automated && { ...settings.automated, allowEmpty: false },
        finalizers: settings.finalizer ? ["resources-finalizer.argocd.argoproj.io"] : undefined,
      });
    }
  });

  test("every object is one its Application's project allows, in the Application's namespace", () => {
    const projects = new Map(argoObjects.filter((o) => o.kind === "AppProject").map((p) => [p.metadata.name, p]));
    const problems: string[] = [];
    for (const [folder, objects] of dist.objects) {
      const app = applications.find((a) => a.path === folder);
      if (!app) continue;
      const project = projects.get(app.project)!;
      for (const o of objects) {
        if (!projectAllows(project, o, isClusterScoped(o))) problems.push(`${id(folder, o)} is not allowed by project '${app.project}'`);
        if (!isClusterScoped(o) && o.metadata.namespace !== undefined && o.metadata.namespace !== app.destination.namespace) {
          problems.push(`${id(folder, o)} is in namespace '${o.metadata.namespace}', not its Application's '${app.destination.namespace}'`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("every PVC and every StatefulSet holding volumes survives prune and Application deletion", () => {
    const unprotected: string[] = [];
    for (const [folder, objects] of dist.objects) {
      for (const o of objects) {
        const holdsData = o.kind === "PersistentVolumeClaim" || (o.kind === "StatefulSet" && ((at(o, "spec", "volumeClaimTemplates") as unknown[] | undefined)?.length ?? 0) > 0);
        if (!holdsData) continue;
        const options = (annotation(o, "argocd.argoproj.io/sync-options") ?? "").split(",").map((s) => s.trim());
        if (!options.includes("Prune=false") || !options.includes("Delete=false")) {
          unprotected.push(`${id(folder, o)}: sync-options '${options.join(",")}', expected Prune=false,Delete=false`);
        }
      }
    }
    expect(unprotected).toEqual([]);
  });
});
