/**
 * From the environments and the rendered targets to what Argo CD needs: one planned Application (and its
 * AppProject) per target, grouped by environment or by the ApplicationSet delivering it, and the
 * pull-request previews. Pure, and where the cross-environment rules live: one Argo CD namespace, one
 * Application per folder, overrides that name real stacks, environments sharing an ApplicationSet agreeing
 * on its template, previews only of folders that can move to another namespace.
 */
import type { ArgoCdSettings, StackArgoCdSettings } from "../environments/argocd";
import type { Environment } from "../environments/index";
import { ConfigError } from "../lib/errors";
import { byCodePoint } from "../lib/order";
import type { ClusterRef } from "./lib/application-template";
import { folderURL } from "./lib/repo";
import {
  clusterResources,
  isClusterScoped,
  namespacedKinds,
  type ClusterResource,
  type GroupKind,
  type RenderedResource,
} from "./lib/resources";

/** One rendered folder, as the render pipeline reports it. */
export interface ArgoCdTarget {
  readonly env: string;
  readonly stack: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
  /** e.g. `dist/prod/web` */
  readonly path: string;
  /** The objects rendered into that folder. */
  readonly resources: readonly RenderedResource[];
}

export interface PlannedApplication {
  readonly env: Environment;
  readonly settings: ArgoCdSettings;
  readonly target: ArgoCdTarget;
  /** `<stack>-<env>`, also when an ApplicationSet generates it; its AppProject has the same name. */
  readonly name: string;
  readonly cluster: ClusterRef;
  readonly autoscaledDeployments: readonly string[];
  readonly links: ArgoCdSettings["links"];
  readonly publicURL: string;
  readonly folderURL?: string;
  /** The folder renders the stack's Namespace, so Argo CD syncs it like any object and never creates it. */
  readonly rendersNamespace: boolean;
  readonly namespacedKinds: readonly GroupKind[];
  readonly clusterResources: readonly ClusterResource[];
}

export interface Plan {
  readonly argocdNamespace: string;
  /** Environments delivered as Applications, by environment name, each sorted by stack. */
  readonly applications: ReadonlyMap<string, readonly PlannedApplication[]>;
  /** Environments delivered by ApplicationSets, by ApplicationSet name, sorted by environment then stack. */
  readonly applicationSets: ReadonlyMap<string, readonly PlannedApplication[]>;
  /** Every planned Application, sorted by environment then stack: each gets its own AppProject. */
  readonly all: readonly PlannedApplication[];
  /** Environments with pull-request previews, by environment name: the stacks previewed. */
  readonly previews: ReadonlyMap<string, readonly PlannedApplication[]>;
}

/** The ApplicationSet delivering an environment's stacks. */
export const applicationSetName = (env: Environment) => env.data.argocd.applicationSet ?? `stacks-${env.name}`;
/** The AppProject of an environment's pull-request previews. */
export const previewProjectName = (env: string) => `previews-${env}`;
/** The namespace of a preview: `<stack>-pr-<number>`. */
export const previewNamespace = (stack: string, number: string) => `${stack}-pr-${number}`;

/** Settings that shape an ApplicationSet's shared template: environments sharing one must agree on them. */
const TEMPLATE_SETTINGS = [
  "repoURL",
  "source",
  "clusterRef",
  "automated",
  "serverSideApply",
  "retry",
  "revisionHistoryLimit",
  "finalizer",
  "deletionProtection",
  "links",
  "notifications",
] as const satisfies readonly (keyof ArgoCdSettings)[];

