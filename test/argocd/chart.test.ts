import { ConfigError } from "../../lib/errors";
import { ArgoCdChart } from "../../argocd/index";
import { Testing } from "cdk8s";
import {
  at,
  coverageProblems,
  effectiveApplications,
  find,
  fixtureEnv,
  fixtureEnvs,
  projectPermits,
  render,
  schemaProblems,
  targetsOf,
} from "./support/argo";

const PROD_SERVER = "https://prod-eu-1.k8s.example.com:6443";
const STAGING_SERVER = "https://staging.k8s.example.com:6443";
const IN_CLUSTER = "https://kubernetes.default.svc";
const REPO = "https://github.com/acme/slipway.git";

const rendered = render();
const { objects } = rendered;
const app = (name: string) => find(objects, "Application", name);

function configProblems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("ArgoCdChart files", () => {
  test("writes the projects, one file per environment and the root, each named after its child", () => {
    expect(rendered.chart.files).toEqual(["projects", "apps-dev", "apps-prod", "apps-staging", "root"]);
    expect([...rendered.files].map(([file, objs]) => [file, objs.map((o) => `${o.kind}/${o.metadata.name}`)])).toEqual([
      ["projects", ["AppProject/web"]],
      ["apps-dev", ["Application/web-dev"]],
      ["apps-prod", ["Application/web-prod"]],
      ["apps-staging", ["Application/web-staging"]],
      ["root", ["Application/slipway"]],
    ]);
  });

  test("every object lives in Argo CD's namespace on the management cluster", () => {
    expect(objects.map((o) => o.metadata.namespace)).toEqual(objects.map(() => "argocd"));
  });
});

describe("Argo CD schemas", () => {
  test("every generated object validates against the published Argo CD CRD schemas", async () => {
    expect(await schemaProblems(objects)).toEqual([]);
  });

  test("every object of the ApplicationSet mode validates too", async () => {
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, e.name === "prod" ? {} : { delivery: "applicationSet", stacks: {} }));
    expect(await schemaProblems(render(envs).objects)).toEqual([]);
  });

  test("a misspelt field fails the check although the package's validators accept it", async () => {
    const typo = structuredClone(app("web-prod"));
    (typo.spec as { syncPolicy: Record<string, unknown> }).syncPolicy.syncOption = ["PruneLast=true"];
    expect(await schemaProblems([typo])).toEqual(["Application 'web-prod': spec.syncPolicy.syncOption: unknown field"]);
  });
});

describe("prod defaults", () => {
  test("prod waits for a person to press Sync", () => {
    expect(at(app("web-prod"), "spec", "syncPolicy", "automated")).toBeUndefined();
  });

  test("deleting the prod Application never deletes what runs: no resources finalizer", () => {
    expect(app("web-prod").metadata.finalizers).toBeUndefined();
  });

  test("prod does not ask Argo CD to create its namespace: the stack's folder renders it", () => {
    expect(at(app("web-prod"), "spec", "syncPolicy", "syncOptions")).toEqual([
      "PruneLast=true",
      "ApplyOutOfSyncOnly=true",
      "FailOnSharedResource=true",
      "RespectIgnoreDifferences=true",
    ]);
  });

  test("the replicas of prod's autoscaled api and proxy belong to their HPAs", () => {
    expect(at(app("web-prod"), "spec", "ignoreDifferences")).toEqual([
      { group: "apps", kind: "Deployment", name: "api", jsonPointers: ["/spec/replicas"] },
      { group: "apps", kind: "Deployment", name: "proxy", jsonPointers: ["/spec/replicas"] },
    ]);
  });

  test("staging has fixed replicas, so nothing is ignored and nothing needs RespectIgnoreDifferences", () => {
    expect(at(app("web-staging"), "spec", "ignoreDifferences")).toBeUndefined();
    expect(at(app("web-staging"), "spec", "syncPolicy", "syncOptions")).not.toContain("RespectIgnoreDifferences=true");
  });
});

