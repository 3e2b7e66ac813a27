import { Testing } from "cdk8s";
import { minimatch } from "minimatch";
import { ArgoCdChart, isClusterScoped, ROOT_INCLUDE } from "../../argocd/index";
import { ConfigError } from "../../lib/errors";
import type { KubeObject } from "../../lib/kube-object";
import {
  at,
  coverageProblems,
  effectiveApplications,
  find,
  fixtureEnv,
  fixtureEnvs,
  projectAllows,
  projectPermits,
  render,
  resourcesOf,
  targetsOf,
} from "./support/argo";

const PROD_SERVER = "https://prod-eu-1.k8s.example.com:6443";
const STAGING_SERVER = "https://staging.k8s.example.com:6443";
const IN_CLUSTER = "https://kubernetes.default.svc";
const REPO = "https://github.com/acme/slipway.git";

const rendered = render();
const { objects } = rendered;
const app = (name: string) => find(objects, "Application", name);
const project = (name: string) => find(objects, "AppProject", name);
const annotations = (o: KubeObject) => o.metadata.annotations ?? {};

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
      ["projects", ["AppProject/web-dev", "AppProject/web-prod", "AppProject/web-staging"]],
      ["apps-dev", ["Application/web-dev"]],
      ["apps-prod", ["Application/web-prod"]],
      ["apps-staging", ["Application/web-staging"]],
      ["root", ["AppProject/slipway", "Application/slipway"]],
    ]);
  });

  test("every object lives in Argo CD's namespace on the management cluster", () => {
    expect(objects.map((o) => o.metadata.namespace)).toEqual(objects.map(() => "argocd"));
  });
});

describe("defect 1: the root never prunes an Application, and picks up new files by itself", () => {
  const root = app("slipway");
  const selected = (files: string[]) => {
    const include = at(root, "spec", "source", "directory", "include") as string;
    return files.filter((f) => minimatch(f, include));
  };

  test("includes every generated file by pattern, and never its own", () => {
    expect(at(root, "spec", "source", "directory")).toEqual({ recurse: false, include: "{apps-*.yaml,appset-*.yaml,projects.yaml}" });
    const written = rendered.chart.files.map((f) => `${f}.yaml`);
    expect(selected(written)).toEqual(written.filter((f) => f !== "root.yaml"));
  });

  test("a new environment, an environment switched to an ApplicationSet and previews need no new root", () => {
    expect(selected(["apps-qa.yaml", "appset-stacks-prod.yaml", "appset-preview-web-dev.yaml", "root.yaml", "notes.yaml"])).toEqual([
      "apps-qa.yaml",
      "appset-stacks-prod.yaml",
      "appset-preview-web-dev.yaml",
    ]);
    const qa = { ...fixtureEnv("staging"), name: "qa", file: "environments/qa.yaml" };
    const withQa = render([...fixtureEnvs(), qa]);
    expect(find(withQa.objects, "Application", "slipway")).toEqual(root);
    expect(ROOT_INCLUDE).toEqual(["projects.yaml", "apps-*.yaml", "appset-*.yaml"]);
  });

  test("every child Application, ApplicationSet and AppProject waits for a person before the root prunes or deletes it", () => {
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, e.name === "prod" ? {} : { delivery: "applicationSet", stacks: {} }));
    const children = [...objects, ...render(envs).objects].filter((o) => o.metadata.name !== "slipway");
    expect(children.map((o) => o.kind)).toEqual(expect.arrayContaining(["AppProject", "Application", "ApplicationSet"]));
    for (const child of children) {
      expect({ child: `${child.kind}/${child.metadata.name}`, options: annotations(child)["argocd.argoproj.io/sync-options"] }).toEqual({
        child: `${child.kind}/${child.metadata.name}`,
        options: "Prune=confirm,Delete=confirm",
      });
    }
  });

  test("projects sync before the Applications that name them", () => {
    for (const o of objects.filter((o) => o.metadata.name !== "slipway")) {
      expect([o.kind, annotations(o)["argocd.argoproj.io/sync-wave"]]).toEqual([o.kind, o.kind === "AppProject" ? "-1" : "0"]);
    }
  });

  test("keeps Argo CD's objects as in Git, retrying with the newest commit, and never cascades a deletion", () => {
    expect(at(root, "spec", "syncPolicy", "automated")).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(at(root, "spec", "syncPolicy", "retry")).toEqual({ limit: 5, refresh: true, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } });
    expect(root.metadata.finalizers).toBeUndefined();
  });
});

