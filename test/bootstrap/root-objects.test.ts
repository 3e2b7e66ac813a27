/** The root objects are read from dist/argocd/root.yaml and must match the environments they were rendered from. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRootObjects } from "../../bootstrap/root-objects";
import { problemsOf } from "../support/problems";
const REPO_ROOT = join(__dirname, "../..");

const EXPECTED = { namespace: "argocd", repoURL: "https://github.com/acme/slipway.git" };

function problems(rootYaml: string): readonly string[] {
  const root = mkdtempSync(join(tmpdir(), "slipway-root-"));
  mkdirSync(join(root, "dist/argocd"), { recursive: true });
  writeFileSync(join(root, "dist/argocd/root.yaml"), rootYaml);
  return problemsOf(() => readRootObjects(root, EXPECTED));
}

const committed = readFileSync(join(REPO_ROOT, "dist/argocd/root.yaml"), "utf8");

describe("root objects", () => {
  test("the committed root.yaml holds the root Application, AppProjects first", () => {
    const objects = readRootObjects(REPO_ROOT, EXPECTED);
    expect(objects.map((o) => o.kind)).toEqual([...objects.map((o) => o.kind)].sort());
    expect(objects.filter((o) => o.kind === "Application").map((o) => o.metadata.name)).toEqual(["slipway"]);
  });

  test("a root rendered from other environments is stale and refused", () => {
    expect(problems(committed.replaceAll("https://github.com/acme/slipway.git", "https://github.com/acme/old.git"))).toEqual([
      "dist/argocd/root.yaml: Application 'slipway': spec.source.repoURL is 'https://github.com/acme/old.git', but the environments name 'https://github.com/acme/slipway.git'; run `npm run synth` and commit dist/",
    ]);
  });

  test("anything but Argo CD objects is refused", () => {
    expect(problems("apiVersion: v1\nkind: Secret\nmetadata: { name: x, namespace: argocd }\n")).toEqual([
      "dist/argocd/root.yaml: Secret 'x': expected an Argo CD Application or AppProject, got v1 Secret",
      "dist/argocd/root.yaml: expected the root Application, found none; run `npm run synth` and commit dist/",
    ]);
  });
});