describe("staging and dev", () => {
  test("staging syncs automatically with prune and self-heal", () => {
    expect(at(app("web-staging"), "spec", "syncPolicy", "automated")).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
  });

  test("each project may create exactly the Namespaces its stack folders render", () => {
    expect(at(app("web-staging"), "spec", "syncPolicy", "syncOptions")).toEqual([
      "CreateNamespace=true",
      "PruneLast=true",
      "ApplyOutOfSyncOnly=true",
      "FailOnSharedResource=true",
    ]);
    expect(at(find(objects, "AppProject", "web"), "spec", "clusterResourceWhitelist")).toEqual([
      { group: "", kind: "Namespace", name: "web-dev" },
      { group: "", kind: "Namespace", name: "shop" },
      { group: "", kind: "Namespace", name: "web-staging" },
    ]);
  });

  test("staging keeps its resources when its Application is deleted; dev chose the finalizer", () => {
    expect(app("web-staging").metadata.finalizers).toBeUndefined();
    expect(app("web-dev").metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
  });
});

describe("every Application", () => {
  const stackApps = ["web-dev", "web-prod", "web-staging"].map(app);

  test("reads its folder through kustomize at the environment's revision", () => {
    expect(stackApps.map((a) => at(a, "spec", "source"))).toEqual([
      { repoURL: REPO, targetRevision: "main", path: "dist/dev/web", kustomize: {} },
      { repoURL: REPO, targetRevision: "main", path: "dist/prod/web", kustomize: {} },
      { repoURL: REPO, targetRevision: "main", path: "dist/staging/web", kustomize: {} },
    ]);
  });

  test("deploys to its stack's namespace on its environment's cluster", () => {
    expect(stackApps.map((a) => at(a, "spec", "destination"))).toEqual([
      { server: IN_CLUSTER, namespace: "web-dev" },
      { server: PROD_SERVER, namespace: "shop" },
      { server: STAGING_SERVER, namespace: "web-staging" },
    ]);
  });

  test("destinations match the namespaces of the environment files", () => {
    for (const env of fixtureEnvs()) {
      const web = env.data.stacks.web!;
      expect(at(app(`web-${env.name}`), "spec", "destination")).toEqual({ server: env.data.cluster.server, namespace: web.namespace });
    }
  });

  test("retries a failed sync with back-off and keeps ten revisions", () => {
    for (const a of stackApps) {
      expect(at(a, "spec", "syncPolicy", "retry")).toEqual({ limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } });
      expect(at(a, "spec", "revisionHistoryLimit")).toBe(10);
    }
  });

  test("syncs in the root's wave 0, after the projects' wave -1", () => {
    expect(stackApps.map((a) => a.metadata.annotations?.["argocd.argoproj.io/sync-wave"])).toEqual(["0", "0", "0"]);
    expect(find(objects, "AppProject", "web").metadata.annotations?.["argocd.argoproj.io/sync-wave"]).toBe("-1");
  });

  test("carries the labels Argo CD's list filters by", () => {
    expect(app("web-prod").metadata.labels).toEqual({
      "app.kubernetes.io/managed-by": "slipway",
      "app.kubernetes.io/part-of": "web",
      "slipway.dev/stack": "web",
      "slipway.dev/env": "prod",
    });
  });
});

describe("in the Argo CD UI", () => {
  test("prod shows its environment file, public URL, source folder, runbook and dashboard", () => {
    expect(at(app("web-prod"), "spec", "info")).toEqual([
      { name: "Environment", value: "prod (test/argocd/fixtures/environments/prod.yaml)" },
      { name: "URL", value: "https://shop.example.com" },
      { name: "Source", value: "dist/prod/web @ main" },
      { name: "dashboard", value: "https://grafana.example.com/d/shop-prod" },
      { name: "runbook", value: "https://runbooks.example.com/shop" },
    ]);
  });

  test("prod links to its public URL, its repository folder, its dashboard and runbook", () => {
    const annotations = app("web-prod").metadata.annotations ?? {};
    expect(Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith("link.argocd.argoproj.io/")))).toEqual({
      "link.argocd.argoproj.io/public-url": "https://shop.example.com",
      "link.argocd.argoproj.io/repo-folder": "https://github.com/acme/slipway/tree/main/dist/prod/web",
      "link.argocd.argoproj.io/runbook": "https://runbooks.example.com/shop",
      "link.argocd.argoproj.io/dashboard": "https://grafana.example.com/d/shop-prod",
    });
  });

  test("prod notifies on failed syncs and degraded health; dev subscribes to nothing", () => {
    const notifications = (name: string) =>
      Object.fromEntries(Object.entries(app(name).metadata.annotations ?? {}).filter(([k]) => k.startsWith("notifications.")));
    expect(notifications("web-prod")).toEqual({
      "notifications.argoproj.io/subscribe.on-sync-failed.slack": "shop-alerts",
      "notifications.argoproj.io/subscribe.on-health-degraded.slack": "shop-alerts;sre-oncall",
    });
    expect(notifications("web-dev")).toEqual({});
  });
});

