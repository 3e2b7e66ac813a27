/**
 * The gate: schema pass, credential scan, then every policy rule on every object, with the
 * objects of the same folder and namespace as each rule's scope. Exceptions come from the
 * object's own `slipway.dev/allow` annotation and are reported, never silent.
 */
import { posix } from "node:path";
import type { KubeObject, RenderedFile } from "../lib/kube-object";
import { byCodePoint } from "../lib/order";
import type { AllowedFinding, Finding, Profile, Rule, Severity, ValidationReport, Violation } from "./types";
import { checkSchema } from "./schema";
import { scanCredentials } from "./credentials";
import { ALLOW_FIELD, parseAllowances } from "./exceptions";
import { RULES } from "./policies";
import { Scope, namespaceOf } from "./lib/scope";
import { at, field, groupBy, record, text } from "./lib/values";

export interface ValidateOptions {
  /** The strictness for a file, by its path (e.g. from `environments/<env>.yaml` for `prod/...`). */
  profileFor(path: string): Profile;
  /** The rules to run. @default the whole policy pack */
  rules?: readonly Rule[];
}

/** kustomize's own file lists the resources; it is not a Kubernetes object and is not judged. */
export function isKustomization(path: string): boolean {
  return /^kustomization\.ya?ml$|^Kustomization$/.test(posix.basename(path));
}

interface Entry {
  readonly path: string;
  readonly object: KubeObject;
  readonly isObject: boolean;
  /** Where the object sits in its document: "" for the document itself, `items[2]` for an item of a List. */
  readonly at: string;
}

/**
 * The objects of one document: the items of a List, as Argo CD applies them (any object whose `items` is a
 * list, `obj.IsList()`; `items: null` without spec or status is an empty list), or the document itself.
 */
function objectsOf(document: KubeObject): { object: KubeObject; at: string }[] {
  const o = record(document);
  if (Array.isArray(o?.items)) return o.items.map((item: KubeObject, i) => ({ object: item, at: field("items", i) }));
  if (o && o.items === null && !("spec" in o) && !("status" in o)) return [];
  return [{ object: document, at: "" }];
}

/** A field path inside an object, prefixed with where the object sits in its document. */
function within(prefix: string, path: string): string {
  if (!prefix) return path;
  return !path ? prefix : path.startsWith("[") ? prefix + path : `${prefix}.${path}`;
}

export async function validate(files: readonly RenderedFile[], options: ValidateOptions): Promise<ValidationReport> {
  const rules = options.rules ?? RULES;
  const judged = files.filter((f) => !isKustomization(f.path)).sort((a, b) => byCodePoint(a.path, b.path));
  const entries: Entry[] = judged.flatMap((file) =>
    file.objects.flatMap(objectsOf).map(({ object, at }) => ({ path: file.path, object, at, isObject: record(object) !== undefined })),
  );
  const [schemaViolations, credentials] = await Promise.all([
    Promise.all(entries.map((e) => checkSchema(e.object))),
    scanCredentials(entries.map((e) => e.object)),
  ]);
  const { folders, namespaces } = scopesOf(entries);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const profiles = new Map<string, Profile>();
  const findings: Finding[] = [];
  const allowed: AllowedFinding[] = [];

  entries.forEach((entry, i) => {
    const finding = (rule: string, severity: Severity, v: Violation): Finding => ({
      path: entry.path,
      kind: text(record(entry.object)?.kind) ?? "<no kind>",
      name: text(at(entry.object, "metadata", "name")) ?? "<no name>",
      ...(entry.isObject && namespaceOf(entry.object) ? { namespace: namespaceOf(entry.object) } : {}),
      field: within(entry.at, v.field),
      rule,
      severity,
      message: v.message,
    });
    for (const v of schemaViolations[i]!) findings.push(finding("schema", "error", v));
    if (!entry.isObject) return;
    const { allowances, problems } = parseAllowances(entry.object, byId);
    for (const v of problems) findings.push(finding("allow-annotation", "error", v));
    let profile = profiles.get(entry.path);
    if (!profile) {
      profile = options.profileFor(entry.path);
      profiles.set(entry.path, profile);
    }
    const folder = posix.dirname(entry.path);
    const context = { profile, scope: namespaces.get(`${folder}\u0000${namespaceOf(entry.object)}`)!, folder: folders.get(folder)!, credentials: credentials[i]! };
    const used = new Set<string>();
    for (const rule of rules) {
      const allowance = allowances.find((a) => a.rule === rule.id);
      for (const v of rule.check(entry.object, context)) {
        if (allowance) {
          used.add(rule.id);
          allowed.push({ ...finding(rule.id, rule.severity, v), reason: allowance.reason });
        } else findings.push(finding(rule.id, rule.severity, v));
      }
    }
    for (const a of allowances) {
      if (!used.has(a.rule)) {
        findings.push(
          finding("allow-annotation", "warning", {
            field: ALLOW_FIELD,
            message: `allows '${a.rule}' but that rule reports nothing on this object; remove the entry`,
          }),
        );
      }
    }
  });

  const errors = findings.filter((f) => f.severity === "error").length;
  return {
    findings,
    allowed,
    counts: { files: judged.length, objects: entries.length, errors, warnings: findings.length - errors, allowed: allowed.length },
  };
}

/** The objects of each folder (one Argo CD Application), and of each namespace in it, indexed once. */
function scopesOf(entries: readonly Entry[]): { folders: Map<string, Scope>; namespaces: Map<string, Scope> } {
  const objects = entries.filter((e) => e.isObject);
  const folders = new Map([...groupBy(objects, (e) => posix.dirname(e.path))].map(([folder, es]) => [folder, new Scope("", es.map((e) => e.object))]));
  const namespaces = new Map([...folders].flatMap(([folder, scope]) => scope.byNamespace().map((ns) => [`${folder}\u0000${ns.namespace}`, ns] as const)));
  return { folders, namespaces };
}