/** Names no generated project may take: Argo CD's built-in project and the root's. */
const RESERVED_PROJECTS = ["default"];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Components of a stack's settings that autoscale; each renders a Deployment named after the component
 * (the constructs' naming convention), whose replicas its HPA owns.
 */
export function autoscaledComponents(stackSettings: unknown): string[] {
  if (!isRecord(stackSettings)) return [];
  return Object.entries(stackSettings)
    .filter(([, component]) => isRecord(component) && component.autoscaling !== undefined)
    .map(([name]) => name)
    .sort();
}

function checkEnvironments(environments: readonly Environment[]): string[] {
  const problems: string[] = [];
  const [first] = environments;
  for (const env of environments) {
    const settings = env.data.argocd;
    if (first && settings.namespace !== first.data.argocd.namespace) {
      problems.push(
        `${env.file}: argocd.namespace: expected '${first.data.argocd.namespace}' as in ${first.file} (one Argo CD manages every environment), got '${settings.namespace}'`,
      );
    }
    if (settings.applicationSet !== undefined && settings.delivery !== "applicationSet") {
      problems.push(
        `${env.file}: argocd.applicationSet: names an ApplicationSet, but argocd.delivery is '${settings.delivery}'; set delivery: applicationSet or remove applicationSet`,
      );
    }
    const stacks = Object.keys(env.data.stacks).filter((s) => env.data.stacks[s] !== undefined);
    for (const [stack, overrides] of Object.entries<StackArgoCdSettings>(settings.stacks)) {
      if (!stacks.includes(stack)) {
        problems.push(
          `${env.file}: argocd.stacks.${stack}: no stack '${stack}' in this environment; expected one of ${stacks.join(", ") || "(none)"}`,
        );
      }
      if (settings.delivery === "applicationSet" && overrides.links !== undefined) {
        problems.push(
          `${env.file}: argocd.stacks.${stack}.links: an ApplicationSet shares one template across stacks; move these links to argocd.links or set argocd.delivery: applications`,
        );
      }
    }
    if (settings.previews && stacks.length > 1 && !settings.previews.host.includes("{stack}")) {
      problems.push(
        `${env.file}: argocd.previews.host: this environment runs ${stacks.length} stacks, so each preview needs its own host; add {stack}, e.g. {stack}-{number}.preview.example.com`,
      );
    }
  }
  return problems;
}

/** Environments sharing an ApplicationSet share its template: each must say what the first says. */
function checkSharedApplicationSets(environments: readonly Environment[]): string[] {
  const problems: string[] = [];
  const firsts = new Map<string, Environment>();
  const shown = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));
  for (const env of environments.filter((e) => e.data.argocd.delivery === "applicationSet")) {
    const name = applicationSetName(env);
    const first = firsts.get(name);
    if (!first) {
      firsts.set(name, env);
      continue;
    }
    for (const field of TEMPLATE_SETTINGS) {
      const mine = env.data.argocd[field];
      const theirs = first.data.argocd[field];
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
        problems.push(
          `${env.file}: argocd.${field}: expected ${shown(theirs)} as in ${first.file}, which shares the ApplicationSet '${name}' (one template), got ${shown(mine)}; make them agree or give this environment its own argocd.applicationSet`,
        );
      }
    }
  }
  return problems;
}

function checkTargets(targets: readonly ArgoCdTarget[], environments: readonly Environment[]): string[] {
  const problems: string[] = [];
  const loaded = environments.map((e) => e.name);
  const seen = new Set<string>();
  const paths = new Map<string, string>();
  for (const t of targets) {
    const key = `${t.env}/${t.stack}`;
    if (!loaded.includes(t.env)) {
      problems.push(`targets: ${key} names environment '${t.env}', which is not loaded (loaded: ${loaded.join(", ") || "none"})`);
    }
    if (seen.has(key)) problems.push(`targets: ${key} appears more than once; each stack of an environment gets one Application`);
    seen.add(key);
    const owner = paths.get(t.path);
    if (owner !== undefined && owner !== key) {
      problems.push(`targets: ${key} and ${owner} both render to '${t.path}'; each folder gets exactly one Application`);
    }
    paths.set(t.path, key);
    if (t.hosts.length === 0) problems.push(`targets: ${key} has no hosts; expected the stack's public host names`);
    if (t.resources.length === 0) problems.push(`targets: ${key} renders no objects; expected the objects of '${t.path}'`);
  }
  return problems;
}

const rendersNamespace = (t: ArgoCdTarget) => t.resources.some((r) => r.kind === "Namespace" && r.apiVersion === "v1" && r.name === t.namespace);

function planApplication(env: Environment, target: ArgoCdTarget): PlannedApplication {
  const settings = env.data.argocd;
  const overrides: StackArgoCdSettings | undefined = settings.stacks[target.stack];
  const { server, name } = env.data.cluster;
  return {
    env,
    settings,
    target,
    name: `${target.stack}-${env.name}`,
    cluster: settings.clusterRef === "server" ? { server } : { name },
    autoscaledDeployments: autoscaledComponents(env.data.stacks[target.stack]),
    links: { ...settings.links, ...overrides?.links },
    publicURL: `https://${target.hosts[0]}`,
    folderURL: folderURL(settings.repoURL, settings.targetRevision, target.path, settings.browseURL),
    rendersNamespace: rendersNamespace(target),
    namespacedKinds: namespacedKinds(target.resources),
    clusterResources: clusterResources(target.resources),
  };
}