describe("AppProject", () => {
  const project = find(objects, "AppProject", "web");

  test("reads this repository only", () => {
    expect(at(project, "spec", "sourceRepos")).toEqual([REPO]);
  });

  test("allows exactly the stack's namespace on each environment's cluster", () => {
    expect(at(project, "spec", "destinations")).toEqual([
      { server: IN_CLUSTER, namespace: "web-dev" },
      { server: PROD_SERVER, namespace: "shop" },
      { server: STAGING_SERVER, namespace: "web-staging" },
    ]);
    const patterns = (at(project, "spec", "destinations") as Record<string, string>[]).flatMap((d) => Object.values(d));
    expect(patterns.filter((p) => /[*?[\]!{}]/.test(p))).toEqual([]);
  });

  test("rejects destinations outside them", () => {
    expect(projectPermits(project, { server: PROD_SERVER, namespace: "shop" })).toBe(true);
    expect(projectPermits(project, { server: PROD_SERVER, namespace: "kube-system" })).toBe(false);
    expect(projectPermits(project, { server: STAGING_SERVER, namespace: "shop" })).toBe(false);
    expect(projectPermits(project, { server: "https://other.example.com", namespace: "web-dev" })).toBe(false);
    expect(projectPermits(project, { name: "prod-eu-1", namespace: "shop" })).toBe(false);
  });

  test("the prod weekend freeze applies to prod's Applications only", () => {
    expect(at(project, "spec", "syncWindows")).toEqual([
      {
        kind: "deny",
        schedule: "0 16 * * 5",
        duration: "64h",
        timeZone: "Europe/Berlin",
        manualSync: false,
        applications: ["web-prod"],
        description: "Weekend freeze",
      },
    ]);
  });

  test("lists orphaned resources (kept volumes) without raising warnings", () => {
    expect(at(project, "spec", "orphanedResources")).toEqual({ warn: false });
  });

  test("stacks sharing a project name share one project (a team's)", () => {
    const envs = ["prod", "staging"].map((n) => fixtureEnv(n, { stacks: { web: { project: "shop-team" } } }));
    const team = render(envs).objects.filter((o) => o.kind === "AppProject");
    expect(team.map((p) => p.metadata.name)).toEqual(["shop-team"]);
    expect(at(team[0], "spec", "destinations")).toEqual([
      { server: PROD_SERVER, namespace: "shop" },
      { server: STAGING_SERVER, namespace: "web-staging" },
    ]);
  });

  test("an environment addressing its cluster by name does so in the Application and the project alike", () => {
    const { objects: named } = render([fixtureEnv("prod", { clusterRef: "name" })]);
    expect(at(find(named, "Application", "web-prod"), "spec", "destination")).toEqual({ name: "prod-eu-1", namespace: "shop" });
    expect(at(find(named, "AppProject", "web"), "spec", "destinations")).toEqual([{ name: "prod-eu-1", namespace: "shop" }]);
  });
});

describe("root app-of-apps", () => {
  const root = app("slipway");

  test("syncs dist/argocd/ into Argo CD's namespace on its own cluster", () => {
    expect(at(root, "spec", "destination")).toEqual({ server: IN_CLUSTER, namespace: "argocd" });
    expect(at(root, "spec", "project")).toBe("default");
  });

  test("applies only the generated files, never its own", () => {
    expect(at(root, "spec", "source")).toEqual({
      repoURL: REPO,
      targetRevision: "main",
      path: "dist/argocd",
      directory: { recurse: false, include: "{apps-dev.yaml,apps-prod.yaml,apps-staging.yaml,projects.yaml}" },
    });
  });

  test("keeps Argo CD's objects as in Git, and never cascades a deletion", () => {
    expect(at(root, "spec", "syncPolicy", "automated")).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(root.metadata.finalizers).toBeUndefined();
  });

  test("syncs from the revision the chart is given when environments track different ones", () => {
    const envs = [fixtureEnv("prod", { targetRevision: "v1.4.2" }), fixtureEnv("staging")];
    expect(configProblems(() => render(envs))).toEqual([
      "argocd.targetRevision: the root Application syncs dist/argocd/ from one targetRevision, but the environments differ (test/argocd/fixtures/environments/prod.yaml: 'v1.4.2', test/argocd/fixtures/environments/staging.yaml: 'main'); make them agree; or give ArgoCdChart a rootTargetRevision",
    ]);
    const { objects: pinned } = render(envs, { rootTargetRevision: "main" });
    expect(at(find(pinned, "Application", "slipway"), "spec", "source", "targetRevision")).toBe("main");
    expect(at(find(pinned, "Application", "web-prod"), "spec", "source", "targetRevision")).toBe("v1.4.2");
  });
});

