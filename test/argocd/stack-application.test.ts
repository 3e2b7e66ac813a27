import { Chart, Testing } from "cdk8s";
import { StackApplication, type StackApplicationProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { at, schemaProblems } from "./support/argo";

const REPO = "https://github.com/acme/slipway.git";
const minimal: StackApplicationProps = {
  env: "prod",
  stack: "web",
  project: "web",
  source: { repoURL: REPO, targetRevision: "main" },
  path: "dist/prod/web",
  cluster: { server: "https://prod.example.com:6443" },
  namespace: "shop",
};

function synth(props: StackApplicationProps): KubeObject {
  const chart = new Chart(Testing.app(), "test");
  new StackApplication(chart, "app", props);
  const [object] = chart.toJson() as KubeObject[];
  return object;
}

describe("StackApplication", () => {
  test("defaults: manual sync, no finalizer, kustomize source, ten revisions, retry with back-off", async () => {
    const application = synth(minimal);
    expect(application).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        name: "web-prod",
        namespace: "argocd",
        labels: {
          "app.kubernetes.io/managed-by": "slipway",
          "app.kubernetes.io/part-of": "web",
          "slipway.dev/stack": "web",
          "slipway.dev/env": "prod",
        },
        annotations: { "argocd.argoproj.io/sync-wave": "0" },
      },
      spec: {
        project: "web",
        source: { repoURL: REPO, targetRevision: "main", path: "dist/prod/web", kustomize: {} },
        destination: { server: "https://prod.example.com:6443", namespace: "shop" },
        syncPolicy: {
          syncOptions: ["PruneLast=true", "ApplyOutOfSyncOnly=true", "FailOnSharedResource=true"],
          retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
        },
        revisionHistoryLimit: 10,
        info: [
          { name: "Environment", value: "prod" },
          { name: "Source", value: "dist/prod/web @ main" },
        ],
      },
    });
    expect(await schemaProblems([application])).toEqual([]);
  });

  test("a plain folder source skips the kustomization file", () => {
    expect(synth({ ...minimal, source: { ...minimal.source, type: "directory" } }).spec).toMatchObject({
      source: { path: "dist/prod/web", directory: { recurse: false, exclude: "kustomization.yaml" } },
    });
  });

  test("server-side apply, namespace creation and HPA-owned replicas each add their sync option", () => {
    const application = synth({
      ...minimal,
      sync: { serverSideApply: true, createNamespace: true },
      autoscaledDeployments: ["proxy", "api"],
    });
    expect(application.spec).toMatchObject({
      syncPolicy: {
        syncOptions: [
          "CreateNamespace=true",
          "PruneLast=true",
          "ApplyOutOfSyncOnly=true",
          "FailOnSharedResource=true",
          "RespectIgnoreDifferences=true",
          "ServerSideApply=true",
        ],
      },
      ignoreDifferences: [
        { group: "apps", kind: "Deployment", name: "api", jsonPointers: ["/spec/replicas"] },
        { group: "apps", kind: "Deployment", name: "proxy", jsonPointers: ["/spec/replicas"] },
      ],
    });
  });

  test("a namespace Argo CD creates enforces Pod Security 'restricted'; one it does not create is left alone", () => {
    const policy = (props: StackApplicationProps) => at(synth(props), "spec", "syncPolicy", "managedNamespaceMetadata");
    expect(policy({ ...minimal, sync: { createNamespace: true } })).toEqual({
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    });
    expect(policy(minimal)).toBeUndefined();
  });

  test("the resources finalizer is there only when asked for", () => {
    expect(synth({ ...minimal, finalizer: true }).metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(synth({ ...minimal, finalizer: false }).metadata.finalizers).toBeUndefined();
  });

  test("a cluster registered by name is addressed by name", () => {
    expect(synth({ ...minimal, cluster: { name: "prod-eu-1" } }).spec).toMatchObject({
      destination: { name: "prod-eu-1", namespace: "shop" },
    });
  });

  test("reports every wrong prop at once, saying what to change", () => {
    expect(
      () =>
        new StackApplication(new Chart(Testing.app(), "test"), "app", {
          ...minimal,
          name: "Web_Prod",
          path: "../elsewhere",
          cluster: { server: "https://prod.example.com", name: "prod" },
          revisionHistoryLimit: -1,
          publicURL: "shop.example.com",
          links: { "repo-folder": "https://example.com", runbook: "runbooks" },
          sync: { retry: { limit: 1.5, backoff: { duration: "5s", factor: 0, maxDuration: "3m" } } },
        }),
    ).toThrow(
      [
        "StackApplication 'Web_Prod': 'name' must be a DNS label (lower-case letters, digits and '-', at most 63), got 'Web_Prod'",
        "StackApplication 'Web_Prod': 'path' must be a folder relative to the repository root such as dist/prod/web, got '../elsewhere'",
        "StackApplication 'Web_Prod': 'cluster' needs exactly one of server or name, got both",
        "StackApplication 'Web_Prod': 'revisionHistoryLimit' must be an integer ≥ 0, got -1",
        "StackApplication 'Web_Prod': 'publicURL' must be an http(s) URL, got 'shop.example.com'",
        "StackApplication 'Web_Prod': 'links.runbook' must be an http(s) URL, got 'runbooks'",
        "StackApplication 'Web_Prod': 'links.repo-folder': 'repo-folder' is the generator's own link; choose another name",
        "StackApplication 'Web_Prod': 'sync.retry.limit' must be an integer ≥ 0, got 1.5",
        "StackApplication 'Web_Prod': 'sync.retry.backoff.factor' must be an integer ≥ 1, got 0",
      ].join("\n"),
    );
  });
});