function checkNames(applications: readonly PlannedApplication[], rootName: string): string[] {
  const owners = new Map<string, PlannedApplication>();
  const problems: string[] = [];
  const reserved = [...RESERVED_PROJECTS, rootName];
  for (const app of applications) {
    const other = owners.get(app.name);
    if (other) {
      problems.push(
        `${app.env.file}: stacks.${app.target.stack}: Application name '${app.name}' is also generated for stack '${other.target.stack}' of ${other.env.file}; rename a stack or an environment`,
      );
    } else owners.set(app.name, app);
    if (reserved.includes(app.name) || app.name.startsWith("previews-")) {
      problems.push(
        `${app.env.file}: stacks.${app.target.stack}: its project '${app.name}' would replace ${app.name === rootName ? "the root's" : "a reserved"} project; rename the stack or the environment`,
      );
    }
  }
  return problems;
}

/** Strings of an object that name its namespace, outside `metadata.namespace`: what kustomize cannot move. */
function namespaceMentions(value: unknown, namespace: string, path: string): string[] {
  if (typeof value === "string") {
    return value === namespace || value.includes(`.${namespace}.svc`) ? [path] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => namespaceMentions(v, namespace, `${path}[${i}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    path === "metadata" && (k === "namespace" || k === "name") ? [] : namespaceMentions(v, namespace, path ? `${path}.${k}` : k),
  );
}

/** A preview moves the folder to another namespace: refuse what would still point at the environment's. */
function checkPreview(app: PlannedApplication): string[] {
  const { target, env } = app;
  const where = `${env.file}: argocd.previews: stack '${target.stack}'`;
  const problems: string[] = [];
  for (const r of target.resources) {
    if (isClusterScoped(r) && !(r.kind === "Namespace" && r.name === target.namespace)) {
      problems.push(`${where}: renders cluster-scoped ${r.kind} '${r.name}', which every preview would share; previews need a stack without one`);
    }
    const mentions = namespaceMentions(r.toJson(), target.namespace, "");
    if (mentions.length) {
      problems.push(
        `${where}: ${r.kind} '${r.name}' names namespace '${target.namespace}' at ${mentions.join(", ")}; a preview in its own namespace would still reach ${env.name}'s objects. Refer to Services by their short name to preview this stack`,
      );
    }
  }
  return problems;
}

function groupBy<K>(apps: readonly PlannedApplication[], key: (a: PlannedApplication) => K): Map<K, PlannedApplication[]> {
  const groups = new Map<K, PlannedApplication[]>();
  for (const app of apps) groups.set(key(app), [...(groups.get(key(app)) ?? []), app]);
  return groups;
}

/** Throws ConfigError listing every problem found across environments and targets. */
export function plan(environments: readonly Environment[], targets: readonly ArgoCdTarget[], rootName: string): Plan {
  const problems = [
    ...checkEnvironments(environments),
    ...checkSharedApplicationSets(environments),
    ...checkTargets(targets, environments),
  ];
  if (targets.length === 0) problems.push("targets: none given; expected one per rendered dist/<env>/<stack> folder");
  if (problems.length) throw new ConfigError(problems);

  const byName = new Map(environments.map((e) => [e.name, e]));
  const all = [...targets]
    .sort((a, b) => byCodePoint(a.env, b.env) || byCodePoint(a.stack, b.stack))
    .map((t) => planApplication(byName.get(t.env)!, t));
  const previewed = all.filter((a) => a.settings.previews !== undefined);
  const lateProblems = [...checkNames(all, rootName), ...previewed.flatMap(checkPreview)];
  if (lateProblems.length) throw new ConfigError(lateProblems);

  const sorted = <V>(groups: Map<string, V>) => new Map([...groups].sort(([a], [b]) => byCodePoint(a, b)));
  const delivered = (mode: ArgoCdSettings["delivery"]) => all.filter((a) => a.settings.delivery === mode);
  return {
    argocdNamespace: environments[0].data.argocd.namespace,
    applications: groupBy(delivered("applications"), (a) => a.env.name),
    applicationSets: sorted(groupBy(delivered("applicationSet"), (a) => applicationSetName(a.env))),
    all,
    previews: groupBy(previewed, (a) => a.env.name),
  };
}
