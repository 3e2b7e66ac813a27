/**
 * Turns zod issues into messages a person can act on:
 * `environments/prod.yaml:12:7: stacks.web.api.replicas: expected a number ≥ 1, got -3`.
 */
import { z } from "zod";
import { isMap, isPair, isScalar, LineCounter, type Document } from "yaml";
import { quoted } from "../lib/errors";

export type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(top level)";
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return quoted(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** The keys an object schema accepts at `path`, to suggest the one a typo meant. */
function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  let current: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    let node = s;
    for (let i = 0; node && i < 10; i++) {
      const def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
      if (def.innerType) node = def.innerType as z.ZodType;
      else if (def.type === "pipe") node = def.in as z.ZodType;
      else break;
    }
    return node;
  };
  for (const key of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = current.shape[String(key)] as z.ZodType | undefined;
    else if (current instanceof z.ZodRecord) current = current._zod.def.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current._zod.def.element as z.ZodType;
    else return [];
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = saved;
    }
  }
  return row[b.length];
}

function unknownKeyMessage(key: string, known: string[]): string {
  const close = known.filter((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  if (close.length) return `unknown key; did you mean '${close[0]}'?`;
  return known.length ? `unknown key; expected one of ${known.join(", ")}` : "unknown key";
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `missing: expected ${article(issue.expected)}`;
      return `expected ${article(issue.expected)}, ${got}`;
    case "too_small":
      if (issue.origin === "array") return `expected at least ${issue.minimum} item(s), ${got}`;
      if (issue.origin === "string") return `expected at least ${issue.minimum} character(s), ${got}`;
      return `expected a number ${issue.inclusive ? "≥" : ">"} ${issue.minimum}, ${got}`;
    case "too_big":
      if (issue.origin === "string") return `expected at most ${issue.maximum} character(s), ${got}`;
      if (issue.origin === "array") return `expected at most ${issue.maximum} item(s), ${got}`;
      return `expected a number ${issue.inclusive ? "≤" : "<"} ${issue.maximum}, ${got}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => describeValue(v)).join(", ")}, ${got}`;
    case "invalid_union": {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator && options) {
        const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
        return `expected one of ${options.map(describeValue).join(", ")}, got ${describeValue(value)}`;
      }
      return `expected one of the allowed shapes, ${got}`;
    }
    case "custom":
      return issue.message;
    default:
      return issue.input === undefined ? issue.message : `${issue.message}, ${got}`;
  }
}

/** `:line:col` of the node at `path`, or of its nearest ancestor that exists; "" without a document. */
export function locate(doc: Document | undefined, lines: LineCounter | undefined, path: Path): string {
  if (!doc || !lines) return "";
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const { line, col } = lines.linePos(range[0]);
      return `:${line}:${col}`;
    }
  }
  return "";
}

function locateKey(doc: Document | undefined, lines: LineCounter | undefined, path: Path, key: string): string {
  if (!doc || !lines) return "";
  const parent = path.length ? doc.getIn(path as unknown[], true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (range) {
      const { line, col } = lines.linePos(range[0]);
      return `:${line}:${col}`;
    }
  }
  return locate(doc, lines, path);
}

/** One message per problem, in the order found; at most `max` (each is located by a search of its mapping). */
export function formatIssues(
  file: string,
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  doc?: Document,
  lines?: LineCounter,
  max = Infinity,
): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (out.length >= max) break;
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys.slice(0, max - out.length)) {
        const where = locateKey(doc, lines, issue.path, key);
        out.push(`${file}${where}: ${formatPath([...issue.path, key])}: ${unknownKeyMessage(key, known)}`);
      }
    } else if (issue.code === "invalid_key") {
      // A key of a record (an env var name, a link name) in the wrong format: located at the key, in its format's words.
      const key = String(issue.path.at(-1));
      const reasons = issue.issues.map((inner) => (inner.code === "custom" ? inner.message : issueMessage({ ...inner, input: undefined } as z.core.$ZodIssue)));
      out.push(`${file}${locateKey(doc, lines, issue.path.slice(0, -1), key)}: ${formatPath(issue.path)}: ${reasons.join("; ")}, got ${describeValue(key)}`);
    } else {
      out.push(`${file}${locate(doc, lines, issue.path)}: ${formatPath(issue.path)}: ${issueMessage(issue)}`);
    }
  }
  return out;
}
