/** The human report: findings grouped environment → stack → rule, the allowed exceptions, one summary line. */
import { posix } from "node:path";
import type { Finding, ValidationReport } from "./types";

export interface FormatOptions {
  /** Prefix for printed paths, so they open from the repository root (e.g. `dist`). @default none */
  readonly root?: string;
}

const NO_STACK = "(top level)";

/** `prod/web/api.yaml` → env `prod`, stack `web`; `argocd/apps.yaml` → env `argocd`, no stack. */
function groupOf(path: string): { env: string; stack: string } {
  const folder = posix.dirname(path);
  if (folder === ".") return { env: ".", stack: NO_STACK };
  const [env, ...rest] = folder.split("/");
  return { env: env!, stack: rest.join("/") || NO_STACK };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The findings tree and the allowed exceptions, without the summary line: what `npm run synth` prints
 * after a render that passed with warnings or waivers, so every one of them is seen.
 */
export function formatFindings(report: ValidationReport, options: FormatOptions = {}): string[] {
  const show = (path: string) => (options.root ? posix.join(options.root, path) : path);
  const line = (f: Finding) => `${show(f.path)}: ${f.kind}/${f.name}: ${f.field || "(object)"}: ${f.message}`;
  const out: string[] = [];

  const tree = new Map<string, Map<string, Map<string, Finding[]>>>();
  for (const f of report.findings) {
    const { env, stack } = groupOf(f.path);
    const stacks = tree.get(env) ?? new Map<string, Map<string, Finding[]>>();
    tree.set(env, stacks);
    const rules = stacks.get(stack) ?? new Map<string, Finding[]>();
    stacks.set(stack, rules);
    const findings = rules.get(f.rule) ?? [];
    rules.set(f.rule, findings);
    findings.push(f);
  }
  for (const [env, stacks] of tree) {
    out.push(env);
    for (const [stack, rules] of stacks) {
      out.push(`  ${stack}`);
      for (const [rule, findings] of rules) {
        const errors = findings.filter((f) => f.severity === "error").length;
        const severity = errors === findings.length ? "error" : errors === 0 ? "warning" : "error/warning";
        out.push(`    ${rule} (${severity})`);
        for (const f of findings) out.push(`      ${line(f)}`);
      }
    }
  }
  if (report.allowed.length) {
    if (out.length) out.push("");
    out.push(`Allowed by slipway.dev/allow (${report.allowed.length})`);
    for (const a of report.allowed) {
      out.push(`  [${a.rule}] ${line(a)}`);
      out.push(`    reason: ${a.reason}`);
    }
  }
  return out;
}

export function formatReport(report: ValidationReport, options: FormatOptions = {}): string {
  const out = formatFindings(report, options);
  const { errors, warnings, allowed, objects, files } = report.counts;
  if (out.length) out.push("");
  out.push(
    `validation ${errors ? "failed" : "passed"}: ${plural(errors, "error")}, ${plural(warnings, "warning")}, ` +
      `${plural(allowed, "allowed exception")} in ${plural(objects, "object")} (${plural(files, "file")})`,
  );
  return out.join("\n");
}
