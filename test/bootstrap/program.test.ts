/**
 * What `pulumi up` registers on a cluster, run through Pulumi's mocks against the committed environments,
 * charts and dist/argocd/root.yaml.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { runBootstrap } from "../../bootstrap/main";
import { checkSchema } from "../../validation/schema";
import { ARGOCD_CRD_STAND_INS, REPO_ROOT, runMocked, type MockRun } from "./support";

const bootstrap = () => runBootstrap({ repoRoot: REPO_ROOT });
const ARGO_TYPE = /^kubernetes:argoproj\.io\/v1alpha1:/;

/** The root objects as `npm run synth` rendered them, AppProjects first, and their resource names. */
const rendered = parseAllDocuments(readFileSync(join(REPO_ROOT, "dist/argocd/root.yaml"), "utf8"))
  .map((d) => d.toJS())
  .sort((a, b) => Number(a.kind !== "AppProject") - Number(b.kind !== "AppProject"));
const rootResource = (o: { kind: string; metadata: { name: string } }) => `root-${o.kind.toLowerCase()}-${o.metadata.name}`;
const rootProjects = rendered.filter((o) => o.kind === "AppProject").map(rootResource);
const rootApplication = rootResource(rendered.find((o) => o.kind === "Application"));

/** The URLs bootstrap/crds/argocd/kustomization.yaml lists, and the resource names of their CRDs. */
const crdUrls: string[] = parse(readFileSync(join(REPO_ROOT, "bootstrap/crds/argocd/kustomization.yaml"), "utf8")).resources;
const crdResource = (url: string) => `argocd-crd-${url.slice(url.lastIndexOf("/") + 1, -".yaml".length)}`;
const crdResources = crdUrls.map(crdResource);

/** The upstream chart bootstrap/charts/<name>/Chart.yaml pins. */
function pinned(name: string): { name: string; version: string; repository: string } {
  return parse(readFileSync(join(REPO_ROOT, "bootstrap/charts", name, "Chart.yaml"), "utf8")).dependencies[0];
}

