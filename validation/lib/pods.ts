/** Where the pods are: the pod spec inside each workload kind, and the containers inside a pod spec. */
import type { KubeObject } from "../../lib/kube-object";
import type { Violation } from "../types";
import { at, describe, field, list, record, stringMap, text, type Json } from "./values";

/** Workloads that run pods continuously, as opposed to Jobs that run to completion. */
const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"]);

/** Where each kind keeps its pod template, as a path of keys to the template (whose `spec` is the pod spec). */
const TEMPLATE_PATH: Record<string, readonly string[]> = {
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

export interface PodSpec {
  readonly spec: Json;
  /** Field path of the pod spec, e.g. `spec.template.spec` (or `spec` for a bare Pod). */
  readonly path: string;
  /** The pod's labels (template labels for workloads). */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Field path of the pod's metadata. */
  readonly metadataPath: string;
  /** Serves continuously (probes make sense), rather than running to completion. */
  readonly longRunning: boolean;
}

const cache = new WeakMap<KubeObject, PodSpec | null>();

/** The pod spec an object runs, or undefined for objects that run no pods. Computed once per object. */
export function podSpec(object: KubeObject): PodSpec | undefined {
  let found = cache.get(object);
  if (found === undefined) {
    found = findPodSpec(object) ?? null;
    cache.set(object, found);
  }
  return found ?? undefined;
}

function findPodSpec(object: KubeObject): PodSpec | undefined {
  if (object.kind === "Pod") {
    const spec = record(object.spec);
    if (!spec) return undefined;
    const restart = text(spec.restartPolicy) ?? "Always";
    return {
      spec,
      path: "spec",
      labels: stringMap(object.metadata?.labels),
      annotations: stringMap(object.metadata?.annotations),
      metadataPath: "metadata",
      longRunning: restart === "Always",
    };
  }
  const keys = TEMPLATE_PATH[object.kind];
  if (!keys) return undefined;
  const template = at(object, ...keys);
  const spec = record(at(template, "spec"));
  if (!spec) return undefined;
  const templatePath = keys.join(".");
  return {
    spec,
    path: `${templatePath}.spec`,
    labels: stringMap(at(template, "metadata", "labels")),
    annotations: stringMap(at(template, "metadata", "annotations")),
    metadataPath: `${templatePath}.metadata`,
    longRunning: LONG_RUNNING.has(object.kind),
  };
}

export type ContainerKind = "containers" | "initContainers" | "ephemeralContainers";

export interface Container {
  readonly container: Json;
  readonly name: string;
  /** Field path of the container, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly type: ContainerKind;
}

/** Every container of a pod spec: regular, init and ephemeral (the Pod Security Standards judge them all). */
export function containers(pod: PodSpec, types: readonly ContainerKind[] = ["initContainers", "containers", "ephemeralContainers"]): Container[] {
  const out: Container[] = [];
  for (const type of types) {
    list(pod.spec[type]).forEach((raw, index) => {
      const container = record(raw);
      if (container) out.push({ container, name: text(container.name) ?? `#${index}`, path: field(pod.path, type, index), type });
    });
  }
  return out;
}

export interface ContainerPort {
  readonly number?: number;
  readonly name?: string;
  /** @default "TCP" */
  readonly protocol: string;
}

/** The ports the pod's regular containers declare (what Services and NetworkPolicies refer to by number or name). */
export function containerPorts(pod: PodSpec): ContainerPort[] {
  return containers(pod, ["containers"]).flatMap((c) =>
    list(c.container.ports).flatMap((raw) => {
      const p = record(raw);
      if (!p) return [];
      const number = typeof p.containerPort === "number" ? p.containerPort : undefined;
      const name = text(p.name);
      return [{ ...(number === undefined ? {} : { number }), ...(name === undefined ? {} : { name }), protocol: text(p.protocol) ?? "TCP" }];
    }),
  );
}

/** The ServiceAccount the pod runs under: `serviceAccountName`, or the namespace's `default`. */
export function serviceAccountName(pod: PodSpec): string {
  return text(pod.spec.serviceAccountName) || "default";
}

/** `container 'api'` / `init container 'migrate'`, for messages. */
export function label(c: Container): string {
  const what = c.type === "initContainers" ? "init container" : c.type === "ephemeralContainers" ? "ephemeral container" : "container";
  return `${what} '${c.name}'`;
}

/** A container's securityContext field, falling back to the pod's (the kubelet's precedence). */
export function effectiveSecurity(pod: PodSpec, c: Container, key: string): unknown {
  const own = security(c, key);
  return own !== undefined ? own : security(pod, key);
}

/** The pod or one of its containers: both have a securityContext. */
export type SecurityOwner = PodSpec | Container;

const isContainer = (owner: SecurityOwner): owner is Container => "container" in owner;

/** A field of the pod's or a container's own securityContext. */
export function security(owner: SecurityOwner, ...keys: string[]): unknown {
  return at(isContainer(owner) ? owner.container : owner.spec, "securityContext", ...keys);
}

/**
 * A violation when the securityContext field at `keys` fails `accept`: `<container 'api': >expected ..., got ...`
 * (the container is named; for the pod, nothing).
 */
export function expectSecurity(
  owner: SecurityOwner,
  keys: readonly string[],
  accept: (value: unknown) => boolean,
  expected: string,
  found: (value: unknown) => string = describe,
): Violation | undefined {
  const value = security(owner, ...keys);
  if (accept(value)) return undefined;
  return { field: field(owner.path, "securityContext", ...keys), message: `${isContainer(owner) ? `${label(owner)}: ` : ""}${expected}, got ${found(value)}` };
}

/** The profile types that keep seccomp and AppArmor confinement on. */
export const CONFINED = new Set<unknown>(["RuntimeDefault", "Localhost"]);
