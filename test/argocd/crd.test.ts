/**
 * Every Argo CD object Slipway renders, in every delivery mode, through the validation gate's schema check
 * (validation/schema.ts): @kubernetes-models/argo-cd 4.0.0's published schemas, strict about unknown fields,
 * plus the Argo CD 3.5 fields those schemas predate, declared once in the gate. And every committed
 * ExternalSecret: through the same check, and with every field External Secrets defaults inside a list item.
 *
 * No CRD is committed here: the real check against Argo CD 3.5's CRDs is
 * `kubectl apply --dry-run=server -f dist/argocd/` on a cluster that runs them (docs/argocd.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdk8s";
import { parseAllDocuments } from "yaml";
import { ArgoCdChart, MIN_ARGOCD_VERSION } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { checkSchema, NEWER_THAN_MODELS } from "../../validation/schema";
import { find, fixtureEnv, fixtureEnvs, render, resourcesOf, targetsOf } from "./support/argo";
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

/** The gate's schema violations of each object, one line each. */
async function schemaProblems(objects: readonly unknown[]): Promise<string[]> {
  const out: string[] = [];
  for (const object of objects) {
    const o = object as { kind: string; metadata?: { name?: string } };
    for (const v of await checkSchema(object)) out.push(`${o.kind} '${o.metadata?.name}': ${v.field}: ${v.message}`);
  }
  return out;
}

/** Every field path of `value` that holds a scalar, as the gate names fields (`spec.syncWindows[0].syncOverrun`). */
function leafPaths(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, path ? `${path}.${k}` : k));
  }
  return [path];
}

const MODELS = JSON.parse(readFileSync(join(ROOT, "node_modules/@kubernetes-models/argo-cd/package.json"), "utf8")) as { version: string };

