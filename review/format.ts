/**
 * The diff as text for a terminal and as markdown for a pull-request comment. Both put the risky changes
 * first, then environment → stack → object with the changed fields (`path: old → new`). Pure functions.
 */
import { groupKey, type Group } from "./objects";
import type { Risk } from "./risks";
import type { FieldChange, GroupDiff, ObjectChange, Status } from "./semantic-diff";

export interface DiffReport {
  /** What is compared: `origin/main@1a2b3c4 (committed dist/) → working tree`. */
  readonly title: string;
  readonly groups: readonly GroupDiff[];
  readonly risks: readonly Risk[];
  /** Things a reviewer should know about the comparison itself, e.g. a stale dist/. */
  readonly notes: readonly string[];
}

/** The hidden marker that lets a workflow find and update its own comment. */
export const COMMENT_MARKER = "<!-- slipway-diff -->";
/** GitHub refuses comments over 65,536 characters; leave room for what a workflow adds. */
export const DEFAULT_MAX_MARKDOWN = 60_000;

const SIGN: Record<Status, string> = { added: "+", removed: "-", changed: "~" };
const SIMPLE = /^[\w./:@+-]+$/;
const SHORT = 160;

/** A value on one line: simple strings bare, anything else as JSON, long ones cut. */
export function showValue(value: unknown): string {
  const raw = typeof value === "string" && SIMPLE.test(value) ? value : JSON.stringify(value);
  return raw.length > SHORT ? `${raw.slice(0, SHORT - 1)}…` : raw;
}

/** `old → new`, `+ new` (added) or `- old` (removed). */
function showChange(f: FieldChange): string {
  if (f.before === undefined) return `+ ${showValue(f.after)}`;
  if (f.after === undefined) return `- ${showValue(f.before)}`;
  return `${showValue(f.before)} → ${showValue(f.after)}`;
}

interface Counts {
  added: number;
  removed: number;
  changed: number;
}

function counts(objects: readonly ObjectChange[]): Counts {
  const c = { added: 0, removed: 0, changed: 0 };
  for (const o of objects) c[o.status]++;
  return c;
}

function describeCounts(c: Counts): string {
  return (
    (["changed", "added", "removed"] as const)
      .filter((k) => c[k])
      .map((k) => `${c[k]} ${k}`)
      .join(", ") || "no changes"
  );
}

const total = (groups: readonly GroupDiff[]) => counts(groups.flatMap((g) => g.objects));
const changedGroups = (groups: readonly GroupDiff[]) => groups.filter((g) => g.objects.length);
const sameGroup = (a: Group, b: Group) => groupKey(a) === groupKey(b);

function summaryLine(report: DiffReport): string {
  const changed = changedGroups(report.groups);
  const risky = report.risks.length ? `; ${report.risks.length} risky` : "";
  return `summary: ${describeCounts(total(report.groups))} in ${changed.length} of ${report.groups.length} folders${risky}`;
}

export function formatText(report: DiffReport): string {
  const out = [`slipway diff: ${report.title}`];
  for (const note of report.notes) out.push(`note: ${note}`);
  if (report.risks.length) {
    out.push(`risky changes (${report.risks.length}):`);
    for (const r of report.risks) out.push(`  ! ${groupKey(r.group)} ${r.kind} ${r.name}: ${r.message}`);
  }
  for (const g of changedGroups(report.groups)) {
    out.push("", `${groupKey(g.group)}: ${describeCounts(counts(g.objects))}`);
    for (const o of g.objects) {
      out.push(`  ${SIGN[o.status]} ${o.kind} ${o.name} (${o.file})`);
      for (const f of o.fields) {
        if (f.hunks) out.push(`      ${f.path}:`, ...f.hunks.map((l) => `        ${l}`));
        else out.push(`      ${f.path}: ${f.secret ? `${showChange(f)} (secret)` : showChange(f)}`);
      }
    }
  }
  const unchanged = report.groups.filter((g) => !g.objects.length).map((g) => groupKey(g.group));
  if (unchanged.length) out.push("", `unchanged: ${unchanged.join(", ")}`);
  out.push(summaryLine(report));
  return `${out.join("\n")}\n`;
}

