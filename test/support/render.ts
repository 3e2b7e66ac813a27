/** Renders environment files the way `npm run synth` does, for tests that read the objects of a stack. */
import { App } from "cdk8s";
import { loadEnvironments } from "../../environments";
import type { KubeObject } from "../../lib/kube-object";
import { buildStacks } from "../../render/build";
import { stacks, stackSettings } from "./stacks";

export interface RenderedStacks {
  /** Every object of `stack` in environment `env`; throws when the environment does not run it. */
  objectsOf(env: string, stack: string): KubeObject[];
  /** The one object of `kind` named `name`, typed loosely for field assertions. */
  find(env: string, stack: string, kind: string, name: string): any;
  /** The first container's environment of a workload, by name: plain values as strings, Secret keys as their `valueFrom`. */
  envOf(env: string, stack: string, kind: string, name: string): Record<string, unknown>;
}

/** Renders every environment file in `dir` (each stack × environment chart, as synth builds it). */
export function renderEnvironments(dir: string): RenderedStacks {
  const charts = buildStacks(new App(), loadEnvironments(dir, stackSettings), stacks);
  const cache = new Map<string, KubeObject[]>();
  const objectsOf = (env: string, stack: string) => {
    const key = `${env}/${stack}`;
    let objects = cache.get(key);
    if (!objects) {
      const found = charts.find((c) => c.env === env && c.stack === stack);
      if (!found) throw new Error(`environment '${env}' runs no stack '${stack}'`);
      objects = found.chart.toJson() as KubeObject[];
      cache.set(key, objects);
    }
    return objects;
  };
  const find = (env: string, stack: string, kind: string, name: string): any => {
    const object = objectsOf(env, stack).find((o) => o.kind === kind && o.metadata.name === name);
    if (!object) throw new Error(`${env}/${stack}: no ${kind}/${name}`);
    return object;
  };
  return {
    objectsOf,
    find,
    envOf(env, stack, kind, name) {
      const spec = find(env, stack, kind, name).spec;
      const pod = spec.template?.spec ?? spec.jobTemplate.spec.template.spec;
      return Object.fromEntries((pod.containers[0].env ?? []).map((v: { name: string; value?: string; valueFrom?: unknown }) => [v.name, v.value ?? v.valueFrom]));
    },
  };
}
