/**
 * Schema pass: every object against the published OpenAPI/CRD schemas that kubernetes-models and
 * @kubernetes-models/* compile to ajv validators, plus a strict unknown-field pass those validators
 * lack (like `kubeconform -strict`). An object whose kind has no schema is an error, not a pass.
 */
import type { Violation } from "./types";
import { describe, field, record, text } from "./lib/values";

/** An ajv error as the compiled validators report it. */
interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type Validate = (data: unknown) => readonly AjvError[];

/** CRD groups and the package that ships their schemas. */
const CRD_PACKAGES: Record<string, string> = {
  "argoproj.io": "@kubernetes-models/argo-cd",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "generators.external-secrets.io": "@kubernetes-models/external-secrets",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "acme.cert-manager.io": "@kubernetes-models/cert-manager",
  "trust.cert-manager.io": "@kubernetes-models/cert-manager",
  "trust-manager.io": "@kubernetes-models/cert-manager",
};

/**
 * The versions clusters serve today for kinds whose older versions kubernetes-models still ships
 * (extensions/v1beta1 Deployments, policy/v1beta1 PDBs...): a schema for an API the cluster no
 * longer serves is no schema at all.
 */
const SERVED: Record<string, readonly string[]> = {
  Deployment: ["apps/v1"],
  DaemonSet: ["apps/v1"],
  ReplicaSet: ["apps/v1"],
  StatefulSet: ["apps/v1"],
  ControllerRevision: ["apps/v1"],
  Ingress: ["networking.k8s.io/v1"],
  IngressClass: ["networking.k8s.io/v1"],
  NetworkPolicy: ["networking.k8s.io/v1"],
  PodDisruptionBudget: ["policy/v1"],
  PodSecurityPolicy: [],
  HorizontalPodAutoscaler: ["autoscaling/v2", "autoscaling/v1"],
  CronJob: ["batch/v1"],
  Job: ["batch/v1"],
  Role: ["rbac.authorization.k8s.io/v1"],
  RoleBinding: ["rbac.authorization.k8s.io/v1"],
  ClusterRole: ["rbac.authorization.k8s.io/v1"],
  ClusterRoleBinding: ["rbac.authorization.k8s.io/v1"],
  CustomResourceDefinition: ["apiextensions.k8s.io/v1"],
  PriorityClass: ["scheduling.k8s.io/v1"],
  RuntimeClass: ["node.k8s.io/v1"],
  EndpointSlice: ["discovery.k8s.io/v1"],
  StorageClass: ["storage.k8s.io/v1"],
  CSIDriver: ["storage.k8s.io/v1"],
  MutatingWebhookConfiguration: ["admissionregistration.k8s.io/v1"],
  ValidatingWebhookConfiguration: ["admissionregistration.k8s.io/v1"],
  ExternalSecret: ["external-secrets.io/v1"],
  SecretStore: ["external-secrets.io/v1"],
  ClusterSecretStore: ["external-secrets.io/v1"],
  ClusterExternalSecret: ["external-secrets.io/v1"],
};

/** A field the API serves that the newest model package predates: accepted where `field` matches, if of `type`. */
export interface NewerThanModels {
  /** `apiVersion/kind` of the objects that carry it. */
  readonly kind: string;
  /** The field path, as violations name it. */
  readonly field: RegExp;
  readonly type: "boolean" | "string";
  /** The first release of the project that serves it (Argo CD for argoproj.io), e.g. `v3.5.0`. */
  readonly since: string;
  /** Where that project's repository declares it at that tag, `path:line`. */
  readonly source: string;
}

/**
 * Every such field. @kubernetes-models/argo-cd 4.0.0 is generated from Argo CD v3.3.9's Go types (its
 * go.mod), and docs/argocd.md names 3.5.0 as the minimum: a field Argo CD added in 3.4 or 3.5 that
 * Slipway renders is declared here, with the line that declares it. test/argocd/crd.test.ts keeps this
 * list equal to the fields the generated objects use.
 */
export const NEWER_THAN_MODELS: readonly NewerThanModels[] = [
  {
    kind: "argoproj.io/v1alpha1/AppProject",
    field: /^spec\.syncWindows\[\d+\]\.syncOverrun$/,
    type: "boolean",
    since: "v3.5.0",
    source: "pkg/apis/application/v1alpha1/types.go:2949",
  },
];