describe(`Argo CD objects against the gate's schemas (minimum version ${MIN_ARGOCD_VERSION})`, () => {
  test("README.md and docs/argocd.md name it as the minimum version", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(`**Requires Argo CD ${MIN_ARGOCD_VERSION} or newer**`);
    expect(readFileSync(join(ROOT, "docs/argocd.md"), "utf8")).toContain(`**Minimum version: Argo CD ${MIN_ARGOCD_VERSION}.**`);
  });

  test("every object of the Applications mode validates", async () => {
    expect(await schemaProblems(render().objects)).toEqual([]);
  });

  test("every object of the ApplicationSet mode validates", async () => {
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, e.name === "prod" ? {} : { delivery: "applicationSet", stacks: {} }));
    const { objects } = render(envs);
    expect(objects.filter((o) => o.kind === "ApplicationSet").length).toBe(2);
    expect(await schemaProblems(objects)).toEqual([]);
  });

  test("the pull-request previews validate", async () => {
    const dev = fixtureEnv("dev", { previews: { ...PREVIEWS, tokenRef: { secretName: "github-token", key: "token" } } });
    const [web] = targetsOf([dev]);
    const objects = new ArgoCdChart(Testing.app(), "argocd", { environments: [dev], targets: [{ ...web, resources: resourcesOf(relocatable) }] }).toJson() as KubeObject[];
    expect(find(objects, "ApplicationSet", "preview-web-dev")).toBeDefined();
    expect(await schemaProblems(objects)).toEqual([]);
  });

  test("the committed dist/argocd/ validates", async () => {
    const objects = readFolder(join(DIST, "argocd"));
    expect(objects.length).toBeGreaterThan(0);
    expect(await schemaProblems(objects)).toEqual([]);
  });

  test("the check is strict: a misspelt field, a wrong type, a 3.5 field of the wrong type and a kind without a schema are refused", async () => {
    const [project] = render([fixtureEnv("prod")]).objects.filter((o) => o.kind === "AppProject" && o.metadata.name === "web-prod");
    const typo = structuredClone(project) as KubeObject & { spec: { syncWindows: Record<string, unknown>[]; destinations: unknown } };
    typo.spec.syncWindows.push({ ...typo.spec.syncWindows[0], syncOverrun: "yes" });
    typo.spec.syncWindows[0].overrun = true;
    typo.spec.destinations = "shop";
    expect(await schemaProblems([typo, { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "x" } }])).toEqual([
      "AppProject 'web-prod': spec.destinations: expected array, got \"shop\"",
      "AppProject 'web-prod': spec.syncWindows[0].overrun: unknown field",
      "AppProject 'web-prod': spec.syncWindows[1].syncOverrun: expected boolean, got \"yes\"",
      "Rollout 'x': apiVersion: no schema for argoproj.io/v1alpha1/Rollout",
    ]);
  });

  test(`@kubernetes-models/argo-cd ${MODELS.version} models Argo CD v3.3.9: upgrading it means re-checking the gate's NEWER_THAN_MODELS`, () => {
    // Its go.mod requires github.com/argoproj/argo-cd/v3 v3.3.9 (tommy351/kubernetes-models-ts
    // third-party/argo-cd/go.mod at the 4.0.0 release), whose Go types it is generated from.
    expect(MODELS.version).toBe("4.0.0");
  });

  test("the fields docs/argocd.md dates: syncOverrun (3.5, declared in the gate with its source), retry.refresh and a named cluster whitelist entry (3.3, modelled)", async () => {
    const { objects } = render();
    const prod = find(objects, "AppProject", "web-prod");
    const staging = find(objects, "AppProject", "web-staging");
    const application = find(objects, "Application", "web-staging");
    expect(JSON.stringify(prod)).toContain('"syncOverrun":true');
    expect(JSON.stringify(staging)).toContain('"clusterResourceWhitelist":[{"group":"","kind":"Namespace","name":"web-staging"}]');
    expect(JSON.stringify(application)).toContain('"refresh":true');
    expect(await schemaProblems([prod, staging, application])).toEqual([]);

    // Exactly the post-3.3.9 fields Slipway renders; any other one the strict check refuses as unknown.
    expect(NEWER_THAN_MODELS.map((f) => ({ ...f, field: f.field.source }))).toEqual([
      {
        kind: "argoproj.io/v1alpha1/AppProject",
        field: String.raw`^spec\.syncWindows\[\d+\]\.syncOverrun$`,
        type: "boolean",
        since: "v3.5.0",
        source: "pkg/apis/application/v1alpha1/types.go:2949",
      },
    ]);
    const docs = readFileSync(join(ROOT, "docs/argocd.md"), "utf8").replace(/\s+/g, " ");
    for (const newer of NEWER_THAN_MODELS) {
      const carriers = objects.filter((o) => `${o.apiVersion}/${o.kind}` === newer.kind);
      expect(carriers.flatMap((o) => leafPaths(o)).filter((p) => newer.field.test(p)).length).toBeGreaterThan(0);
      expect(docs).toContain(`argo-cd ${newer.since} \`${newer.source}\``);
    }
  });
});

/**
 * Fields External Secrets' CRD defaults inside list items, by the list item's path (`[]` for any index), as
 * the kubebuilder:default markers of apis/externalsecrets/v1/externalsecret_types.go state them
 * (`Type.Field:line`): at v0.17.0, the first release that serves only external-secrets.io/v1, unless the
 * comment names v2.9.0, the release bootstrap/charts/external-secrets installs (which no longer defaults
 * the remote reference's strategies; stating them stays valid there). Its lists are atomic (no
 * x-kubernetes-list-type): a diff that merges the desired list into the live one without the CRD's defaults
 * (Argo CD with ServerSideApply=true) sees a field left to the default as drift forever (defect 4,
 * docs/argocd.md).
 */