describe("defect 2: the root has its own AppProject", () => {
  const rootProject = project("slipway");

  test("the root Application lives in it, not in 'default'", () => {
    expect(at(app("slipway"), "spec", "project")).toBe("slipway");
  });

  test("it allows only this repository, only Argo CD's namespace on its own cluster, only Argo CD's kinds", () => {
    expect(rootProject.spec).toEqual({
      description: "Slipway: the app-of-apps, syncing dist/argocd/ into Argo CD's namespace",
      sourceRepos: [REPO],
      destinations: [{ server: IN_CLUSTER, namespace: "argocd" }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: "argoproj.io", kind: "AppProject" },
        { group: "argoproj.io", kind: "Application" },
        { group: "argoproj.io", kind: "ApplicationSet" },
      ],
    });
  });

  test("it allows every object the root syncs, and refuses anything else", () => {
    const children = objects.filter((o) => o.metadata.name !== "slipway");
    expect(children.filter((o) => !projectAllows(rootProject, o, false))).toEqual([]);
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "argocd" } };
    expect(projectAllows(rootProject, configMap, false)).toBe(false);
    expect(projectAllows(rootProject, { apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } }, true)).toBe(false);
    expect(projectPermits(rootProject, { server: IN_CLUSTER, namespace: "shop" })).toBe(false);
  });

  test("an environment's stack cannot take the root's project name", () => {
    const prod = fixtureEnv("prod");
    const [web] = targetsOf([prod]);
    expect(configProblems(() => new ArgoCdChart(Testing.app(), "argocd", { environments: [prod], targets: [web], rootName: "web-prod" }))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: stacks.web: its project 'web-prod' would replace the root's project; rename the stack or the environment",
    ]);
  });
});

