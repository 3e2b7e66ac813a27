/**
 * Every Argo CD object of the repository, for `dist/argocd/`. Each top-level child is one file
 * (`<child id>.yaml`):
 *
 * - `root.yaml`: the root AppProject and app-of-apps, applied once by hand or by the bootstrap; the
 *   app-of-apps syncs the files below, found by pattern;
 * - `projects.yaml`: one AppProject per stack × environment (and one per environment with previews);
 * - `apps-<env>.yaml`: the Applications of an environment delivered as Applications (the default);
 * - `appset-<name>.yaml`: an ApplicationSet, for the environments delivered by it (argocd.delivery), and
 *   `appset-preview-<stack>-<env>.yaml` for pull-request previews.
 *
 * All objects live in Argo CD's namespace on the management cluster; environments on other clusters are
 * reached through their Applications' destinations.
 */
import { Chart } from "cdk8s";
import { Construct } from "constructs";
import type { Environment } from "../environments/index";
import { ConfigError } from "../lib/errors";
import { AppOfApps } from "./app-of-apps";
import type { ApplicationSettings } from "./lib/application-template";
import { namespacedKinds } from "./lib/resources";
import { plan, previewNamespace, previewProjectName, type ArgoCdTarget, type PlannedApplication } from "./plan";
import { PreviewApplicationSet } from "./preview-application-set";
import { StackApplication } from "./stack-application";
import { StackApplicationSet } from "./stack-application-set";
import { StackProject } from "./stack-project";

export interface ArgoCdChartProps {
  /** The loaded environments. */
  readonly environments: readonly Environment[];
  /** One per rendered `dist/<env>/<stack>` folder. */
  readonly targets: readonly ArgoCdTarget[];
  /**
   * The folder this chart is written to, which the root Application syncs.
   * @default "dist/argocd"
   */
  readonly path?: string;
  /**
   * The root Application's (and its AppProject's) name.
   * @default "slipway"
   */
  readonly rootName?: string;
  /**
   * The revision the root Application syncs `dist/argocd/` from.
   * @default - the argocd.targetRevision every environment shares (an error if they differ)
   */
  readonly rootTargetRevision?: string;
}

export const ROOT_FILE = "root";
export const PROJECTS_FILE = "projects";
export const applicationsFile = (env: string) => `apps-${env}`;
export const applicationSetFile = (name: string) => `appset-${name}`;
/** What the root reads: every file but its own, by pattern, so a new environment needs no new root. */
export const ROOT_INCLUDE = [`${PROJECTS_FILE}.yaml`, `${applicationsFile("*")}.yaml`, `${applicationSetFile("*")}.yaml`];

/** What an environment decides for every Application it delivers. */
function applicationSettings(app: PlannedApplication, argocdNamespace: string): ApplicationSettings {
  const s = app.settings;
  return {
    argocdNamespace,
    sync: {
      automated: s.automated,
      serverSideApply: s.serverSideApply,
      retry: s.retry,
      deletionProtection: s.deletionProtection,
    },
    finalizer: s.finalizer,
    revisionHistoryLimit: s.revisionHistoryLimit,
    autoscaledDeployments: app.autoscaledDeployments,
    links: app.links,
    notifications: s.notifications,
  };
}

/** Where an Application comes from and goes to, less its Git source. */
function element(app: PlannedApplication) {
  return {
    env: app.env.name,
    stack: app.target.stack,
    project: app.name,
    cluster: app.cluster,
    namespace: app.target.namespace,
    path: app.target.path,
    publicURL: app.publicURL,
    folderURL: app.folderURL,
    envFile: app.env.file,
  };
}

/** The one value every environment gives for a root setting, or a problem naming the files that differ. */
function shared(environments: readonly Environment[], field: "repoURL" | "targetRevision"): string {
  const values = [...new Set(environments.map((e) => e.data.argocd[field]))];
  if (values.length === 1) return values[0];
  const each = environments.map((e) => `${e.file}: '${e.data.argocd[field]}'`).join(", ");
  const remedy = field === "targetRevision" ? "; or give ArgoCdChart a rootTargetRevision" : "";
  throw new ConfigError([
    `argocd.${field}: the root Application syncs dist/argocd/ from one ${field}, but the environments differ (${each}); make them agree${remedy}`,
  ]);
}

