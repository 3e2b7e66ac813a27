import { Chart, Testing } from "cdk8s";
import { AppOfApps, type AppOfAppsProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";

const REPO = "https://github.com/acme/slipway.git";
const minimal: AppOfAppsProps = { repoURL: REPO, targetRevision: "main", include: ["projects.yaml", "apps-*.yaml"] };

function synth(props: AppOfAppsProps): KubeObject[] {
  const chart = new Chart(Testing.app(), "test");
  new AppOfApps(chart, "root", props);
  return chart.toJson() as KubeObject[];
}

describe("AppOfApps", () => {
  test("defaults: project and Application 'slipway', syncing the matching files of dist/argocd automatically", () => {
    const [project, root] = synth(minimal);
    expect(project).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: {
        name: "slipway",
        namespace: "argocd",
        labels: { "app.kubernetes.io/managed-by": "slipway" },
        finalizers: ["resources-finalizer.argocd.argoproj.io"],
      },
      spec: {
        description: "Slipway: the app-of-apps, syncing dist/argocd/ into Argo CD's namespace",
        sourceRepos: [REPO],
        destinations: [{ server: "https://kubernetes.default.svc", namespace: "argocd" }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [
          { group: "argoproj.io", kind: "AppProject" },
          { group: "argoproj.io", kind: "Application" },
          { group: "argoproj.io", kind: "ApplicationSet" },
        ],
      },
    });
    expect(root).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        name: "slipway",
        namespace: "argocd",
        labels: { "app.kubernetes.io/managed-by": "slipway" },
        annotations: { "argocd.argoproj.io/manifest-generate-paths": "." },
      },
      spec: {
        project: "slipway",
        source: { repoURL: REPO, targetRevision: "main", path: "dist/argocd", directory: { recurse: false, include: "{apps-*.yaml,projects.yaml}" } },
        destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ["ApplyOutOfSyncOnly=true", "FailOnSharedResource=true"],
          retry: { limit: 5, refresh: true, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
        },
        revisionHistoryLimit: 10,
        info: [{ name: "Source", value: "dist/argocd @ main" }],
      },
    });
  });

  test("a single pattern is included as it is, without braces", () => {
    const [, root] = synth({ ...minimal, include: ["apps-prod.yaml"] });
    expect(root.spec).toMatchObject({ source: { directory: { recurse: false, include: "apps-prod.yaml" } } });
  });

  test("follows Argo CD into another namespace and folder", () => {
    const [project, root] = synth({ ...minimal, argocdNamespace: "gitops", path: "deploy/argocd", name: "platform" });
    expect(project).toMatchObject({ metadata: { name: "platform", namespace: "gitops" }, spec: { destinations: [{ namespace: "gitops" }] } });
    expect(root).toMatchObject({
      metadata: { name: "platform", namespace: "gitops" },
      spec: { project: "platform", source: { path: "deploy/argocd" }, destination: { namespace: "gitops" } },
    });
  });

  test("refuses an empty include list, paths and odd file names", () => {
    const build = (props: AppOfAppsProps) => () => new AppOfApps(new Chart(Testing.app(), "test"), "root", props);
    expect(build({ ...minimal, include: [] })).toThrow("AppOfApps 'slipway': 'include' needs at least one entry, got none");
    expect(build({ ...minimal, include: ["../secrets.yaml", "projects.json"], path: "/dist/argocd" })).toThrow(
      [
        "AppOfApps 'slipway': 'path' must be a folder relative to the repository root such as dist/prod/web, got '/dist/argocd'",
        "AppOfApps 'slipway': 'include[0]' must be a YAML file name or pattern such as apps-*.yaml, got '../secrets.yaml'",
        "AppOfApps 'slipway': 'include[1]' must be a YAML file name or pattern such as apps-*.yaml, got 'projects.json'",
      ].join("\n"),
    );
  });
});
