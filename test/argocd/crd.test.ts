/**
 * Every Argo CD object Slipway renders, in every delivery mode, against Argo CD 3.5.0's own CRDs (the
 * minimum version README.md and docs/argocd.md name), and every ExternalSecret against External Secrets'.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdk8s";
import { parseAllDocuments } from "yaml";
import { ArgoCdChart, MIN_ARGOCD_VERSION } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { find, fixtureEnv, fixtureEnvs, render, resourcesOf, targetsOf } from "./support/argo";
import { ARGOCD_CRDS, argoCdProblems, crdProblems, ESO_CRDS, loadCrds, missingListDefaults } from "./support/crds";
import { PREVIEWS, relocatable } from "./support/previews";

const ROOT = join(__dirname, "../..");
const DIST = join(ROOT, "dist");

function readFolder(dir: string): KubeObject[] {
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`npm run synth\` first; this test checks the committed dist/`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS() as KubeObject));
}

describe(`Argo CD ${MIN_ARGOCD_VERSION} CRDs`, () => {
  test("README.md and docs/argocd.md name it as the minimum version", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(`**Requires Argo CD ${MIN_ARGOCD_VERSION} or newer**`);
    expect(readFileSync(join(ROOT, "docs/argocd.md"), "utf8")).toContain(`**Minimum version: Argo CD ${MIN_ARGOCD_VERSION}.**`);
  });

  test("the fixtures are that version's manifests/crds", () => {
    expect(ARGOCD_CRDS.endsWith(`argo-cd-v${MIN_ARGOCD_VERSION}`)).toBe(true);
    expect(readdirSync(ARGOCD_CRDS).sort()).toEqual(["README.md", "application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"]);
  });

  test("every object of the Applications mode validates", () => {
    expect(argoCdProblems(render().objects)).toEqual([]);
  });

  test("every object of the ApplicationSet mode validates", () => {
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, e.name === "prod" ? {} : { delivery: "applicationSet", stacks: {} }));
    const { objects } = render(envs);
    expect(objects.filter((o) => o.kind === "ApplicationSet").length).toBe(2);
    expect(argoCdProblems(objects)).toEqual([]);
  });

  test("the pull-request previews validate", () => {
    const dev = fixtureEnv("dev", { previews: { ...PREVIEWS, tokenRef: { secretName: "github-token", key: "token" } } });
    const [web] = targetsOf([dev]);
    const objects = new ArgoCdChart(Testing.app(), "argocd", { environments: [dev], targets: [{ ...web, resources: resourcesOf(relocatable) }] }).toJson() as KubeObject[];
    expect(find(objects, "ApplicationSet", "preview-web-dev")).toBeDefined();
    expect(argoCdProblems(objects)).toEqual([]);
  });

  test("the committed dist/argocd/ validates", () => {
    const objects = readFolder(join(DIST, "argocd"));
    expect(objects.length).toBeGreaterThan(0);
    expect(argoCdProblems(objects)).toEqual([]);
  });

  test("the check is strict: a misspelt or unknown field, a wrong type and a kind without a CRD are refused", () => {
    const [project] = render([fixtureEnv("prod")]).objects.filter((o) => o.kind === "AppProject" && o.metadata.name === "web-prod");
    const typo = structuredClone(project) as KubeObject & { spec: { syncWindows: Record<string, unknown>[]; destinations: unknown } };
    typo.spec.syncWindows[0].overrun = true;
    typo.spec.destinations = "shop";
    expect(argoCdProblems([typo, { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "x" } }])).toEqual([
      "AppProject 'web-prod': spec.destinations: must be array",
      "AppProject 'web-prod': spec.syncWindows[0]: unknown field 'overrun'",
      "Rollout 'x': no CRD for argoproj.io/v1alpha1 Rollout",
    ]);
  });

  test("the fields docs/argocd.md dates are in this version's schema: syncOverrun, retry.refresh, a named cluster whitelist entry", () => {
    const { objects } = render();
    const prod = find(objects, "AppProject", "web-prod");
    const staging = find(objects, "AppProject", "web-staging");
    expect(JSON.stringify(prod)).toContain('"syncOverrun":true');
    expect(JSON.stringify(staging)).toContain('"clusterResourceWhitelist":[{"group":"","kind":"Namespace","name":"web-staging"}]');
    expect(JSON.stringify(find(objects, "Application", "web-staging"))).toContain('"refresh":true');
    expect(argoCdProblems([prod, staging])).toEqual([]);
  });
});

describe("External Secrets CRDs (0.17.0, the version @kubernetes-models/external-secrets models)", () => {
  const eso = loadCrds(ESO_CRDS);
  const folders = (dir: string) => readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
  const externalSecrets = folders(DIST)
    .filter((env) => env !== "argocd")
    .flatMap((env) => folders(join(DIST, env)).flatMap((stack) => readFolder(join(DIST, env, stack))))
    .filter((o) => o.kind === "ExternalSecret");

  test("every committed ExternalSecret validates", () => {
    expect(externalSecrets.length).toBeGreaterThan(0);
    expect(crdProblems(eso, externalSecrets)).toEqual([]);
  });

  test("defect 4: every field the CRD defaults inside a list item is rendered, so no diff sees it as drift", () => {
    expect(externalSecrets.flatMap((o) => missingListDefaults(ESO_CRDS, o).map((m) => `${o.metadata.namespace}/${o.metadata.name}: ${m}`))).toEqual([]);
    const bare = { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", spec: { data: [{ secretKey: "password", remoteRef: { key: "k" } }] } };
    expect(missingListDefaults(ESO_CRDS, bare)).toEqual([
      'spec.data[0].remoteRef.conversionStrategy: "Default"',
      'spec.data[0].remoteRef.decodingStrategy: "None"',
      'spec.data[0].remoteRef.metadataPolicy: "None"',
    ]);
  });
});