const KIND = /^[A-Z][A-Za-z0-9]*$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const BUILT_IN_GROUP = /^([a-z0-9]+|[a-z0-9.-]+\.k8s\.io)$/;

/** The module that exports the model class for `apiVersion`/`kind`, or undefined if no package covers the group. */
export function schemaModule(apiVersion: string, kind: string): string | undefined {
  if (!KIND.test(kind)) return undefined;
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!VERSION.test(version)) return undefined;
  if (group === "") return `kubernetes-models/${version}/${kind}`;
  const crdPackage = CRD_PACKAGES[group];
  if (crdPackage) return `${crdPackage}/${group}/${version}/${kind}`;
  if (BUILT_IN_GROUP.test(group)) return `kubernetes-models/${group}/${version}/${kind}`;
  return undefined;
}

/** Why a known kind at this apiVersion is refused although a package ships its schema, if it is. */
function notServed(apiVersion: string, kind: string): string | undefined {
  const served = SERVED[kind];
  if (!served || served.includes(apiVersion)) return undefined;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const sameFamily = served.some((v) => v.startsWith(`${group}/`)) || BUILT_IN_GROUP.test(group) || group === "";
  if (!sameFamily) return undefined;
  return served.length
    ? `this API version is no longer served; use ${served.join(" or ")}`
    : `${kind} has been removed from Kubernetes; use Pod Security admission`;
}

type ModelModule = Promise<Record<string, unknown>>;

/**
 * The kinds Slipway renders and the common core kinds, imported by literal specifier: a bundler can
 * then inline their validators (module loading is most of a cold validation). Any other kind is
 * imported by computed specifier from the same packages.
 */
export const KNOWN_KINDS: Record<string, () => ModelModule> = {
  "v1/ConfigMap": () => import("kubernetes-models/v1/ConfigMap"),
  "v1/LimitRange": () => import("kubernetes-models/v1/LimitRange"),
  "v1/Namespace": () => import("kubernetes-models/v1/Namespace"),
  "v1/PersistentVolumeClaim": () => import("kubernetes-models/v1/PersistentVolumeClaim"),
  "v1/Pod": () => import("kubernetes-models/v1/Pod"),
  "v1/ResourceQuota": () => import("kubernetes-models/v1/ResourceQuota"),
  "v1/Secret": () => import("kubernetes-models/v1/Secret"),
  "v1/Service": () => import("kubernetes-models/v1/Service"),
  "v1/ServiceAccount": () => import("kubernetes-models/v1/ServiceAccount"),
  "apps/v1/DaemonSet": () => import("kubernetes-models/apps/v1/DaemonSet"),
  "apps/v1/Deployment": () => import("kubernetes-models/apps/v1/Deployment"),
  "apps/v1/StatefulSet": () => import("kubernetes-models/apps/v1/StatefulSet"),
  "batch/v1/CronJob": () => import("kubernetes-models/batch/v1/CronJob"),
  "batch/v1/Job": () => import("kubernetes-models/batch/v1/Job"),
  "autoscaling/v2/HorizontalPodAutoscaler": () => import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/policy/v1/PodDisruptionBudget"),
  "networking.k8s.io/v1/Ingress": () => import("kubernetes-models/networking.k8s.io/v1/Ingress"),
  "networking.k8s.io/v1/NetworkPolicy": () => import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy"),
  "rbac.authorization.k8s.io/v1/ClusterRole": () => import("kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole"),
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": () => import("kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding"),
  "rbac.authorization.k8s.io/v1/Role": () => import("kubernetes-models/rbac.authorization.k8s.io/v1/Role"),
  "rbac.authorization.k8s.io/v1/RoleBinding": () => import("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding"),
  "argoproj.io/v1alpha1/Application": () => import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application"),
  "argoproj.io/v1alpha1/ApplicationSet": () => import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet"),
  "argoproj.io/v1alpha1/AppProject": () => import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject"),
  "external-secrets.io/v1/ClusterSecretStore": () => import("@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore"),
  "external-secrets.io/v1/ExternalSecret": () => import("@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret"),
  "external-secrets.io/v1/SecretStore": () => import("@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore"),
  "generators.external-secrets.io/v1alpha1/Password": () => import("@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password"),
  "cert-manager.io/v1/Certificate": () => import("@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate"),
  "cert-manager.io/v1/ClusterIssuer": () => import("@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer"),
  "cert-manager.io/v1/Issuer": () => import("@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer"),
};