export class ArgoCdChart extends Chart {
  /** The files written, without `.yaml`, as the ids of this chart's children. */
  readonly files: readonly string[];

  constructor(scope: Construct, id: string, props: ArgoCdChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const rootName = props.rootName ?? "slipway";
    const planned = plan(props.environments, props.targets, rootName);
    const argocdNamespace = planned.argocdNamespace;
    const roleOf = (app: PlannedApplication) => ({
      name: app.env.name,
      groups: app.settings.groups,
      mayDelete: !app.settings.deletionProtection,
    });

    const projects = new Construct(this, PROJECTS_FILE);
    for (const app of planned.all) {
      new StackProject(projects, app.name, {
        name: app.name,
        argocdNamespace,
        description: `Slipway: stack ${app.target.stack} in ${app.env.name} (${app.env.file})`,
        sourceRepos: [app.settings.repoURL],
        destinations: [{ ...app.cluster, namespace: app.target.namespace }],
        namespacedKinds: app.namespacedKinds,
        clusterResources: app.clusterResources,
        syncWindows: app.settings.syncWindows,
        roles: [roleOf(app)],
      });
    }
    for (const [env, apps] of planned.previews) {
      const [first] = apps;
      new StackProject(projects, previewProjectName(env), {
        name: previewProjectName(env),
        argocdNamespace,
        description: `Slipway: pull-request previews of ${env} (${first.env.file})`,
        sourceRepos: [first.settings.repoURL],
        destinations: apps.map((a) => ({ ...a.cluster, namespace: previewNamespace(a.target.stack, "*") })),
        namespacePatterns: true,
        namespacedKinds: namespacedKinds(apps.flatMap((a) => a.target.resources)),
        // A preview's namespace is its own, rendered or created: the only cluster-scoped object it may have.
        clusterResources: apps.map((a) => ({ group: "", kind: "Namespace", name: previewNamespace(a.target.stack, "*") })),
        syncWindows: first.settings.syncWindows,
        roles: [{ ...roleOf(first), mayDelete: true }],
      });
    }

    for (const [env, apps] of planned.applications) {
      const group = new Construct(this, applicationsFile(env));
      for (const app of apps) {
        new StackApplication(group, app.target.stack, {
          name: app.name,
          ...element(app),
          source: { repoURL: app.settings.repoURL, targetRevision: app.settings.targetRevision, type: app.settings.source },
          ...applicationSettings(app, argocdNamespace),
        });
      }
    }
    for (const [name, apps] of planned.applicationSets) {
      // plan() checked that these environments agree on every setting the shared template holds.
      const [first] = apps;
      new StackApplicationSet(new Construct(this, applicationSetFile(name)), name, {
        name,
        elements: apps.map((a) => ({ ...element(a), targetRevision: a.settings.targetRevision })),
        repoURL: first.settings.repoURL,
        sourceType: first.settings.source,
        ...applicationSettings(first, argocdNamespace),
        autoscaledDeployments: [...new Set(apps.flatMap((a) => a.autoscaledDeployments))].sort(),
      });
    }
    for (const [env, apps] of planned.previews) {
      for (const app of apps) {
        const name = `preview-${app.target.stack}-${env}`;
        new PreviewApplicationSet(new Construct(this, applicationSetFile(name)), name, {
          name,
          env,
          stack: app.target.stack,
          project: previewProjectName(env),
          repoURL: app.settings.repoURL,
          path: app.target.path,
          cluster: app.cluster,
          previews: app.settings.previews!,
          resources: app.target.resources,
          rendersNamespace: app.rendersNamespace,
          ...applicationSettings(app, argocdNamespace),
        });
      }
    }

    const files = this.node.children.map((c) => c.node.id);
    new AppOfApps(this, ROOT_FILE, {
      repoURL: shared(props.environments, "repoURL"),
      targetRevision: props.rootTargetRevision ?? shared(props.environments, "targetRevision"),
      include: ROOT_INCLUDE,
      path: props.path,
      name: rootName,
      argocdNamespace,
    });
    this.files = [...files, ROOT_FILE];
  }
}