describe("defect 3: one AppProject per stack × environment", () => {
  const apps = effectiveApplications(objects).filter((a) => a.name !== "slipway");

  test("each Application has its own project, with exactly its destination", () => {
    expect(apps.map((a) => [a.name, a.project, at(project(a.project), "spec", "destinations")])).toEqual([
      ["web-dev", "web-dev", [{ server: IN_CLUSTER, namespace: "web-dev" }]],
      ["web-prod", "web-prod", [{ server: PROD_SERVER, namespace: "shop" }]],
      ["web-staging", "web-staging", [{ server: STAGING_SERVER, namespace: "web-staging" }]],
    ]);
  });

  test("no project lets an Application reach another environment's namespace", () => {
    for (const a of apps) {
      for (const other of apps.filter((o) => o !== a)) {
        expect({ project: a.project, to: other.destination, permitted: projectPermits(project(a.project), other.destination) }).toEqual({
          project: a.project,
          to: other.destination,
          permitted: false,
        });
      }
    }
  });

  test("each project allows exactly the kinds its folder renders, and each cluster-scoped object by name", () => {
    for (const target of targetsOf(fixtureEnvs())) {
      const p = project(`${target.stack}-${target.env}`);
      const renderedObjects = target.resources.map((r) => r.toJson() as KubeObject);
      expect(renderedObjects.filter((o) => !projectAllows(p, o, isClusterScoped(o)))).toEqual([]);
      const kinds = new Set(renderedObjects.filter((o) => !isClusterScoped(o)).map((o) => `${o.apiVersion.split("/").slice(0, -1).join("/")}/${o.kind}`));
      expect((at(p, "spec", "namespaceResourceWhitelist") as { group: string; kind: string }[]).map((k) => `${k.group}/${k.kind}`).sort()).toEqual(
        [...kinds].sort(),
      );
    }
    expect(projectAllows(project("web-prod"), { apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }, false)).toBe(false);
  });

  test("a kind a stack starts to render is allowed by the same synth", () => {
    const prod = fixtureEnv("prod");
    const [web] = targetsOf([prod]);
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "extra", namespace: "shop" } };
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "shop-reader" } };
    const chart = new ArgoCdChart(Testing.app(), "argocd", {
      environments: [prod],
      targets: [{ ...web, resources: [...web.resources, ...resourcesOf([pdb, role])] }],
    });
    const p = (chart.toJson() as KubeObject[]).find((o) => o.kind === "AppProject" && o.metadata.name === "web-prod")!;
    expect(projectAllows(p, pdb, false)).toBe(true);
    expect(at(p, "spec", "clusterResourceWhitelist")).toEqual([
      { group: "", kind: "Namespace", name: "shop" },
      { group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "shop-reader" },
    ]);
  });

  test("the stack's own Namespace, which its folder renders, is the only cluster-scoped object allowed, by its name", () => {
    expect(at(project("web-staging"), "spec", "clusterResourceWhitelist")).toEqual([{ group: "", kind: "Namespace", name: "web-staging" }]);
    expect(at(project("web-prod"), "spec", "clusterResourceWhitelist")).toEqual([{ group: "", kind: "Namespace", name: "shop" }]);
    expect(projectAllows(project("web-prod"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "web-staging" } }, true)).toBe(false);
  });

  test("the prod freeze is matched by prod's namespace and cluster together, and only prod's project has it", () => {
    const windows = at(project("web-prod"), "spec", "syncWindows") as Record<string, unknown>[];
    expect(windows.map(({ description, namespaces, clusters, andOperator }) => ({ description, namespaces, clusters, andOperator }))).toEqual([
      { description: "Weekend freeze", namespaces: ["shop"], clusters: [PROD_SERVER], andOperator: true },
    ]);
    expect(at(project("web-staging"), "spec", "syncWindows")).toBeUndefined();
    expect(at(project("web-dev"), "spec", "syncWindows")).toBeUndefined();
  });

  test("a cluster registered by name is matched by name, in the destination and the windows alike", () => {
    const { objects: named } = render([fixtureEnv("prod", { clusterRef: "name" })]);
    expect(at(find(named, "Application", "web-prod"), "spec", "destination")).toEqual({ name: "prod-eu-1", namespace: "shop" });
    expect(at(find(named, "AppProject", "web-prod"), "spec", "destinations")).toEqual([{ name: "prod-eu-1", namespace: "shop" }]);
    expect(at(find(named, "AppProject", "web-prod"), "spec", "syncWindows", 0, "clusters")).toEqual(["prod-eu-1"]);
  });

  test("each environment's people get a role in its projects, for the UI", () => {
    expect(at(project("web-prod"), "spec", "roles")).toEqual([
      {
        name: "prod",
        description: "Operates web-prod: view, sync, run actions, read logs; never delete",
        groups: ["shop-sre"],
        policies: [
          "p, proj:web-prod:prod, applications, get, web-prod/*, allow",
          "p, proj:web-prod:prod, applications, sync, web-prod/*, allow",
          "p, proj:web-prod:prod, applications, action/*, web-prod/*, allow",
          "p, proj:web-prod:prod, logs, get, web-prod/*, allow",
          "p, proj:web-prod:prod, applications, delete, web-prod/*, deny",
          "p, proj:web-prod:prod, applications, delete/*, web-prod/*, deny",
        ],
      },
    ]);
    expect(at(project("web-dev"), "spec", "roles", 0, "groups")).toEqual(["shop-developers"]);
  });
});