describe("ApplicationSet mode", () => {
  const envs = [fixtureEnv("prod"), fixtureEnv("staging", { delivery: "applicationSet", stacks: {} })];
  const { objects: mixed, files } = render(envs);
  const appset = find(mixed, "ApplicationSet", "stacks-staging");

  test("an environment in ApplicationSet mode gets one ApplicationSet and no Application", () => {
    expect([...files].map(([file, objs]) => [file, objs.map((o) => `${o.kind}/${o.metadata.name}`)])).toEqual([
      ["projects", ["AppProject/web"]],
      ["apps-prod", ["Application/web-prod"]],
      ["appset-stacks-staging", ["ApplicationSet/stacks-staging"]],
      ["root", ["Application/slipway"]],
    ]);
  });

  test("its list generator has one element per stack", () => {
    expect(at(appset, "spec", "generators")).toEqual([
      {
        list: {
          elements: [
            {
              env: "staging",
              stack: "web",
              project: "web",
              server: STAGING_SERVER,
              namespace: "web-staging",
              path: "dist/staging/web",
              targetRevision: "main",
              publicURL: "https://staging.shop.example.com",
              folderURL: "https://github.com/acme/slipway/tree/main/dist/staging/web",
              envFile: "test/argocd/fixtures/environments/staging.yaml",
            },
          ],
        },
      },
    ]);
  });

  test("generates the same Application as the Applications mode would", () => {
    const [generated] = effectiveApplications([appset]);
    const direct = find(render([fixtureEnv("prod"), fixtureEnv("staging", { stacks: {} })]).objects, "Application", "web-staging");
    const { annotations, ...directMeta } = direct.metadata;
    const { "argocd.argoproj.io/sync-wave": _wave, ...directAnnotations } = annotations ?? {};
    expect(generated.application).toEqual({
      metadata: { ...directMeta, annotations: directAnnotations },
      spec: direct.spec,
    });
  });

  test("fails generation on a missing parameter and keeps resources when Applications are deleted", () => {
    expect(at(appset, "spec", "goTemplate")).toBe(true);
    expect(at(appset, "spec", "goTemplateOptions")).toEqual(["missingkey=error"]);
    expect(at(appset, "spec", "syncPolicy")).toEqual({ preserveResourcesOnDeletion: true });
  });

  test("environments naming one ApplicationSet share it: one template fanned out over their clusters", () => {
    const shared = { delivery: "applicationSet", applicationSet: "shop", stacks: {}, finalizer: false, notifications: [] };
    const { files: fanned } = render([fixtureEnv("dev", shared), fixtureEnv("staging", shared)]);
    const [set] = fanned.get("appset-shop") ?? [];
    expect(effectiveApplications([set]).map((a) => [a.name, a.destination])).toEqual([
      ["web-dev", { server: IN_CLUSTER, namespace: "web-dev" }],
      ["web-staging", { server: STAGING_SERVER, namespace: "web-staging" }],
    ]);
  });

  test("environments sharing an ApplicationSet must agree on what its template holds", () => {
    const shared = { delivery: "applicationSet", applicationSet: "shop", stacks: {} };
    expect(configProblems(() => render([fixtureEnv("dev", shared), fixtureEnv("staging", shared)]))).toEqual([
      'test/argocd/fixtures/environments/staging.yaml: argocd.finalizer: expected true as in test/argocd/fixtures/environments/dev.yaml, which shares the ApplicationSet \'shop\' (one template), got false; make them agree or give this environment its own argocd.applicationSet',
      'test/argocd/fixtures/environments/staging.yaml: argocd.notifications: expected [] as in test/argocd/fixtures/environments/dev.yaml, which shares the ApplicationSet \'shop\' (one template), got [{"trigger":"on-sync-failed","service":"slack","recipients":["shop-staging"]}]; make them agree or give this environment its own argocd.applicationSet',
    ]);
  });

  test("an ApplicationSet name without ApplicationSet delivery", () => {
    expect(configProblems(() => render([fixtureEnv("prod", { applicationSet: "shop" })]))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: argocd.applicationSet: names an ApplicationSet, but argocd.delivery is 'applications'; set delivery: applicationSet or remove applicationSet",
    ]);
  });

  test("refuses per-stack links, which a shared template cannot carry", () => {
    const env = fixtureEnv("staging", { delivery: "applicationSet" });
    expect(configProblems(() => render([env]))).toEqual([
      "test/argocd/fixtures/environments/staging.yaml: argocd.stacks.web.links: an ApplicationSet shares one template across stacks; move these links to argocd.links or set argocd.delivery: applications",
    ]);
  });
});