const NOT_FOUND = new Set(["ERR_MODULE_NOT_FOUND", "ERR_PACKAGE_PATH_NOT_EXPORTED", "MODULE_NOT_FOUND"]);

interface ModelClass {
  apiVersion?: unknown;
  kind?: unknown;
  prototype: { validate(this: unknown): void };
}

async function loadValidator(apiVersion: string, kind: string): Promise<Validate | undefined> {
  const specifier = schemaModule(apiVersion, kind);
  if (!specifier) return undefined;
  let exports: Record<string, unknown>;
  try {
    const known = KNOWN_KINDS[`${apiVersion}/${kind}`];
    exports = await (known ? known() : (import(specifier) as ModelModule));
  } catch (e) {
    if (NOT_FOUND.has((e as { code?: string }).code ?? "")) return undefined;
    throw e;
  }
  const exported: unknown = exports[kind];
  if (typeof exported !== "function") return undefined;
  const model = exported as unknown as ModelClass;
  // Sub-types (DeploymentSpec...) are exported too, but only top-level kinds carry apiVersion and kind.
  if (model.apiVersion !== apiVersion || model.kind !== kind) return undefined;
  return (data) => {
    try {
      model.prototype.validate.call(data);
      return [];
    } catch (e) {
      const errors = (e as { errors?: AjvError[] }).errors;
      if (!errors) throw e;
      return errors;
    }
  };
}

/** Loaded once per kind, lazily: only the kinds present are ever imported. */
const validators = new Map<string, Promise<Validate | undefined>>();

function validatorFor(apiVersion: string, kind: string): Promise<Validate | undefined> {
  const key = `${apiVersion}/${kind}`;
  let loaded = validators.get(key);
  if (!loaded) {
    loaded = loadValidator(apiVersion, kind);
    validators.set(key, loaded);
  }
  return loaded;
}

/** Schema violations of one object: type, required, enum and format errors, unknown fields, missing schema. */
export async function checkSchema(object: unknown): Promise<Violation[]> {
  const o = record(object);
  if (!o) return [{ field: "", message: `expected a Kubernetes object (a mapping with apiVersion and kind), got ${describe(object)}` }];
  const apiVersion = text(o.apiVersion);
  const kind = text(o.kind);
  if (apiVersion === undefined || kind === undefined) {
    return [
      ...(apiVersion === undefined ? [{ field: "apiVersion", message: `expected a string such as apps/v1, got ${describe(o.apiVersion)}` }] : []),
      ...(kind === undefined ? [{ field: "kind", message: `expected a string such as Deployment, got ${describe(o.kind)}` }] : []),
    ];
  }
  const refused = notServed(apiVersion, kind);
  if (refused) return [{ field: "apiVersion", message: `no schema for ${apiVersion}/${kind}: ${refused}` }];
  const validate = await validatorFor(apiVersion, kind);
  if (!validate) return [{ field: "apiVersion", message: `no schema for ${apiVersion}/${kind}` }];

  const nodes: ObservedNode[] = [];
  const errors = validate(observe(o, nodes, ""));
  const out = [...formatErrors(errors, o), ...unknownFields(nodes, `${apiVersion}/${kind}`)];
  // ObjectMeta allows generateName, but Argo CD applies by name: an unnamed object cannot be synced.
  if (text(record(o.metadata)?.name) === undefined) {
    out.push({ field: "metadata.name", message: "required field missing" });
  }
  return dedupe(out);
}

/**
 * What the compiled validator did with one mapping of the object: ajv reads `data.<prop>` for every
 * property its schema declares (present or not) and enumerates the keys of maps
 * (`additionalProperties`). A present key it never read is a field the schema does not know.
 */
interface ObservedNode {
  readonly path: string;
  readonly value: Record<string, unknown>;
  readonly read: Set<string>;
  enumerated: boolean;
}

