/**
 * Every Argo CD object of the repository, for `dist/argocd/`. Each top-level child is one file
 * (`<child id>.yaml`):
 *
 * - `root.yaml`: the app-of-apps, applied once by hand or by the bootstrap; it syncs the files below;
 * - `projects.yaml`: one AppProject per stack (or per team, through argocd.stacks.<stack>.project);
 * - `apps-<env>.yaml`: the Applications of an environment delivered as Applications (the default);
 * - `appset-<name>.yaml`: an ApplicationSet, for the environments delivered by it (argocd.delivery).
 *
 * All objects live in Argo CD's namespace on the management cluster; environments on other clusters are
 * reached through their Applications' destinations.
 */
import { Chart } from "cdk8s";
import { Construct } from "constructs";
import type { SyncWindow } from "../environments/argocd";
import { ConfigError } from "../lib/errors";
import type { Environment } from "../environments/index";
import { AppOfApps } from "./app-of-apps";
import { plan, type ArgoCdTarget, type PlannedApplication } from "./plan";
import { StackApplication } from "./stack-application";
import { StackApplicationSet } from "./stack-application-set";
import { StackProject, type ProjectSyncWindow } from "./stack-project";
import type { SyncSettings } from "./lib/sync";

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
   * The root Application's name.
   * @default "slipway"
   */
  readonly rootName?: string;
  /**
   * The root Application's AppProject.
   * @default "default"
   */
  readonly rootProject?: string;
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

function syncSettings(app: PlannedApplication): SyncSettings {
  const s = app.settings;
  return {
    automated: s.automated,
    createNamespace: s.createNamespace,
    serverSideApply: s.serverSideApply,
    retry: s.retry,
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
    const planned = plan(props.environments, props.targets);
    const argocdNamespace = planned.argocdNamespace;

    const projects = new Construct(this, PROJECTS_FILE);
    for (const [name, apps] of planned.byProject) {
      new StackProject(projects, name, {
        name,
        argocdNamespace,
        description: `Slipway: ${[...new Set(apps.map((a) => a.target.stack))].join(", ")}`,
        sourceRepos: [...new Set(apps.map((a) => a.settings.repoURL))].sort(),
        destinations: apps.map((a) => ({ ...a.cluster, namespace: a.target.namespace })),
        clusterResources: uniqueResources(apps.flatMap((a) => a.clusterResources)),
        syncWindows: projectWindows(apps),
      });
    }

    for (const [env, apps] of planned.applications) {
      const group = new Construct(this, applicationsFile(env));
      for (const app of apps) this.application(group, app, argocdNamespace);
    }
    for (const [name, apps] of planned.applicationSets) {
      this.applicationSet(new Construct(this, applicationSetFile(name)), name, apps, argocdNamespace);
    }

    const files = this.node.children.map((c) => c.node.id);
    new AppOfApps(this, ROOT_FILE, {
      repoURL: shared(props.environments, "repoURL"),
      targetRevision: props.rootTargetRevision ?? shared(props.environments, "targetRevision"),
      files: files.map((f) => `${f}.yaml`),
      path: props.path,
      name: props.rootName,
      project: props.rootProject,
      argocdNamespace,
    });
    this.files = [...files, ROOT_FILE];
  }

  private application(scope: Construct, app: PlannedApplication, argocdNamespace: string): void {
    const s = app.settings;
    new StackApplication(scope, app.target.stack, {
      name: app.name,
      env: app.env.name,
      stack: app.target.stack,
      project: app.project,
      argocdNamespace,
      source: { repoURL: s.repoURL, targetRevision: s.targetRevision, type: s.source },
      path: app.target.path,
      cluster: app.cluster,
      namespace: app.target.namespace,
      sync: syncSettings(app),
      finalizer: s.finalizer,
      revisionHistoryLimit: s.revisionHistoryLimit,
      autoscaledDeployments: app.autoscaledDeployments,
      envFile: app.env.file,
      publicURL: app.publicURL,
      folderURL: app.folderURL,
      links: app.links,
      notifications: s.notifications,
    });
  }

  private applicationSet(
    scope: Construct,
    name: string,
    apps: readonly PlannedApplication[],
    argocdNamespace: string,
  ): void {
    // plan() checked that these environments agree on every setting the shared template holds.
    const [first] = apps;
    const s = first.settings;
    new StackApplicationSet(scope, name, {
      name,
      argocdNamespace,
      elements: apps.map((a) => ({
        env: a.env.name,
        stack: a.target.stack,
        project: a.project,
        cluster: a.cluster,
        namespace: a.target.namespace,
        path: a.target.path,
        targetRevision: a.settings.targetRevision,
        publicURL: a.publicURL,
        folderURL: a.folderURL,
        envFile: a.env.file,
      })),
      repoURL: s.repoURL,
      sourceType: s.source,
      sync: syncSettings(first),
      finalizer: s.finalizer,
      revisionHistoryLimit: s.revisionHistoryLimit,
      autoscaledDeployments: [...new Set(apps.flatMap((a) => a.autoscaledDeployments))].sort(),
      links: s.links,
      notifications: s.notifications,
    });
  }
}

function uniqueResources<T extends object>(resources: readonly T[]): T[] {
  const byKey = new Map(resources.map((r) => [JSON.stringify(r), r]));
  return [...byKey.values()];
}

/** Each environment's windows, narrowed to that environment's Applications in the project. */
function projectWindows(apps: readonly PlannedApplication[]): ProjectSyncWindow[] {
  const envs = [...new Set(apps.map((a) => a.env))];
  return envs.flatMap((env) =>
    env.data.argocd.syncWindows.map((w: SyncWindow) => ({
      ...w,
      applications: apps.filter((a) => a.env === env).map((a) => a.name),
    })),
  );
}
