/**
 * Exceptions live on the object they waive, as the annotation
 *
 *   slipway.dev/allow: "<rule-id>: <reason>"
 *
 * several entries separated by newlines or by ';' followed by the next `<rule-id>:` (so a reason may
 * itself contain ';'). The reason is mandatory and must be a sentence: it is what a reviewer reads in
 * the report. A malformed entry, a missing or empty reason, an unknown rule id or a rule that cannot be
 * waived is an error.
 */
import { ALLOW_ANNOTATION, type KubeObject } from "../lib/kube-object";
import type { Rule, Violation } from "./types";
import { describe, field, record } from "./lib/values";

export { ALLOW_ANNOTATION };
export const ALLOW_FIELD = field("metadata", "annotations", ALLOW_ANNOTATION);

/** The gate's own checks, which no annotation can waive: an invalid object is never applied. */
const GATE_CHECKS = new Set(["schema", "allow-annotation"]);

/** A reason says why in at least this many words (runs of two or more letters): `redis rewrites its config at start`, not `.` or `legacy`. */
export const MIN_REASON_WORDS = 3;

export interface Allowance {
  readonly rule: string;
  readonly reason: string;
}

const ENTRY = /^([a-z0-9][a-z0-9-]*)\s*(?::\s*(.*))?$/;
const SEPARATOR = /\n|;(?=\s*[a-z0-9][a-z0-9-]*\s*:)/;
const WORD = /\p{L}{2,}/gu;

/** Why an entry for `rule` is refused, or undefined for a valid waiver. */
function refusal(rule: string, reason: string, rules: ReadonlyMap<string, Rule>): string | undefined {
  const known = rules.get(rule);
  if (GATE_CHECKS.has(rule) || known?.waivable === false) return `rule '${rule}' cannot be waived: fix the object instead`;
  if (!known) return `unknown rule '${rule}'; expected a rule id from docs/validation.md`;
  if (!reason) return `entry '${rule}' has no reason; expected '${rule}: <why this object is exempt>'`;
  if ((reason.match(WORD) ?? []).length < MIN_REASON_WORDS) {
    return `entry '${rule}' gives the reason ${describe(reason)}, which says nothing; expected a sentence of at least ${MIN_REASON_WORDS} words on why this object is exempt`;
  }
  return undefined;
}

export function parseAllowances(object: KubeObject, rules: ReadonlyMap<string, Rule>): { allowances: Allowance[]; problems: Violation[] } {
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
    const refused = refusal(rule, reason, rules);
    if (refused) problems.push({ field: ALLOW_FIELD, message: refused });
    else allowances.push({ rule, reason });
  }
  return { allowances, problems };
}