describe("defect 5: a sync never waits for what cannot become healthy by itself", () => {
  test("no Application moves its prunes after the last wave (PruneLast), where they would wait for that wave's health", () => {
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, { delivery: "applicationSet", stacks: {} }));
    for (const a of effectiveApplications([...objects, ...render(envs).objects])) {
      expect([a.name, at(a.application, "spec", "syncPolicy", "syncOptions")]).toEqual([a.name, expect.not.arrayContaining(["PruneLast=true"])]);
    }
  });
});

describe("defect 6: retries never rerun a prod migration", () => {
  test("prod, synced by a person, never retries", () => {
    expect(at(app("web-prod"), "spec", "syncPolicy", "retry")).toEqual({ limit: 0, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } });
  });

  test("automated environments retry with back-off, each time with the newest commit", () => {
    for (const name of ["web-dev", "web-staging"]) {
      expect(at(app(name), "spec", "syncPolicy", "retry")).toEqual({
        limit: 5,
        refresh: true,
        backoff: { duration: "5s", factor: 2, maxDuration: "3m" },
      });
    }
  });

  test("a manual environment may ask for one retry", () => {
    const { objects: once } = render([fixtureEnv("prod", { retry: { limit: 1 } })]);
    expect(at(find(once, "Application", "web-prod"), "spec", "syncPolicy", "retry")).toEqual({
      limit: 1,
      backoff: { duration: "5s", factor: 2, maxDuration: "3m" },
    });
  });
});

describe("defect 7: a freeze never parks a sync halfway", () => {
  test("a sync that started before the freeze finishes (syncOverrun); new syncs wait", () => {
    expect(at(project("web-prod"), "spec", "syncWindows", 0)).toMatchObject({ kind: "deny", syncOverrun: true, manualSync: false });
  });

  test("the emergency path is one line in the environment file: manualSync lets a person sync during the freeze", () => {
    const window = { kind: "deny", schedule: "0 16 * * 5", duration: "64h", timeZone: "Europe/Berlin", manualSync: true };
    const { objects: emergency } = render([fixtureEnv("prod", { syncWindows: [window] })]);
    expect(at(find(emergency, "AppProject", "web-prod"), "spec", "syncWindows", 0)).toMatchObject({ manualSync: true, syncOverrun: true });
  });
});

