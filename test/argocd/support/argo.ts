/** Helpers for the Argo CD tests: fixture environments, rendering, and reading the rendered objects as Argo CD would. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiObject, App, Testing } from "cdk8s";
import { parse, stringify } from "yaml";
import { parseEnvironment, type Environment } from "../../../environments/index";
import { stacks, stackSettings } from "../../support/stacks";
import { buildStacks } from "../../../render/build";
import { ArgoCdChart, type ArgoCdChartProps, type ArgoCdTarget, type RenderedResource } from "../../../argocd/index";
import type { KubeObject } from "../../../lib/kube-object";

export const FIXTURES = join(__dirname, "../fixtures/environments");
export const ENV_NAMES = ["dev", "prod", "staging"] as const;

/** A fixture environment, its argocd section merged with `argocd` (a shallow patch). */
export function fixtureEnv(name: string, argocd: Record<string, unknown> = {}): Environment {
  const file = `test/argocd/fixtures/environments/${name}.yaml`;
  const data = parse(readFileSync(join(FIXTURES, `${name}.yaml`), "utf8")) as Record<string, Record<string, unknown>>;
  data.argocd = { ...data.argocd, ...argocd };
  return parseEnvironment(file, stringify(data), stackSettings);
}

export function fixtureEnvs(): Environment[] {
  return ENV_NAMES.map((n) => fixtureEnv(n));
}

/** Plain objects (read back from YAML, or made up) as the generator reads rendered objects. */
export function resourcesOf(objects: readonly KubeObject[]): RenderedResource[] {
  return objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, toJson: () => o }));
}

/** What the render pipeline reports: one target per stack of every environment, with the objects it renders. */
export function targetsOf(environments: readonly Environment[]): ArgoCdTarget[] {
  return buildStacks(new App(), environments, stacks).map((s) => ({
    env: s.env,
    stack: s.stack,
    namespace: s.namespace,
    hosts: s.hosts,
    path: `dist/${s.folder}`,
    resources: s.chart.node.findAll().filter(ApiObject.isApiObject),
  }));
}

export interface Rendered {
  readonly chart: ArgoCdChart;
  /** Objects by file (the chart's child id), in order. */
  readonly files: ReadonlyMap<string, KubeObject[]>;
  readonly objects: readonly KubeObject[];
}

export function render(
  environments: readonly Environment[] = fixtureEnvs(),
  extra: Partial<ArgoCdChartProps> = {},
): Rendered {
  const chart = new ArgoCdChart(Testing.app(), "argocd", { environments, targets: targetsOf(environments), ...extra });
  const files = new Map(
    chart.node.children.map((child) => [
      child.node.id,
      child.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson() as KubeObject),
    ]),
  );
  const objects = chart.toJson() as KubeObject[];
  return { chart, files, objects };
}

export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} '${name}' among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}

/** Reads a nested field: `at(app, "spec", "syncPolicy", "automated")`. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

/** An Application as Argo CD would run it: a real one, or one an ApplicationSet's generator makes. */
export interface EffectiveApplication {
  readonly name: string;
  readonly from: string;
  readonly project: string;
  readonly path: string;
  readonly destination: { server?: string; name?: string; namespace: string };
  readonly application: Record<string, unknown>;
}

/** Fills `{{.key}}` placeholders, failing on a missing key as `missingkey=error` does. */
export function fill(value: unknown, params: Record<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, key: string) => {
      if (!(key in params)) throw new Error(`template parameter '${key}' missing from element ${JSON.stringify(params)}`);
      return params[key];
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, params));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, params)]));
  return value;
}

/** The parameters the pull-request generator gives one pull request (argo-cd docs: Generators-Pull-Request.md). */
export const SAMPLE_PULL_REQUEST = { number: "42", branch: "fix-login", branch_slug: "fix-login", head_sha: "0123abc", head_short_sha: "0123abc" };

export function effectiveApplications(objects: readonly KubeObject[]): EffectiveApplication[] {
  const from = (application: Record<string, unknown>, source: string): EffectiveApplication => ({
    name: at(application, "metadata", "name") as string,
    from: source,
    project: at(application, "spec", "project") as string,
    path: at(application, "spec", "source", "path") as string,
    destination: at(application, "spec", "destination") as EffectiveApplication["destination"],
    application,
  });
  return objects.flatMap((o) => {
    if (o.kind === "Application") return [from(o, `Application '${o.metadata.name}'`)];
    if (o.kind !== "ApplicationSet") return [];
    const template = at(o, "spec", "template");
    const generators = at(o, "spec", "generators") as { list?: { elements: Record<string, string>[] }; pullRequest?: unknown }[];
    return generators.flatMap((g) => {
      const elements = g.list?.elements ?? (g.pullRequest ? [SAMPLE_PULL_REQUEST] : []);
      return elements.map((element, i) =>
        from(fill(template, element) as Record<string, unknown>, `ApplicationSet '${o.metadata.name}' element [${i}]`),
      );
    });
  });
}

/**
 * Every folder targeted by exactly one Application (or ApplicationSet element), and every targeted path
 * a folder that exists. Returns one message per violation. Previews deploy a folder again, elsewhere: they
 * do not count as its Application.
 */
export function coverageProblems(objects: readonly KubeObject[], folders: readonly string[], exists: (path: string) => boolean): string[] {
  const apps = effectiveApplications(objects);
  const problems: string[] = [];
  for (const app of apps) {
    if (!exists(app.path)) problems.push(`${app.from} targets '${app.path}', which does not exist`);
  }
  const owners = apps.filter((a) => !a.project.startsWith("previews-"));
  for (const folder of folders) {
    const found = owners.filter((a) => a.path === folder);
    if (found.length !== 1) {
      problems.push(`${folder} is targeted by ${found.length} Applications${found.length ? `: ${found.map((o) => o.from).join(", ")}` : ""}; expected exactly one`);
    }
  }
  return problems;
}

const globMatch = (pattern: string | undefined, value: string | undefined) =>
  pattern !== undefined && value !== undefined && new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

/**
 * Whether an AppProject lets an Application deploy to `destination`: Argo CD matches each project
 * destination's cluster and namespace (globs allowed).
 */
export function projectPermits(project: KubeObject, destination: { server?: string; name?: string; namespace: string }): boolean {
  const allowed = (at(project, "spec", "destinations") ?? []) as { server?: string; name?: string; namespace: string }[];
  return allowed.some(
    (d) => (globMatch(d.server, destination.server) || globMatch(d.name, destination.name)) && globMatch(d.namespace, destination.namespace),
  );
}

/**
 * Whether an AppProject lets its Applications deploy an object, as Argo CD's IsGroupKindNamePermitted does
 * (argo-cd pkg/apis/application/v1alpha1/app_project_types.go): a cluster-scoped object by the cluster
 * whitelist (group, kind and name glob), a namespaced one by the namespace whitelist.
 */
export function projectAllows(project: KubeObject, object: KubeObject, clusterScoped: boolean): boolean {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  const list = (at(project, "spec", clusterScoped ? "clusterResourceWhitelist" : "namespaceResourceWhitelist") ?? []) as {
    group: string;
    kind: string;
    name?: string;
  }[];
  return list.some(
    (w) => globMatch(w.group, group) && globMatch(w.kind, object.kind) && (w.name === undefined || globMatch(w.name, object.metadata.name)),
  );
}