/** Inline code that survives backticks and pipes inside the value. */
function code(value: string): string {
  const text = value.replaceAll("|", "\\|").replaceAll("\n", "⏎");
  if (!text.includes("`")) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

function markdownChange(f: FieldChange): string {
  if (f.secret) return `${f.before === undefined ? "added" : f.after === undefined ? "removed" : "changed"} (secret, not shown)`;
  if (f.before === undefined) return `added ${code(showValue(f.after))}`;
  if (f.after === undefined) return `removed ${code(showValue(f.before))}`;
  return `${code(showValue(f.before))} → ${code(showValue(f.after))}`;
}

/** A ```diff block, indented under its list item, its fence longer than any backtick run inside. */
function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = "`".repeat(longest + 1);
  return [`    ${fence}diff`, ...lines.map((l) => `    ${l}`), `    ${fence}`];
}

function markdownObject(o: ObjectChange, fields: boolean): string[] {
  const head = `- **${SIGN[o.status]} ${o.kind}** ${code(o.name)} (${code(o.file)})`;
  if (!fields) return [head];
  return [
    head,
    ...o.fields.flatMap((f) =>
      f.hunks ? [`  - ${code(f.path)}:`, ...fenced(f.hunks)] : [`  - ${code(f.path)}: ${markdownChange(f)}`],
    ),
  ];
}

function markdownBody(report: DiffReport, detail: "fields" | "objects" | "summary"): string {
  const out = [COMMENT_MARKER, "### Slipway diff", "", report.title, ""];
  for (const note of report.notes) out.push(`> [!NOTE]`, `> ${note}`, "");
  if (report.risks.length) {
    out.push("> [!CAUTION]", `> **${report.risks.length} risky change${report.risks.length === 1 ? "" : "s"}**`, ">");
    for (const r of report.risks) out.push(`> - **${groupKey(r.group)}** ${r.kind} ${code(r.name)}: ${r.message}`);
    out.push("");
  }
  const changed = changedGroups(report.groups);
  if (!changed.length) {
    out.push("No changes to the rendered manifests.");
    return `${out.join("\n")}\n`;
  }
  out.push("| environment | stack | added | removed | changed | risky |", "|---|---|--:|--:|--:|--:|");
  for (const g of changed) {
    const c = counts(g.objects);
    const risky = report.risks.filter((r) => sameGroup(r.group, g.group)).length;
    out.push(`| ${g.group.env} | ${g.group.stack ?? "—"} | ${c.added} | ${c.removed} | ${c.changed} | ${risky || ""} |`);
  }
  out.push("");
  if (detail !== "summary") {
    const envs = [...new Set(changed.map((g) => g.group.env))];
    for (const env of envs) {
      const groups = changed.filter((g) => g.group.env === env);
      out.push(`<details><summary><b>${env}</b>: ${describeCounts(total(groups))}</summary>`, "");
      for (const g of groups) {
        if (g.group.stack !== undefined) out.push(`#### ${g.group.stack}`, "");
        for (const o of g.objects) out.push(...markdownObject(o, detail === "fields"));
        out.push("");
      }
      out.push("</details>", "");
    }
  }
  if (detail !== "fields") out.push(`_The full diff is too long for a comment: run \`npm run diff\` to see every field._`, "");
  out.push(`<sub>${summaryLine(report)}</sub>`);
  return `${out.join("\n")}\n`;
}

/** Markdown for a pull-request comment: as much detail as fits in `maxLength` characters. */
export function formatMarkdown(report: DiffReport, maxLength = DEFAULT_MAX_MARKDOWN): string {
  for (const detail of ["fields", "objects"] as const) {
    const body = markdownBody(report, detail);
    if (body.length <= maxLength) return body;
  }
  return markdownBody(report, "summary");
}