const REMOTE_REF_DEFAULTS = {
  metadataPolicy: "None", // ExternalSecretDataRemoteRef.MetadataPolicy:235
  conversionStrategy: "Default", // ExternalSecretDataRemoteRef.ConversionStrategy:248
  decodingStrategy: "None", // ExternalSecretDataRemoteRef.DecodingStrategy:253
};
const GENERATOR_REF_DEFAULTS = { apiVersion: "generators.external-secrets.io/v1alpha1" }; // GeneratorRef.APIVersion:439
const LIST_ITEM_DEFAULTS: Record<string, Record<string, string>> = {
  "spec.data[].remoteRef": REMOTE_REF_DEFAULTS, // ExternalSecretData.RemoteRef:221
  "spec.data[].sourceRef.generatorRef": GENERATOR_REF_DEFAULTS, // StoreSourceRef.GeneratorRef:419
  "spec.dataFrom[].extract": REMOTE_REF_DEFAULTS, // ExternalSecretDataFromRemoteRef.Extract:287
  "spec.dataFrom[].find": { conversionStrategy: "Default", decodingStrategy: "None" }, // ExternalSecretFind:347, :352
  "spec.dataFrom[].sourceRef.generatorRef": GENERATOR_REF_DEFAULTS, // StoreGeneratorSourceRef.GeneratorRef:433
  // v2.9.0: ExternalSecretRewriteMerge.Into:412, .PriorityPolicy:421, .ConflictPolicy:426, .Strategy:431
  "spec.dataFrom[].rewrite[].merge": { into: "", priorityPolicy: "Strict", conflictPolicy: "Error", strategy: "Extract" },
  "spec.template.templateFrom[]": { target: "Data" }, // TemplateFrom.Target:133
  "spec.template.templateFrom[].configMap.items[]": { templateAs: "Values" }, // TemplateRefItem.TemplateAs:175
  "spec.template.templateFrom[].secret.items[]": { templateAs: "Values" }, // TemplateRefItem.TemplateAs:175
};

/** Each field of LIST_ITEM_DEFAULTS that `object` leaves out, as `path: default`. */
function missingListDefaults(object: unknown): string[] {
  const missing: string[] = [];
  const walk = (value: unknown, path: string, shape: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`, `${shape}[]`));
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    for (const [key, fallback] of Object.entries(LIST_ITEM_DEFAULTS[shape] ?? {})) {
      if (record[key] === undefined) missing.push(`${path}.${key}: ${JSON.stringify(fallback)}`);
    }
    for (const [key, v] of Object.entries(record)) walk(v, path ? `${path}.${key}` : key, shape ? `${shape}.${key}` : key);
  };
  walk(object, "", "");
  return missing;
}

describe("committed ExternalSecrets", () => {
  const folders = (dir: string) => readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
  const externalSecrets = folders(DIST)
    .filter((env) => env !== "argocd")
    .flatMap((env) => folders(join(DIST, env)).flatMap((stack) => readFolder(join(DIST, env, stack))))
    .filter((o) => o.kind === "ExternalSecret");

  test("every committed ExternalSecret passes the gate's schema check", async () => {
    expect(externalSecrets.length).toBeGreaterThan(0);
    expect(await schemaProblems(externalSecrets)).toEqual([]);
  });

  test("defect 4: every remote reference states conversionStrategy Default, decodingStrategy None and metadataPolicy None", () => {
    type Spec = { data?: { remoteRef: object }[]; dataFrom?: { extract?: object }[] };
    const refs = externalSecrets.flatMap((o) => {
      const spec = (o as KubeObject & { spec: Spec }).spec;
      return [...(spec.data ?? []).map((d) => d.remoteRef), ...(spec.dataFrom ?? []).flatMap((d) => (d.extract ? [d.extract] : []))];
    });
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatchObject(REMOTE_REF_DEFAULTS);
  });

  test("defect 4: every field External Secrets defaults inside a list item is rendered, so no diff sees it as drift", () => {
    expect(externalSecrets.flatMap((o) => missingListDefaults(o).map((m) => `${o.metadata.namespace}/${o.metadata.name}: ${m}`))).toEqual([]);
    const bare = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      spec: {
        data: [{ secretKey: "password", remoteRef: { key: "k" } }],
        dataFrom: [{ sourceRef: { generatorRef: { kind: "Password", name: "p" } } }, { find: { name: { regexp: ".*" } } }],
      },
    };
    expect(missingListDefaults(bare)).toEqual([
      'spec.data[0].remoteRef.metadataPolicy: "None"',
      'spec.data[0].remoteRef.conversionStrategy: "Default"',
      'spec.data[0].remoteRef.decodingStrategy: "None"',
      'spec.dataFrom[0].sourceRef.generatorRef.apiVersion: "generators.external-secrets.io/v1alpha1"',
      'spec.dataFrom[1].find.conversionStrategy: "Default"',
      'spec.dataFrom[1].find.decodingStrategy: "None"',
    ]);
  });
});