function observe(value: unknown, nodes: ObservedNode[], path: string): unknown {
  if (value === null || typeof value !== "object") return value;
  const isList = Array.isArray(value);
  const node: ObservedNode | undefined = isList ? undefined : { path, value: value as Record<string, unknown>, read: new Set(), enumerated: false };
  if (node) nodes.push(node);
  const children = new Map<string, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return child;
      node?.read.add(key);
      if (child === null || typeof child !== "object") return child;
      let wrapped = children.get(key);
      if (!wrapped) {
        wrapped = observe(child, nodes, isList && /^[0-9]+$/.test(key) ? field(path, Number(key)) : field(path, key));
        children.set(key, wrapped);
      }
      return wrapped;
    },
    has(target, key) {
      if (typeof key === "string") node?.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      if (node) node.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/**
 * Property names the kubernetes-models generator removes from every schema it compiles (it drops
 * `description` and `x-kubernetes-*` keys recursively, including properties with those names), so
 * the validators never read them although the API declares them (AppProject spec.description,
 * SyncWindow description, a CRD's x-kubernetes-preserve-unknown-fields...).
 */
function strippedByGenerator(key: string): boolean {
  return key === "description" || key.startsWith("x-kubernetes-");
}

/** Keys no validator read, unless the API declares them after the models (NEWER_THAN_MODELS): those get their type checked. */
function unknownFields(nodes: readonly ObservedNode[], kind: string): Violation[] {
  const out: Violation[] = [];
  for (const node of nodes) {
    // Enumerated: a map (labels, data...), every key is allowed. Nothing read: free-form
    // (x-kubernetes-preserve-unknown-fields, e.g. Helm valuesObject), nothing to judge.
    if (node.enumerated || node.read.size === 0) continue;
    for (const key of Object.keys(node.value)) {
      if (node.read.has(key) || strippedByGenerator(key)) continue;
      const path = field(node.path, key);
      const newer = NEWER_THAN_MODELS.find((f) => f.kind === kind && f.field.test(path));
      const value = node.value[key];
      if (!newer) out.push({ field: path, message: "unknown field" });
      else if (typeof value !== newer.type) out.push({ field: path, message: `expected ${newer.type}, got ${describe(value)}` });
    }
  }
  return out;
}

/** Turns ajv's JSON pointer into our field path, using the data to tell list indexes from map keys. */
function fieldOf(pointer: string, data: unknown): { path: string; value: unknown } {
  let path = "";
  let value = data;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(value)) {
      path = field(path, Number(key));
      value = value[Number(key)];
    } else {
      path = field(path, key);
      value = record(value)?.[key];
    }
  }
  return { path, value };
}

const FORMAT_HINTS: Record<string, string> = {
  quantity: "a quantity such as 512Mi or 250m",
  "int-or-string": "an integer or a string",
  int32: "a 32-bit integer",
  int64: "a 64-bit integer",
};

/**
 * One message per field. Alternatives (`oneOf`/`anyOf`, e.g. IntOrString or Quantity) make ajv
 * report every failed branch; the specific complaint (format, enum, pattern) wins over the
 * branches' type mismatches, which are merged into one "expected A or B".
 */
function formatErrors(errors: readonly AjvError[], data: unknown): Violation[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    const key = e.keyword === "required" ? `${e.instancePath}/${String(e.params.missingProperty).replace(/~/g, "~0").replace(/\//g, "~1")}` : e.instancePath;
    const same = byPath.get(key);
    if (same) same.push(e);
    else byPath.set(key, [e]);
  }
  const out: Violation[] = [];
  for (const [pointer, group] of byPath) {
    const { path, value } = fieldOf(pointer, data);
    if (group.some((e) => e.keyword === "required")) {
      out.push({ field: path, message: "required field missing" });
      continue;
    }
    const specific = group.filter((e) => !["type", "oneOf", "anyOf"].includes(e.keyword));
    if (specific.length) {
      for (const e of specific) out.push({ field: path, message: `${expectation(e)}, got ${describe(value)}` });
      continue;
    }
    const types = [...new Set(group.filter((e) => e.keyword === "type").map((e) => String(e.params.type)))];
    out.push({ field: path, message: `expected ${types.length ? types.join(" or ") : "a value matching the schema"}, got ${describe(value)}` });
  }
  return out;
}

function expectation(e: AjvError): string {
  switch (e.keyword) {
    case "enum":
      return `expected one of ${(e.params.allowedValues as unknown[]).map((v) => String(v)).join(", ")}`;
    case "format":
      return `expected ${FORMAT_HINTS[String(e.params.format)] ?? `format "${String(e.params.format)}"`}`;
    case "pattern":
      return `expected a value matching ${String(e.params.pattern)}`;
    default:
      return e.message ?? e.keyword;
  }
}

function dedupe(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.field}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
