import { Chart, Testing } from "cdk8s";
import { AUTOMATED_RETRY } from "../../environments/argocd";
import { StackApplication, type StackApplicationProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { at } from "./support/argo";

const REPO = "https://github.com/acme/slipway.git";
const minimal: StackApplicationProps = {
  env: "prod",
  stack: "web",
  project: "web-prod",
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
  test("defaults: manual sync without retries, no finalizer, kustomize source, ten revisions", () => {
    expect(synth(minimal)).toEqual({
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
        annotations: {
          "argocd.argoproj.io/sync-wave": "0",
          "argocd.argoproj.io/sync-options": "Prune=confirm,Delete=confirm",
          "argocd.argoproj.io/manifest-generate-paths": ".",
        },
      },
      spec: {
        project: "web-prod",
        source: { repoURL: REPO, targetRevision: "main", path: "dist/prod/web", kustomize: {} },
        destination: { server: "https://prod.example.com:6443", namespace: "shop" },
        syncPolicy: {
          syncOptions: ["ApplyOutOfSyncOnly=true", "FailOnSharedResource=true"],
          retry: { limit: 0, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
        },
        revisionHistoryLimit: 10,
        info: [
          { name: "Environment", value: "prod" },
          { name: "Source", value: "dist/prod/web @ main" },
        ],
      },
    });
  });

  test("a plain folder source skips the kustomization file", () => {
    expect(synth({ ...minimal, source: { ...minimal.source, type: "directory" } }).spec).toMatchObject({
      source: { path: "dist/prod/web", directory: { recurse: false, exclude: "kustomization.yaml" } },
    });
  });

  test("namespace creation, HPA-owned replicas, server-side apply and deletion protection each add their sync option", () => {
    const application = synth({
      ...minimal,
      sync: { serverSideApply: true, createNamespace: true, deletionProtection: true },
      autoscaledDeployments: ["proxy", "api"],
    });
    expect(application.spec).toMatchObject({
      syncPolicy: {
        syncOptions: [
          "CreateNamespace=true",
          "ApplyOutOfSyncOnly=true",
          "FailOnSharedResource=true",
          "RespectIgnoreDifferences=true",
          "ServerSideApply=true",
          "Delete=confirm",
        ],
        managedNamespaceMetadata: {
          labels: {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
          },
        },
      },
      ignoreDifferences: [
        { group: "apps", kind: "Deployment", name: "api", jsonPointers: ["/spec/replicas"] },
        { group: "apps", kind: "Deployment", name: "proxy", jsonPointers: ["/spec/replicas"] },
      ],
    });
  });

  test("automated sync retries with the newest commit; the finalizer only when asked for", () => {
    const automated = synth({ ...minimal, sync: { automated: { prune: true, selfHeal: false }, retry: AUTOMATED_RETRY }, finalizer: true });
    expect(at(automated, "spec", "syncPolicy", "automated")).toEqual({ prune: true, selfHeal: false, allowEmpty: false });
    expect(at(automated, "spec", "syncPolicy", "retry")).toEqual({ limit: 5, refresh: true, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } });
    expect(automated.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
  });

  test("titled links for the public URL, the folder in Git and each of the environment's", () => {
    const application = synth({
      ...minimal,
      publicURL: "https://shop.example.com",
      folderURL: "https://github.com/acme/slipway/tree/main/dist/prod/web",
      links: { runbook: { title: "Runbook", url: "https://runbooks.example.com/shop" } },
    });
    expect(application.metadata.annotations).toMatchObject({
      "link.argocd.argoproj.io/public-url": "web (prod)|https://shop.example.com",
      "link.argocd.argoproj.io/repo-folder": "dist/prod/web in Git|https://github.com/acme/slipway/tree/main/dist/prod/web",
      "link.argocd.argoproj.io/runbook": "Runbook|https://runbooks.example.com/shop",
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
          links: { "repo-folder": { title: "x", url: "https://example.com" }, runbook: { title: "Runbook", url: "runbooks" } },
          sync: { retry: { limit: 2, refresh: false, backoff: { duration: "5s", factor: 0, maxDuration: "3m" } } },
        }),
    ).toThrow(
      [
        "StackApplication 'Web_Prod': 'name' must be a DNS label (lower-case letters, digits and '-', at most 63), got 'Web_Prod'",
        "StackApplication 'Web_Prod': 'path' must be a folder relative to the repository root such as dist/prod/web, got '../elsewhere'",
        "StackApplication 'Web_Prod': 'cluster' needs exactly one of server or name, got both",
        "StackApplication 'Web_Prod': 'publicURL' must be an http(s) URL, got 'shop.example.com'",
        "StackApplication 'Web_Prod': 'revisionHistoryLimit' must be an integer ≥ 0, got -1",
        "StackApplication 'Web_Prod': 'links.runbook' must be an http(s) URL, got 'runbooks'",
        "StackApplication 'Web_Prod': 'links.repo-folder': 'repo-folder' is the generator's own link; choose another name",
        "StackApplication 'Web_Prod': 'sync.retry.backoff.factor' must be an integer ≥ 1, got 0",
        "StackApplication 'Web_Prod': 'sync.retry.limit' must be 0 or 1 without automated sync (a retry reruns the migration hook), got 2",
      ].join("\n"),
    );
  });
});
