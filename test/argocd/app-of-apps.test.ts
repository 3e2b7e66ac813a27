import { Chart, Testing } from "cdk8s";
import { AppOfApps, type AppOfAppsProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { schemaProblems } from "./support/argo";

const REPO = "https://github.com/acme/slipway.git";
const minimal: AppOfAppsProps = { repoURL: REPO, targetRevision: "main", files: ["projects.yaml", "apps-prod.yaml"] };

function synth(props: AppOfAppsProps): KubeObject {
  const chart = new Chart(Testing.app(), "test");
  new AppOfApps(chart, "root", props);
  const [object] = chart.toJson() as KubeObject[];
  return object;
}

describe("AppOfApps", () => {
  test("defaults: 'slipway' in the default project, syncing the listed files of dist/argocd automatically", async () => {
    const root = synth(minimal);
    expect(root).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "slipway", namespace: "argocd", labels: { "app.kubernetes.io/managed-by": "slipway" } },
      spec: {
        project: "default",
        source: {
          repoURL: REPO,
          targetRevision: "main",
          path: "dist/argocd",
          directory: { recurse: false, include: "{apps-prod.yaml,projects.yaml}" },
        },
        destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ["PruneLast=true", "ApplyOutOfSyncOnly=true", "FailOnSharedResource=true"],
          retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
        },
        revisionHistoryLimit: 10,
        info: [{ name: "Source", value: "dist/argocd @ main" }],
      },
    });
    expect(await schemaProblems([root])).toEqual([]);
  });

  test("a single file is included by its name, without braces", () => {
    expect(synth({ ...minimal, files: ["apps-prod.yaml"] }).spec).toMatchObject({
      source: { directory: { recurse: false, include: "apps-prod.yaml" } },
    });
  });

  test("follows Argo CD into another namespace and folder", () => {
    expect(synth({ ...minimal, argocdNamespace: "gitops", path: "deploy/argocd", name: "platform" })).toMatchObject({
      metadata: { name: "platform", namespace: "gitops" },
      spec: { source: { path: "deploy/argocd" }, destination: { namespace: "gitops" } },
    });
  });

  test("refuses an empty file list, paths and odd file names", () => {
    const build = (props: AppOfAppsProps) => () => new AppOfApps(new Chart(Testing.app(), "test"), "root", props);
    expect(build({ ...minimal, files: [] })).toThrow("AppOfApps 'slipway': 'files' needs at least one entry, got none");
    expect(build({ ...minimal, files: ["../secrets.yaml", "projects.json"], path: "/dist/argocd" })).toThrow(
      [
        "AppOfApps 'slipway': 'path' must be a folder relative to the repository root such as dist/prod/web, got '/dist/argocd'",
        "AppOfApps 'slipway': 'files[0]' must be a YAML file name such as projects.yaml, got '../secrets.yaml'",
        "AppOfApps 'slipway': 'files[1]' must be a YAML file name such as projects.yaml, got 'projects.json'",
      ].join("\n"),
    );
  });
});