describe("defect 8: deletion protection", () => {
  test("prod's role may not delete its Application, and a cascading delete waits for confirmation", () => {
    expect(at(app("web-prod"), "spec", "syncPolicy", "syncOptions")).toContain("Delete=confirm");
    expect(at(project("web-prod"), "spec", "roles", 0, "policies")).toContain("p, proj:web-prod:prod, applications, delete, web-prod/*, deny");
    expect(app("web-prod").metadata.finalizers).toBeUndefined();
  });

  test("deletion protection is on by default, also where the finalizer is: a cascade still waits for confirmation", () => {
    expect(at(app("web-dev"), "spec", "syncPolicy", "syncOptions")).toContain("Delete=confirm");
    expect(app("web-dev").metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
  });

  test("an environment that opts out may be deleted by its role, and the finalizer then takes its resources along", () => {
    const { objects: open } = render([fixtureEnv("dev", { deletionProtection: false })]);
    expect(at(find(open, "Application", "web-dev"), "spec", "syncPolicy", "syncOptions")).not.toContain("Delete=confirm");
    expect(at(find(open, "AppProject", "web-dev"), "spec", "roles", 0, "policies")).toContain("p, proj:web-dev:dev, applications, delete, web-dev/*, allow");
  });

  test("every AppProject carries the resources finalizer: a project in use cannot be deleted", () => {
    for (const p of objects.filter((o) => o.kind === "AppProject")) {
      expect([p.metadata.name, p.metadata.finalizers]).toEqual([p.metadata.name, ["resources-finalizer.argocd.argoproj.io"]]);
    }
  });
});

describe("every Application", () => {
  const stackApps = ["web-dev", "web-prod", "web-staging"].map(app);

  test("reads its folder through kustomize at the environment's revision, and regenerates only when that folder changes", () => {
    expect(stackApps.map((a) => at(a, "spec", "source"))).toEqual([
      { repoURL: REPO, targetRevision: "main", path: "dist/dev/web", kustomize: {} },
      { repoURL: REPO, targetRevision: "main", path: "dist/prod/web", kustomize: {} },
      { repoURL: REPO, targetRevision: "main", path: "dist/staging/web", kustomize: {} },
    ]);
    for (const a of [...stackApps, app("slipway")]) expect(annotations(a)["argocd.argoproj.io/manifest-generate-paths"]).toBe(".");
  });

  test("deploys to its stack's namespace on its environment's cluster", () => {
    for (const env of fixtureEnvs()) {
      expect(at(app(`web-${env.name}`), "spec", "destination")).toEqual({ server: env.data.cluster.server, namespace: env.data.stacks.web!.namespace });
    }
  });

  test("carries the labels Argo CD's list filters by", () => {
    expect(app("web-prod").metadata.labels).toEqual({
      "app.kubernetes.io/managed-by": "slipway",
      "app.kubernetes.io/part-of": "web",
      "slipway.dev/stack": "web",
      "slipway.dev/env": "prod",
    });
  });

  test("prod waits for a person; staging and dev sync automatically with prune and self-heal", () => {
    expect(at(app("web-prod"), "spec", "syncPolicy", "automated")).toBeUndefined();
    for (const name of ["web-dev", "web-staging"]) {
      expect(at(app(name), "spec", "syncPolicy", "automated")).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    }
  });

  test("the replicas of prod's autoscaled api and proxy belong to their HPAs", () => {
    expect(at(app("web-prod"), "spec", "ignoreDifferences")).toEqual([
      { group: "apps", kind: "Deployment", name: "api", jsonPointers: ["/spec/replicas"] },
      { group: "apps", kind: "Deployment", name: "proxy", jsonPointers: ["/spec/replicas"] },
    ]);
    expect(at(app("web-prod"), "spec", "syncPolicy", "syncOptions")).toContain("RespectIgnoreDifferences=true");
    expect(at(app("web-staging"), "spec", "ignoreDifferences")).toBeUndefined();
  });

  test("the Namespace each stack renders has one owner: Argo CD syncs it, and neither creates nor labels it beside", () => {
    for (const a of stackApps) {
      expect([a.metadata.name, at(a, "spec", "syncPolicy", "syncOptions")]).toEqual([a.metadata.name, expect.not.arrayContaining(["CreateNamespace=true"])]);
      expect(at(a, "spec", "syncPolicy", "managedNamespaceMetadata")).toBeUndefined();
    }
    const namespaces = targetsOf(fixtureEnvs()).map((t) => t.resources.filter((r) => r.kind === "Namespace").map((r) => r.name));
    expect(namespaces).toEqual([["web-dev"], ["shop"], ["web-staging"]]);
  });
});

describe("in the Argo CD UI", () => {
  test("prod shows its environment file, public URL, source folder, runbook and dashboard", () => {
    expect(at(app("web-prod"), "spec", "info")).toEqual([
      { name: "Environment", value: "prod (test/argocd/fixtures/environments/prod.yaml)" },
      { name: "URL", value: "https://shop.example.com" },
      { name: "Source", value: "dist/prod/web @ main" },
      { name: "Grafana: shop (prod)", value: "https://grafana.example.com/d/shop-prod" },
      { name: "Runbook: shop", value: "https://runbooks.example.com/shop" },
    ]);
  });

  test("links carry their titles as Argo CD reads them (Title|URL)", () => {
    const links = Object.fromEntries(Object.entries(annotations(app("web-prod"))).filter(([k]) => k.startsWith("link.argocd.argoproj.io/")));
    expect(links).toEqual({
      "link.argocd.argoproj.io/public-url": "web (prod)|https://shop.example.com",
      "link.argocd.argoproj.io/repo-folder": "dist/prod/web in Git|https://github.com/acme/slipway/tree/main/dist/prod/web",
      "link.argocd.argoproj.io/runbook": "Runbook: shop|https://runbooks.example.com/shop",
      "link.argocd.argoproj.io/dashboard": "Grafana: shop (prod)|https://grafana.example.com/d/shop-prod",
    });
  });

  test("prod notifies on failed syncs and degraded health; dev subscribes to nothing", () => {
    const notifications = (name: string) =>
      Object.fromEntries(Object.entries(annotations(app(name))).filter(([k]) => k.startsWith("notifications.")));
    expect(notifications("web-prod")).toEqual({
      "notifications.argoproj.io/subscribe.on-sync-failed.slack": "shop-alerts",
      "notifications.argoproj.io/subscribe.on-health-degraded.slack": "shop-alerts;sre-oncall",
    });
    expect(notifications("web-dev")).toEqual({});
  });
});

describe("ApplicationSet mode", () => {
  const envs = [fixtureEnv("prod"), fixtureEnv("staging", { delivery: "applicationSet", stacks: {} })];
  const { objects: mixed, files } = render(envs);
  const appset = find(mixed, "ApplicationSet", "stacks-staging");

  test("an environment in ApplicationSet mode gets one ApplicationSet and no Application", () => {
    expect([...files].map(([file, objs]) => [file, objs.map((o) => `${o.kind}/${o.metadata.name}`)])).toEqual([
      ["projects", ["AppProject/web-prod", "AppProject/web-staging"]],
      ["apps-prod", ["Application/web-prod"]],
      ["appset-stacks-staging", ["ApplicationSet/stacks-staging"]],
      ["root", ["AppProject/slipway", "Application/slipway"]],
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
              project: "web-staging",
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
    const { annotations: directAnnotations, ...directMeta } = direct.metadata;
    const { "argocd.argoproj.io/sync-wave": _wave, "argocd.argoproj.io/sync-options": _guard, ...rest } = directAnnotations ?? {};
    expect(generated.application).toEqual({ metadata: { ...directMeta, annotations: rest }, spec: direct.spec });
  });

  test("fails generation on a missing parameter and keeps resources when Applications are deleted", () => {
    expect(at(appset, "spec", "goTemplate")).toBe(true);
    expect(at(appset, "spec", "goTemplateOptions")).toEqual(["missingkey=error"]);
    expect(at(appset, "spec", "syncPolicy")).toEqual({ preserveResourcesOnDeletion: true });
  });

  test("environments naming one ApplicationSet share it: one template fanned out over their clusters", () => {
    const sharedSettings = { delivery: "applicationSet", applicationSet: "shop", stacks: {}, finalizer: false, notifications: [] };
    const { files: fanned } = render([fixtureEnv("dev", sharedSettings), fixtureEnv("staging", sharedSettings)]);
    const [set] = fanned.get("appset-shop") ?? [];
    expect(effectiveApplications([set]).map((a) => [a.name, a.project, a.destination])).toEqual([
      ["web-dev", "web-dev", { server: IN_CLUSTER, namespace: "web-dev" }],
      ["web-staging", "web-staging", { server: STAGING_SERVER, namespace: "web-staging" }],
    ]);
  });

  test("environments sharing an ApplicationSet must agree on what its template holds", () => {
    const sharedSettings = { delivery: "applicationSet", applicationSet: "shop", stacks: {} };
    expect(configProblems(() => render([fixtureEnv("dev", sharedSettings), fixtureEnv("staging", sharedSettings)]))).toEqual([
      "test/argocd/fixtures/environments/staging.yaml: argocd.finalizer: expected true as in test/argocd/fixtures/environments/dev.yaml, which shares the ApplicationSet 'shop' (one template), got false; make them agree or give this environment its own argocd.applicationSet",
      'test/argocd/fixtures/environments/staging.yaml: argocd.notifications: expected [] as in test/argocd/fixtures/environments/dev.yaml, which shares the ApplicationSet \'shop\' (one template), got [{"trigger":"on-sync-failed","service":"slack","recipients":["shop-staging"]}]; make them agree or give this environment its own argocd.applicationSet',
    ]);
  });

  test("an ApplicationSet name without ApplicationSet delivery", () => {
    expect(configProblems(() => render([fixtureEnv("prod", { applicationSet: "shop" })]))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: argocd.applicationSet: names an ApplicationSet, but argocd.delivery is 'applications'; set delivery: applicationSet or remove applicationSet",
    ]);
  });

  test("refuses per-stack links, which a shared template cannot carry", () => {
    expect(configProblems(() => render([fixtureEnv("staging", { delivery: "applicationSet" })]))).toEqual([
      "test/argocd/fixtures/environments/staging.yaml: argocd.stacks.web.links: an ApplicationSet shares one template across stacks; move these links to argocd.links or set argocd.delivery: applications",
    ]);
  });
});

describe("every dist/<env>/<stack> folder is targeted exactly once", () => {
  const folders = targetsOf(fixtureEnvs()).map((t) => t.path);
  const exists = (path: string) => folders.includes(path) || path === "dist/argocd";

  test("by the Applications, and by ApplicationSet elements", () => {
    expect(coverageProblems(objects, folders, exists)).toEqual([]);
    const envs = fixtureEnvs().map((e) => fixtureEnv(e.name, { delivery: "applicationSet", stacks: {} }));
    expect(coverageProblems(render(envs).objects, folders, exists)).toEqual([]);
  });

  test("a folder without an Application and an Application without a folder are both reported", () => {
    const problems = coverageProblems(objects, [...folders.filter((f) => f !== "dist/dev/web"), "dist/qa/web"], exists);
    expect(problems).toEqual(["dist/qa/web is targeted by 0 Applications; expected exactly one"]);
    expect(coverageProblems(objects, folders, (p) => p !== "dist/dev/web")).toEqual(["Application 'web-dev' targets 'dist/dev/web', which does not exist"]);
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

  test("targets of an environment that was not loaded, twice the same stack, without objects, or none at all", () => {
    const prod = fixtureEnv("prod");
    const [web] = targetsOf([prod]);
    expect(configProblems(chart([prod], [web, web, { ...web, env: "qa", path: "dist/qa/web", resources: [] }]))).toEqual([
      "targets: prod/web appears more than once; each stack of an environment gets one Application",
      "targets: qa/web names environment 'qa', which is not loaded (loaded: prod)",
      "targets: qa/web renders no objects; expected the objects of 'dist/qa/web'",
    ]);
    expect(configProblems(chart([prod], []))).toEqual(["targets: none given; expected one per rendered dist/<env>/<stack> folder"]);
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
    const [web] = targetsOf([fixtureEnv("prod")]);
    const targets = [
      { ...web, env: "a-b", stack: "web", namespace: "web", path: "dist/a-b/web" },
      { ...web, env: "b", stack: "web-a", namespace: "web-a", path: "dist/b/web-a" },
    ];
    expect(configProblems(chart(envs, targets))).toEqual([
      "test/argocd/fixtures/environments/prod.yaml: stacks.web-a: Application name 'web-a-b' is also generated for stack 'web' of test/argocd/fixtures/environments/staging.yaml; rename a stack or an environment",
    ]);
  });

  test("the root's targetRevision when environments track different ones, unless the chart is given one", () => {
    const envs = [fixtureEnv("prod", { targetRevision: "v1.4.2" }), fixtureEnv("staging")];
    expect(configProblems(() => render(envs))).toEqual([
      "argocd.targetRevision: the root Application syncs dist/argocd/ from one targetRevision, but the environments differ (test/argocd/fixtures/environments/prod.yaml: 'v1.4.2', test/argocd/fixtures/environments/staging.yaml: 'main'); make them agree; or give ArgoCdChart a rootTargetRevision",
    ]);
    const { objects: pinned } = render(envs, { rootTargetRevision: "main" });
    expect(at(find(pinned, "Application", "slipway"), "spec", "source", "targetRevision")).toBe("main");
    expect(at(find(pinned, "Application", "web-prod"), "spec", "source", "targetRevision")).toBe("v1.4.2");
  });
});
