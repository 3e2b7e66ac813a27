/**
 * From the environments and the rendered targets to what Argo CD needs: one planned Application per
 * target, grouped by environment (or by the ApplicationSet delivering it) and by AppProject. Pure, and
 * where the cross-environment rules live: one Argo CD namespace, one Application per folder, overrides
 * that name real stacks, environments sharing an ApplicationSet agreeing on its template.
 */
import type { ArgoCdSettings, ClusterResource, StackArgoCdSettings } from "../environments/argocd";
import { ConfigError } from "../lib/errors";
import type { Environment } from "../environments/index";
import type { ClusterRef } from "./lib/application-template";
import { folderURL } from "./lib/repo";
import { byCodePoint } from "../lib/order";

/** One rendered folder, as the render pipeline reports it. */
export interface ArgoCdTarget {
  readonly env: string;
  readonly stack: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
  /** e.g. `dist/prod/web` */
  readonly path: string;
}

export interface PlannedApplication {
  readonly env: Environment;
  readonly settings: ArgoCdSettings;
  readonly target: ArgoCdTarget;
  /** `<stack>-<env>`, also when an ApplicationSet generates it. */
  readonly name: string;
  readonly project: string;
  readonly cluster: ClusterRef;
  readonly autoscaledDeployments: readonly string[];
  readonly links: Readonly<Record<string, string>>;
  readonly publicURL: string;
  readonly folderURL?: string;
  readonly clusterResources: readonly ClusterResource[];
}

export interface Plan {
  readonly argocdNamespace: string;
  /** Environments delivered as Applications, by environment name, each sorted by stack. */
  readonly applications: ReadonlyMap<string, readonly PlannedApplication[]>;
  /** Environments delivered by ApplicationSets, by ApplicationSet name, sorted by environment then stack. */
  readonly applicationSets: ReadonlyMap<string, readonly PlannedApplication[]>;
  /** By AppProject name, sorted by environment then stack. */
  readonly byProject: ReadonlyMap<string, readonly PlannedApplication[]>;
}

/** The ApplicationSet delivering an environment's stacks. */
export const applicationSetName = (env: Environment) => env.data.argocd.applicationSet ?? `stacks-${env.name}`;

/** Settings that shape an ApplicationSet's shared template: environments sharing one must agree on them. */
const TEMPLATE_SETTINGS = [
  "repoURL",
  "source",
  "clusterRef",
  "automated",
  "createNamespace",
  "serverSideApply",
  "retry",
  "revisionHistoryLimit",
  "finalizer",
  "links",
  "notifications",
] as const satisfies readonly (keyof ArgoCdSettings)[];

/** Argo CD's built-in project: generating one of that name would replace it. */
const BUILT_IN_PROJECT = "default";

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
    for (const [stack, overrides] of Object.entries(settings.stacks)) {
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
      if (overrides.project === BUILT_IN_PROJECT) {
        problems.push(
          `${env.file}: argocd.stacks.${stack}.project: '${BUILT_IN_PROJECT}' is Argo CD's built-in project; choose another name`,
        );
      }
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
  }
  return problems;
}

function planApplication(env: Environment, target: ArgoCdTarget): PlannedApplication {
  const settings = env.data.argocd;
  const overrides: StackArgoCdSettings | undefined = settings.stacks[target.stack];
  const { server, name } = env.data.cluster;
  const clusterResources = [
    ...(overrides?.clusterResources ?? []),
    // Every stack folder renders its Namespace (constructs/namespace.ts): allow exactly that namespace.
    { group: "", kind: "Namespace", name: target.namespace },
  ];
  return {
    env,
    settings,
    target,
    name: `${target.stack}-${env.name}`,
    project: overrides?.project ?? target.stack,
    cluster: settings.clusterRef === "server" ? { server } : { name },
    autoscaledDeployments: autoscaledComponents(env.data.stacks[target.stack]),
    links: { ...settings.links, ...overrides?.links },
    publicURL: `https://${target.hosts[0]}`,
    folderURL: folderURL(settings.repoURL, settings.targetRevision, target.path, settings.browseURL),
    clusterResources,
  };
}

function checkNames(applications: readonly PlannedApplication[]): string[] {
  const owners = new Map<string, PlannedApplication>();
  const problems: string[] = [];
  for (const app of applications) {
    const other = owners.get(app.name);
    if (other) {
      problems.push(
        `${app.env.file}: stacks.${app.target.stack}: Application name '${app.name}' is also generated for stack '${other.target.stack}' of ${other.env.file}; rename a stack or an environment`,
      );
    } else owners.set(app.name, app);
    if (app.project === BUILT_IN_PROJECT && app.settings.stacks[app.target.stack]?.project === undefined) {
      problems.push(
        `${app.env.file}: stacks.${app.target.stack}: its project would replace Argo CD's built-in '${BUILT_IN_PROJECT}'; set argocd.stacks.${app.target.stack}.project`,
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
export function plan(environments: readonly Environment[], targets: readonly ArgoCdTarget[]): Plan {
  const problems = [
    ...checkEnvironments(environments),
    ...checkSharedApplicationSets(environments),
    ...checkTargets(targets, environments),
  ];
  if (targets.length === 0) problems.push("targets: none given; expected one per rendered dist/<env>/<stack> folder");
  if (problems.length) throw new ConfigError(problems);

  const byName = new Map(environments.map((e) => [e.name, e]));
  const applications = [...targets]
    .sort((a, b) => byCodePoint(a.env, b.env) || byCodePoint(a.stack, b.stack))
    .map((t) => planApplication(byName.get(t.env)!, t));
  const nameProblems = checkNames(applications);
  if (nameProblems.length) throw new ConfigError(nameProblems);

  const sorted = <V>(groups: Map<string, V>) => new Map([...groups].sort(([a], [b]) => byCodePoint(a, b)));
  const delivered = (mode: ArgoCdSettings["delivery"]) => applications.filter((a) => a.settings.delivery === mode);
  return {
    argocdNamespace: environments[0].data.argocd.namespace,
    applications: groupBy(delivered("applications"), (a) => a.env.name),
    applicationSets: sorted(groupBy(delivered("applicationSet"), (a) => applicationSetName(a.env))),
    byProject: sorted(groupBy(applications, (a) => a.project)),
  };
}
