import { Chart, Testing } from "cdk8s";
import { StackProject, type StackProjectProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { projectPermits } from "./support/argo";

const REPO = "https://github.com/acme/slipway.git";
const PROD = "https://prod.example.com:6443";
const minimal: StackProjectProps = {
  name: "web-prod",
  sourceRepos: [REPO],
  destinations: [{ server: PROD, namespace: "shop" }],
  namespacedKinds: [{ group: "apps", kind: "Deployment" }],
};
const freeze = { kind: "deny", schedule: "0 16 * * 5", duration: "64h", timeZone: "Europe/Berlin", manualSync: false, overrun: true } as const;

function synth(props: StackProjectProps): KubeObject {
  const chart = new Chart(Testing.app(), "test");
  new StackProject(chart, "project", props);
  const [object] = chart.toJson() as KubeObject[];
  return object;
}

const build = (props: StackProjectProps) => () => new StackProject(new Chart(Testing.app(), "test"), "project", props);

describe("StackProject", () => {
  test("defaults: this repository, exact destinations, the given kinds, no cluster-scoped object, kept while in use", () => {
    expect(synth(minimal)).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: {
        name: "web-prod",
        namespace: "argocd",
        labels: { "app.kubernetes.io/managed-by": "slipway" },
        annotations: { "argocd.argoproj.io/sync-wave": "-1", "argocd.argoproj.io/sync-options": "Prune=confirm,Delete=confirm" },
        finalizers: ["resources-finalizer.argocd.argoproj.io"],
      },
      spec: {
        description: "Slipway: web-prod",
        sourceRepos: [REPO],
        destinations: [{ server: PROD, namespace: "shop" }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [{ group: "apps", kind: "Deployment" }],
        orphanedResources: { warn: false },
      },
    });
  });

  test("rejects every destination but its own", () => {
    const project = synth(minimal);
    expect(projectPermits(project, { server: PROD, namespace: "shop" })).toBe(true);
    expect(projectPermits(project, { server: PROD, namespace: "shop-2" })).toBe(false);
    expect(projectPermits(project, { server: "https://kubernetes.default.svc", namespace: "shop" })).toBe(false);
  });

  test("windows match its destinations' namespaces and clusters together, and let a started sync finish", () => {
    expect(synth({ ...minimal, syncWindows: [{ ...freeze, description: "Weekend freeze" }] }).spec).toMatchObject({
      syncWindows: [
        {
          kind: "deny",
          schedule: "0 16 * * 5",
          duration: "64h",
          timeZone: "Europe/Berlin",
          manualSync: false,
          syncOverrun: true,
          namespaces: ["shop"],
          clusters: [PROD],
          andOperator: true,
          description: "Weekend freeze",
        },
      ],
    });
  });

  test("a role may or may not delete, and always may view, sync, run actions and read logs", () => {
    const project = synth({ ...minimal, roles: [{ name: "prod", groups: ["sre"], mayDelete: true }] });
    expect(project.spec).toMatchObject({
      roles: [
        {
          name: "prod",
          groups: ["sre"],
          policies: [
            "p, proj:web-prod:prod, applications, get, web-prod/*, allow",
            "p, proj:web-prod:prod, applications, sync, web-prod/*, allow",
            "p, proj:web-prod:prod, applications, action/*, web-prod/*, allow",
            "p, proj:web-prod:prod, logs, get, web-prod/*, allow",
            "p, proj:web-prod:prod, applications, delete, web-prod/*, allow",
            "p, proj:web-prod:prod, applications, delete/*, web-prod/*, allow",
          ],
        },
      ],
    });
  });

  test("namespace patterns only where asked for (previews)", () => {
    const previews = { ...minimal, name: "previews-dev", destinations: [{ server: PROD, namespace: "web-pr-*" }] };
    expect(build(previews)).toThrow("StackProject 'previews-dev': 'destinations[0].namespace' must be a DNS label (lower-case letters, digits and '-', at most 63), got 'web-pr-*'");
    expect(projectPermits(synth({ ...previews, namespacePatterns: true }), { server: PROD, namespace: "web-pr-42" })).toBe(true);
  });

  test("refuses patterns, missing or doubled destinations, no kinds and malformed windows", () => {
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
        namespacedKinds: [],
        syncWindows: [{ ...freeze, schedule: "every friday", duration: "2 days" }],
        roles: [{ name: "Prod Team", groups: [], mayDelete: false }],
      }),
    ).toThrow(
      [
        "StackProject 'web': 'sourceRepos[0]' must name one exact value, not a pattern, got '*'",
        `StackProject 'web': 'destinations' lists '${PROD} shop' more than once`,
        "StackProject 'web': 'destinations[2] cluster' must name one exact value, not a pattern, got '*'",
        "StackProject 'web': 'destinations[3]' needs exactly one of server or name, got neither",
        "StackProject 'web': 'namespacedKinds' needs at least one entry, got none",
        "StackProject 'web': 'syncWindows[0].duration' must be a duration such as 30s, 5m or 1h30m, got '2 days'",
        "StackProject 'web': 'syncWindows[0].schedule' must be a five-field cron schedule, got 'every friday'",
        "StackProject 'web': 'roles[0].name' must be a DNS label (lower-case letters, digits and '-', at most 63), got 'Prod Team'",
      ].join("\n"),
    );
  });
});
