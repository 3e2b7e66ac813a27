/**
 * Exceptions live on the object they waive, as the annotation
 *
 *   slipway.dev/allow: "<rule-id>: <reason>"
 *
 * several entries separated by newlines or by ';' followed by the next `<rule-id>:` (so a reason may
 * itself contain ';'). The reason is mandatory: it is what a reviewer reads in the report. A malformed
 * entry, a missing reason or an unknown rule id is an error.
 */
import type { KubeObject } from "../lib/kube-object";
import type { Violation } from "./types";
import { field, record } from "./lib/values";

export const ALLOW_ANNOTATION = "slipway.dev/allow";
export const ALLOW_FIELD = field("metadata", "annotations", ALLOW_ANNOTATION);

/** The gate's own checks, which no annotation can waive: an invalid object is never applied. */
export const NOT_WAIVABLE = new Set(["schema", "allow-annotation"]);

export interface Allowance {
  readonly rule: string;
  readonly reason: string;
}

const ENTRY = /^([a-z0-9][a-z0-9-]*)\s*(?::\s*(.*))?$/;
const SEPARATOR = /\n|;(?=\s*[a-z0-9][a-z0-9-]*\s*:)/;

export function parseAllowances(object: KubeObject, knownRules: ReadonlySet<string>): { allowances: Allowance[]; problems: Violation[] } {
  const raw = record(object.metadata?.annotations)?.[ALLOW_ANNOTATION];
  const allowances: Allowance[] = [];
  const problems: Violation[] = [];
  if (raw === undefined) return { allowances, problems };
  if (typeof raw !== "string") {
    problems.push({ field: ALLOW_FIELD, message: `expected a string of '<rule-id>: <reason>' entries, got ${typeof raw}` });
    return { allowances, problems };
  }
  for (const entry of raw.split(SEPARATOR).map((e) => e.trim()).filter(Boolean)) {
    const match = ENTRY.exec(entry);
    if (!match) {
      problems.push({ field: ALLOW_FIELD, message: `entry '${entry}' is not '<rule-id>: <reason>'` });
      continue;
    }
    const rule = match[1]!;
    const reason = (match[2] ?? "").trim();
    if (NOT_WAIVABLE.has(rule)) problems.push({ field: ALLOW_FIELD, message: `rule '${rule}' cannot be waived` });
    else if (!knownRules.has(rule)) problems.push({ field: ALLOW_FIELD, message: `unknown rule '${rule}'; expected a rule id from docs/validation.md` });
    else if (!reason) problems.push({ field: ALLOW_FIELD, message: `entry '${rule}' has no reason; expected '${rule}: <why this object is exempt>'` });
    else allowances.push({ rule, reason });
  }
  return { allowances, problems };
}