describe("the management cluster (in-cluster): Argo CD, both operators, the root", () => {
  let run: MockRun<ReturnType<typeof bootstrap>>;
  beforeAll(async () => {
    run = await runMocked("in-cluster", { context: "kind-slipway" }, bootstrap);
  });

  test("registers exactly the platform and the root objects, through one provider bound to the configured context", () => {
    expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "pulumi:providers:kubernetes cluster",
        "kubernetes:core/v1:Namespace namespace-argocd",
        "kubernetes:core/v1:Namespace namespace-cert-manager",
        "kubernetes:core/v1:Namespace namespace-external-secrets",
        "kubernetes:helm.sh/v3:Release chart-argocd",
        "kubernetes:helm.sh/v3:Release chart-cert-manager",
        "kubernetes:helm.sh/v3:Release chart-external-secrets",
        "kubernetes:argoproj.io/v1alpha1:AppProject platform-project",
        "kubernetes:argoproj.io/v1alpha1:Application platform-argocd",
        "kubernetes:argoproj.io/v1alpha1:Application platform-argocd-crds",
        ...crdResources.map((name) => `kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition ${name}`),
        "kubernetes:argoproj.io/v1alpha1:Application platform-cert-manager",
        "kubernetes:argoproj.io/v1alpha1:Application platform-external-secrets",
        ...rendered.map((o) => `kubernetes:argoproj.io/v1alpha1:${o.kind} ${rootResource(o)}`),
      ].sort(),
    );
    expect(run.byName("cluster").inputs.context).toBe("kind-slipway");
  });

  test.each([
    ["argocd", "argocd", "argo-cd", "https://argoproj.github.io/argo-helm"],
    ["cert-manager", "cert-manager", "cert-manager", "https://charts.jetstack.io"],
    ["external-secrets", "external-secrets", "external-secrets", "https://charts.external-secrets.io"],
  ])("%s: the upstream chart at the version its Chart.yaml pins, into namespace %s", (name, namespace, chart, repo) => {
    const release = run.byName(`chart-${name}`).inputs;
    expect(release).toMatchObject({ name, namespace, chart, repositoryOpts: { repo }, createNamespace: false });
    expect(pinned(name)).toEqual({ name: chart, version: release.version, repository: repo });
    expect(release.version).toMatch(/^v?[0-9]+\.[0-9]+\.[0-9]+$/);
  });

  test("each chart gets its values.yaml section, the same Argo CD renders later", () => {
    for (const name of ["argocd", "cert-manager", "external-secrets"]) {
      const values = parse(readFileSync(join(REPO_ROOT, "bootstrap/charts", name, "values.yaml"), "utf8"));
      expect(run.byName(`chart-${name}`).inputs.values).toEqual(values[pinned(name).name]);
    }
  });

  test("each namespace is created before its chart and enforces Pod Security 'restricted'", () => {
    for (const name of ["argocd", "cert-manager", "external-secrets"]) {
      expect(run.byName(`namespace-${name}`).inputs.metadata).toEqual({
        name,
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "app.kubernetes.io/managed-by": "slipway-bootstrap",
        },
      });
      expect(run.byName(`chart-${name}`).dependsOn).toEqual([`namespace-${name}`, ...(name === "argocd" ? crdResources : [])]);
    }
  });

  test("Argo CD v3.5.1 runs on the argo-cd chart 10.1.1, without the chart's own (3.4) CRDs", () => {
    expect(run.byName("chart-argocd").inputs).toMatchObject({
      chart: "argo-cd",
      version: "10.1.1",
      values: { global: { image: { tag: "v3.5.1" } }, crds: { install: false } },
    });
    expect(run.result.argocd?.version).toBe("v3.5.1");
  });

  test("Argo CD's CRDs are downloaded from argoproj/argo-cd at that tag and installed exactly as served", () => {
    expect(crdUrls).toEqual(
      ["application-crd", "applicationset-crd", "appproject-crd"].map(
        (file) => `https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/${file}.yaml`,
      ),
    );
    expect(run.fetched).toEqual(crdUrls);
    // The stubbed network serves a stand-in per file (support.ts).
    for (const url of crdUrls) {
      const served = parse(readFileSync(join(ARGOCD_CRD_STAND_INS, url.slice(url.lastIndexOf("/") + 1)), "utf8"));
      expect(run.byName(crdResource(url)).inputs).toEqual({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: served.metadata, spec: served.spec });
    }
  });

  test("CRDs before their consumers: Argo CD's CRDs before its chart, every Argo CD object after the chart", () => {
    for (const crd of crdResources) expect(run.byName(crd).dependsOn).toEqual([]);
    expect(run.byName("chart-argocd").dependsOn).toEqual(expect.arrayContaining(crdResources));
    const argoObjects = run.resources.filter((r) => ARGO_TYPE.test(r.type));
    expect(argoObjects).toHaveLength(5 + rendered.length);
    for (const object of argoObjects) expect(object.dependsOn).toContain("chart-argocd");
  });

  test("the root waits for both operators, so the first sync finds the ExternalSecret and Certificate CRDs, and for its project", () => {
    expect(run.byName(rootApplication).dependsOn.sort()).toEqual(
      ["chart-argocd", "chart-cert-manager", "chart-external-secrets", ...rootProjects].sort(),
    );
    for (const project of rootProjects) expect(run.byName(project).dependsOn).toEqual(["chart-argocd"]);
  });

  test("the root objects are applied exactly as dist/argocd/root.yaml renders them", () => {
    expect(rendered.map((o) => run.byName(rootResource(o)).inputs)).toEqual(rendered);
    expect(run.resources.filter((r) => r.name.startsWith("root-"))).toHaveLength(rendered.length);
  });

  test("Argo CD takes each chart over from its folder in Git, under the release name Pulumi installed", () => {
    expect(run.byName("platform-cert-manager").inputs).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "platform-cert-manager", namespace: "argocd", labels: { "app.kubernetes.io/managed-by": "slipway-bootstrap" } },
      spec: {
        project: "platform",
        source: {
          repoURL: "https://github.com/acme/slipway.git",
          targetRevision: "main",
          path: "bootstrap/charts/cert-manager",
          helm: { releaseName: "cert-manager" },
        },
        destination: { server: "https://kubernetes.default.svc", namespace: "cert-manager" },
        syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ["ServerSideApply=true"] },
      },
    });
    for (const name of ["argocd", "cert-manager", "external-secrets"]) {
      expect(run.byName(`platform-${name}`).dependsOn).toEqual(
        name === "argocd" ? ["chart-argocd", "platform-project"] : ["chart-argocd", "platform-project", `chart-${name}`],
      );
    }
  });

  test("Argo CD takes its CRDs over from bootstrap/crds/argocd/, rendered by Kustomize from the same URLs", () => {
    expect(run.byName("platform-argocd-crds").inputs.spec).toEqual({
      project: "platform",
      source: { repoURL: "https://github.com/acme/slipway.git", targetRevision: "main", path: "bootstrap/crds/argocd" },
      destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ["ServerSideApply=true"] },
    });
    expect(run.byName("platform-argocd-crds").dependsOn).toEqual(["chart-argocd", "platform-project"]);
  });

  test("the platform project allows this repository, the chart repositories, the three namespaces and the charts' cluster kinds", () => {
    expect(run.byName("platform-project").inputs.spec).toEqual({
      description: "The platform charts and Argo CD's CRDs the bootstrap installed (bootstrap/charts/, bootstrap/crds/), managed by Argo CD from Git",
      sourceRepos: [
        "https://github.com/acme/slipway.git",
        "https://argoproj.github.io/argo-helm",
        "https://charts.jetstack.io",
        "https://charts.external-secrets.io",
      ],
      destinations: ["argocd", "cert-manager", "external-secrets"].map((namespace) => ({ server: "https://kubernetes.default.svc", namespace })),
      clusterResourceWhitelist: [
        { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
        { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
        { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
        { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
        { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
      ],
    });
  });

  test("after the handover `pulumi up` never changes a chart or Argo CD's CRDs, and removing one from the program uninstalls nothing", () => {
    for (const name of ["argocd", "cert-manager", "external-secrets"]) {
      expect(run.byName(`chart-${name}`)).toMatchObject({ ignoreChanges: ["chart", "version", "values", "repositoryOpts"], retainOnDelete: true });
      expect(run.byName(`namespace-${name}`).retainOnDelete).toBe(true);
    }
    for (const crd of crdResources) expect(run.byName(crd)).toMatchObject({ ignoreChanges: ["metadata", "spec"], retainOnDelete: true });
  });

  test("every Kubernetes object registered passes its published schema, unknown fields included", async () => {
    const objects = run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" || ARGO_TYPE.test(r.type));
    expect(objects).toHaveLength(3 + 5 + rendered.length);
    const problems: string[] = [];
    for (const { name, inputs } of objects) {
      for (const v of await checkSchema(inputs)) problems.push(`${name}: ${v.field}: ${v.message}`);
    }
    expect(problems).toEqual([]);
  });

  test("a public repository needs no credentials: no Secret is registered", () => {
    expect(run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret")).toEqual([]);
    expect(run.result.argocd?.repository).toBe("https://github.com/acme/slipway.git (public)");
  });

  test("the stack outputs say what was installed and how to reach the Argo CD UI", () => {
    expect(run.result).toEqual({
      cluster: "in-cluster",
      context: "kind-slipway",
      charts: [
        `argocd: argo-cd ${pinned("argocd").version} in argocd`,
        `cert-manager: cert-manager ${pinned("cert-manager").version} in cert-manager`,
        `external-secrets: external-secrets ${pinned("external-secrets").version} in external-secrets`,
      ],
      argocd: {
        version: "v3.5.1",
        namespace: "argocd",
        repository: "https://github.com/acme/slipway.git (public)",
        rootObjects: rendered.map((o) => `${o.kind}/${o.metadata.name}`),
        ui: "kubectl --context kind-slipway -n argocd port-forward svc/argocd-server 8080:443",
        adminPassword:
          "kubectl --context kind-slipway -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d",
      },
    });
  });
});

describe("a workload cluster (prod-eu-1): the operators only", () => {
  test("installs cert-manager and External Secrets Operator, no Argo CD and no Argo CD objects", async () => {
    const run = await runMocked("prod-eu-1", { context: "prod-eu-1", argocd: "false" }, bootstrap);
    expect(run.resources.map((r) => r.name)).toEqual([
      "cluster",
      "namespace-cert-manager",
      "namespace-external-secrets",
      "chart-cert-manager",
      "chart-external-secrets",
    ]);
    expect(run.result.argocd).toBeUndefined();
    expect(run.fetched).toEqual([]);
  });
});

describe("switches", () => {
  test("certManager: false installs no cert-manager, and the root waits only for what is installed", async () => {
    const run = await runMocked("in-cluster", { context: "kind-slipway", certManager: "false" }, bootstrap);
    expect(run.resources.filter((r) => r.name.includes("cert-manager"))).toEqual([]);
    expect(run.byName(rootApplication).dependsOn.sort()).toEqual(["chart-argocd", "chart-external-secrets", ...rootProjects].sort());
    expect(run.byName("platform-project").inputs.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual([
      "argocd",
      "external-secrets",
    ]);
  });
});
