/** Helpers for the Argo CD tests: fixture environments, rendering, schema validation and the invariants. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiObject, Testing } from "cdk8s";
import { parse, stringify } from "yaml";
import { parseEnvironment, type Environment } from "../../../environments/index";
import { stackSettings } from "../../support/stacks";
import { ArgoCdChart, type ArgoCdChartProps, type ArgoCdTarget } from "../../../argocd/index";
import type { KubeObject } from "../../../lib/kube-object";
import { checkSchema } from "../../../validation/schema";

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

/** What the render pipeline reports: one target per stack of every environment, at dist/<env>/<stack>. */
export function targetsOf(environments: readonly Environment[]): ArgoCdTarget[] {
  return environments.flatMap((env) =>
    Object.entries(env.data.stacks).flatMap(([stack, settings]) =>
      settings ? [{ env: env.name, stack, namespace: settings.namespace, hosts: settings.hosts, path: `dist/${env.name}/${stack}` }] : [],
    ),
  );
}

export interface Rendered {
  readonly chart: ArgoCdChart;
  /** Objects by file (the chart's child id), in order. */
  readonly files: ReadonlyMap<string, KubeObject[]>;
  readonly objects: readonly KubeObject[];
}

export function render(environments: readonly Environment[] = fixtureEnvs(), extra: Partial<ArgoCdChartProps> = {}): Rendered {
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

/**
 * Problems of each object against the published Argo CD schemas, through the validation gate's own schema
 * check (the @kubernetes-models/argo-cd validators plus the unknown-field pass they lack).
 */
export async function schemaProblems(objects: readonly KubeObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    if (!object.apiVersion.startsWith("argoproj.io/")) problems.push(`${object.kind} '${object.metadata.name}': not an Argo CD kind`);
    for (const v of await checkSchema(object)) problems.push(`${object.kind} '${object.metadata.name}': ${v.field}: ${v.message}`);
  }
  return problems;
}

/** An Application as Argo CD would run it: a real one, or one an ApplicationSet's list generator makes. */
export interface EffectiveApplication {
  readonly name: string;
  readonly from: string;
  readonly project: string;
  readonly path: string;
  readonly destination: { server?: string; name?: string; namespace: string };
  readonly application: Record<string, unknown>;
}

/** Fills `{{.key}}` placeholders, failing on a missing key as `missingkey=error` does. */
function fill(value: unknown, params: Record<string, string>): unknown {
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
    const generators = at(o, "spec", "generators") as { list?: { elements: Record<string, string>[] } }[];
    return generators.flatMap((g) =>
      (g.list?.elements ?? []).map((element, i) =>
        from(fill(template, element) as Record<string, unknown>, `ApplicationSet '${o.metadata.name}' element [${i}]`),
      ),
    );
  });
}

/**
 * Every folder targeted by exactly one Application (or ApplicationSet element), and every targeted path
 * a folder that exists. Returns one message per violation.
 */
export function coverageProblems(objects: readonly KubeObject[], folders: readonly string[], exists: (path: string) => boolean): string[] {
  const apps = effectiveApplications(objects);
  const problems: string[] = [];
  for (const app of apps) {
    if (!exists(app.path)) problems.push(`${app.from} targets '${app.path}', which does not exist`);
  }
  for (const folder of folders) {
    const owners = apps.filter((a) => a.path === folder);
    if (owners.length !== 1) {
      problems.push(`${folder} is targeted by ${owners.length} Applications${owners.length ? `: ${owners.map((o) => o.from).join(", ")}` : ""}; expected exactly one`);
    }
  }
  return problems;
}

/**
 * Whether an AppProject lets an Application deploy to `destination`: Argo CD matches each project
 * destination's cluster and namespace (globs allowed; ours are exact, which the tests also assert).
 */
export function projectPermits(project: KubeObject, destination: { server?: string; name?: string; namespace: string }): boolean {
  const globMatch = (pattern: string | undefined, value: string | undefined) =>
    pattern !== undefined && value !== undefined && new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);
  const allowed = (at(project, "spec", "destinations") ?? []) as { server?: string; name?: string; namespace: string }[];
  return allowed.some(
    (d) =>
      (globMatch(d.server, destination.server) || globMatch(d.name, destination.name)) &&
      globMatch(d.namespace, destination.namespace),
  );
}