describe("every dist/<env>/<stack> folder is targeted exactly once", () => {
  const folders = targetsOf(fixtureEnvs()).map((t) => t.path);
  const exists = (path: string) => folders.includes(path) || path === "dist/argocd";

  test("by the Applications", () => {
    expect(coverageProblems(objects, folders, exists)).toEqual([]);
  });

  test("by ApplicationSet elements", () => {
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, { delivery: "applicationSet", stacks: {} }));
    expect(coverageProblems(render(envs).objects, folders, exists)).toEqual([]);
  });

  test("a folder without an Application and an Application without a folder are both reported", () => {
    const problems = coverageProblems(objects, [...folders.filter((f) => f !== "dist/dev/web"), "dist/qa/web"], exists);
    expect(problems).toEqual(["dist/qa/web is targeted by 0 Applications; expected exactly one"]);
    expect(coverageProblems(objects, folders, (p) => p !== "dist/dev/web")).toEqual([
      "Application 'web-dev' targets 'dist/dev/web', which does not exist",
    ]);
  });
});

describe("ArgoCdChart refuses", () => {
  const chart = (environments: ReturnType<typeof fixtureEnvs>, targets = targetsOf(environments)) => () =>
    new ArgoCdChart(Testing.app(), "argocd", { environments, targets });

  test("environments that disagree on Argo CD's namespace", () => {
    expect(configProblems(chart([fixtureEnv("dev"), fixtureEnv("prod", { namespace: "gitops" })]))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: argocd.namespace: expected 'argocd' as in test/argocd/fixtures/environments/dev.yaml (one Argo CD manages every environment), got 'gitops'",
    ]);
  });

  test("overrides for a stack the environment does not run", () => {
    expect(configProblems(chart([fixtureEnv("prod", { stacks: { shop: {} } })]))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: argocd.stacks.shop: no stack 'shop' in this environment; expected one of web",
    ]);
  });

  test("a project named after Argo CD's built-in one", () => {
    expect(configProblems(chart([fixtureEnv("prod", { stacks: { web: { project: "default" } } })]))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: argocd.stacks.web.project: 'default' is Argo CD's built-in project; choose another name",
    ]);
  });

  test("targets of an environment that was not loaded, twice the same stack, or none at all", () => {
    const prod = fixtureEnv("prod");
    const [web] = targetsOf([prod]);
    expect(configProblems(chart([prod], [web, web, { ...web, env: "qa", path: "dist/qa/web" }]))).toEqual([
      "targets: prod/web appears more than once; each stack of an environment gets one Application",
      "targets: qa/web names environment 'qa', which is not loaded (loaded: prod)",
    ]);
    expect(configProblems(chart([prod], []))).toEqual([
      "targets: none given; expected one per rendered dist/<env>/<stack> folder",
    ]);
  });

  test("two targets rendering into one folder", () => {
    const prod = fixtureEnv("prod");
    const [web] = targetsOf([prod]);
    expect(configProblems(chart([prod], [web, { ...web, stack: "blog" }]))).toEqual([
      "targets: prod/blog and prod/web both render to 'dist/prod/web'; each folder gets exactly one Application",
    ]);
  });

  test("two stack × environment pairs that would share an Application name", () => {
    const envs = [{ ...fixtureEnv("staging"), name: "a-b" }, { ...fixtureEnv("prod"), name: "b" }];
    const targets = [
      { env: "a-b", stack: "web", namespace: "web", hosts: ["a.example.com"], path: "dist/a-b/web" },
      { env: "b", stack: "web-a", namespace: "web-a", hosts: ["b.example.com"], path: "dist/b/web-a" },
    ];
    expect(configProblems(chart(envs, targets))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: stacks.web-a: Application name 'web-a-b' is also generated for stack 'web' of test/argocd/fixtures/environments/staging.yaml; rename a stack or an environment",
    ]);
  });

  test("a stack whose project would replace Argo CD's built-in 'default'", () => {
    const prod = fixtureEnv("prod");
    const [web] = targetsOf([prod]);
    expect(configProblems(chart([prod], [{ ...web, stack: "default", path: "dist/prod/default" }]))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: stacks.default: its project would replace Argo CD's built-in 'default'; set argocd.stacks.default.project",
    ]);
  });
});
