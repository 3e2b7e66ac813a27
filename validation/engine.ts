/**
 * The gate: schema pass, credential scan, then every policy rule on every object, with the
 * objects of the same folder and namespace as each rule's scope. Exceptions come from the
 * object's own `slipway.dev/allow` annotation and are reported, never silent.
 */
import { posix } from "node:path";
import type { KubeObject, RenderedFile } from "../lib/kube-object";
import type { AllowedFinding, Finding, Profile, Rule, Severity, ValidationReport, Violation } from "./types";
import { checkSchema } from "./schema";
import { scanCredentials } from "./credentials";
import { ALLOW_FIELD, parseAllowances } from "./exceptions";
import { RULES } from "./policies";
import { Scope, namespaceOf } from "./lib/scope";
import { at, record, text } from "./lib/values";

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
}

export async function validate(files: readonly RenderedFile[], options: ValidateOptions): Promise<ValidationReport> {
  const rules = options.rules ?? RULES;
  const judged = [...files].filter((f) => !isKustomization(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries: Entry[] = judged.flatMap((file) =>
    file.objects.map((object) => ({ path: file.path, object, isObject: record(object) !== undefined })),
  );
  const [schemaViolations, credentials] = await Promise.all([
    Promise.all(entries.map((e) => checkSchema(e.object))),
    scanCredentials(entries.map((e) => e.object)),
  ]);
  const scopes = buildScopes(entries);
  const known = new Set(rules.map((r) => r.id));
  const profiles = new Map<string, Profile>();
  const findings: Finding[] = [];
  const allowed: AllowedFinding[] = [];

  entries.forEach((entry, i) => {
    const finding = (rule: string, severity: Severity, v: Violation): Finding => ({
      path: entry.path,
      kind: text(record(entry.object)?.kind) ?? "<no kind>",
      name: text(at(entry.object, "metadata", "name")) ?? "<no name>",
      ...(entry.isObject && namespaceOf(entry.object) ? { namespace: namespaceOf(entry.object) } : {}),
      field: v.field,
      rule,
      severity,
      message: v.message,
    });
    for (const v of schemaViolations[i]!) findings.push(finding("schema", "error", v));
    if (!entry.isObject) return;
    const { allowances, problems } = parseAllowances(entry.object, known);
    for (const v of problems) findings.push(finding("allow-annotation", "error", v));
    let profile = profiles.get(entry.path);
    if (!profile) {
      profile = options.profileFor(entry.path);
      profiles.set(entry.path, profile);
    }
    const context = { profile, scope: scopes.get(scopeKey(entry))!, credentials: credentials[i]! };
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

function scopeKey(entry: Entry): string {
  return `${posix.dirname(entry.path)}\u0000${namespaceOf(entry.object)}`;
}

function buildScopes(entries: readonly Entry[]): Map<string, Scope> {
  const grouped = new Map<string, KubeObject[]>();
  for (const e of entries) {
    if (!e.isObject) continue;
    const key = scopeKey(e);
    const same = grouped.get(key);
    if (same) same.push(e.object);
    else grouped.set(key, [e.object]);
  }
  const scopes = new Map<string, Scope>();
  for (const [key, objects] of grouped) {
    scopes.set(key, new Scope(namespaceOf(objects[0]!), objects));
  }
  return scopes;
}
