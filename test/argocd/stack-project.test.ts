import { Chart, Testing } from "cdk8s";
import { StackProject, type StackProjectProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { projectPermits, schemaProblems } from "./support/argo";

const REPO = "https://github.com/acme/slipway.git";
const PROD = "https://prod.example.com:6443";
const minimal: StackProjectProps = {
  name: "web",
  sourceRepos: [REPO],
  destinations: [{ server: PROD, namespace: "shop" }],
};

function synth(props: StackProjectProps): KubeObject {
  const chart = new Chart(Testing.app(), "test");
  new StackProject(chart, "project", props);
  const [object] = chart.toJson() as KubeObject[];
  return object;
}

const build = (props: StackProjectProps) => () => new StackProject(new Chart(Testing.app(), "test"), "project", props);

describe("StackProject", () => {
  test("defaults: this repository, exact destinations, no cluster-scoped kinds, synced before its Applications", async () => {
    const project = synth(minimal);
    expect(project).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: {
        name: "web",
        namespace: "argocd",
        labels: { "app.kubernetes.io/managed-by": "slipway" },
        annotations: { "argocd.argoproj.io/sync-wave": "-1" },
      },
      spec: {
        description: "Slipway: web",
        sourceRepos: [REPO],
        destinations: [{ server: PROD, namespace: "shop" }],
        clusterResourceWhitelist: [],
        orphanedResources: { warn: false },
      },
    });
    expect(await schemaProblems([project])).toEqual([]);
  });

  test("rejects every destination but its own", () => {
    const project = synth(minimal);
    expect(projectPermits(project, { server: PROD, namespace: "shop" })).toBe(true);
    expect(projectPermits(project, { server: PROD, namespace: "shop-2" })).toBe(false);
    expect(projectPermits(project, { server: "https://kubernetes.default.svc", namespace: "shop" })).toBe(false);
  });

  test("allows the cluster-scoped kinds it is given, and scopes sync windows to named Applications", () => {
    const project = synth({
      ...minimal,
      clusterResources: [{ group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "web-*" }],
      syncWindows: [
        { kind: "deny", schedule: "0 16 * * 5", duration: "64h", timeZone: "Europe/Berlin", manualSync: true, applications: ["web-prod"] },
      ],
    });
    expect(project.spec).toMatchObject({
      clusterResourceWhitelist: [{ group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "web-*" }],
      syncWindows: [
        { kind: "deny", schedule: "0 16 * * 5", duration: "64h", timeZone: "Europe/Berlin", manualSync: true, applications: ["web-prod"] },
      ],
    });
  });

  test("refuses patterns, missing or doubled destinations and malformed windows", () => {
    expect(
      build({
        name: "web",
        sourceRepos: ["*"],
        destinations: [
          { server: PROD, namespace: "shop" },
          { server: PROD, namespace: "shop" },
          { server: "*", namespace: "web" },
          { namespace: "web" },
        ],
        syncWindows: [{ kind: "deny", schedule: "every friday", duration: "2 days", timeZone: "UTC", manualSync: false, applications: [] }],
      }),
    ).toThrow(
      [
        "StackProject 'web': 'sourceRepos[0]' must name one exact value, not a pattern, got '*'",
        `StackProject 'web': 'destinations' lists '${PROD} shop' more than once`,
        "StackProject 'web': 'destinations[2] cluster' must name one exact value, not a pattern, got '*'",
        "StackProject 'web': 'destinations[3]' needs exactly one of server or name, got neither",
        "StackProject 'web': 'syncWindows[0].applications' needs at least one entry, got none",
        "StackProject 'web': 'syncWindows[0].duration' must be a duration such as 1h30m, got '2 days'",
        "StackProject 'web': 'syncWindows[0].schedule' must be a five-field cron schedule, got 'every friday'",
      ].join("\n"),
    );
    expect(build({ ...minimal, destinations: [], sourceRepos: [] })).toThrow(
      [
        "StackProject 'web': 'sourceRepos' needs at least one entry, got none",
        "StackProject 'web': 'destinations' needs at least one entry, got none",
      ].join("\n"),
    );
  });
});
