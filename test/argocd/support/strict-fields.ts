/**
 * Unknown-field check for Argo CD objects, like `kubeconform -strict`: the @kubernetes-models validators
 * check types, required fields and enums but accept any unknown field, so a typo such as `syncOption`
 * would pass them and be silently dropped by the API server.
 *
 * The field lists come from the package's own type declarations (generated from Argo CD's API types, the
 * same source as its CRD schemas), read here without a TypeScript compiler: each declaration file holds
 * one interface or type alias whose property types are names imported from sibling files, `Array<…>`,
 * string maps, inline objects or primitives. Anything else makes the check fail loudly, never pass.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

type Shape =
  | { kind: "any" }
  | { kind: "array"; of: Shape }
  | { kind: "map"; of: Shape }
  | { kind: "object"; fields: Map<string, Shape> }
  | { kind: "union"; of: Shape[] };

const NODE_MODULES = join(__dirname, "../../../node_modules");
const ARGO_V1ALPHA1 = join(NODE_MODULES, "@kubernetes-models/argo-cd/argoproj.io/v1alpha1");
const PRIMITIVE = /^("[^"]*"|string|number|boolean|null)$/;

const cache = new Map<string, Shape>();

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The text between the bracket at `open` and its partner. */
function enclosed(text: string, open: number): string {
  const pairs: Record<string, string> = { "{": "}", "<": ">", "(": ")", "[": "]" };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return text.slice(open + 1, i);
    }
  }
  throw new Error(`strict-fields: unbalanced brackets in ${text.slice(open, open + 80)}`);
}

/** Splits at `separator` outside brackets. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ("{<([".includes(c)) depth++;
    else if ("}>)]".includes(c)) depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseMembers(body: string, file: string, imports: Map<string, string>): Shape {
  const members = splitTop(body, ";");
  if (members.length === 1 && /^\[key: string\]:/.test(members[0])) {
    return { kind: "map", of: parseType(members[0].replace(/^\[key: string\]:/, ""), file, imports) };
  }
  const fields = new Map<string, Shape>();
  for (const member of members) {
    const m = /^"([^"]+)"\??:\s*([\s\S]+)$/.exec(member);
    if (!m) throw new Error(`strict-fields: cannot read member '${member}' in ${file}`);
    fields.set(m[1], parseType(m[2], file, imports));
  }
  return { kind: "object", fields };
}

function parseType(raw: string, file: string, imports: Map<string, string>): Shape {
  const type = raw.trim();
  const alternatives = splitTop(type, "|");
  if (alternatives.length > 1) return { kind: "union", of: alternatives.map((t) => parseType(t, file, imports)) };
  if (PRIMITIVE.test(type)) return { kind: "any" };
  if (type.startsWith("Array<")) return { kind: "array", of: parseType(enclosed(type, 5), file, imports) };
  if (type.startsWith("{")) return parseMembers(enclosed(type, 0), file, imports);
  const source = imports.get(type);
  if (source) return lazy(source);
  throw new Error(`strict-fields: cannot read type '${type}' in ${file}`);
}

/** A declared name resolves when first walked: the declarations refer to each other in cycles. */
function lazy(file: string): Shape {
  const holder = { kind: "any" } as Shape;
  return new Proxy(holder, { get: (_t, key) => (load(file) as Record<string | symbol, unknown>)[key] });
}

function importsOf(text: string, file: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/import \{ ([^}]+) \} from "([^"]+)";/g)) {
    const spec = m[2];
    const target = spec.startsWith(".") ? join(dirname(file), spec.replace(/\.js$/, ".d.ts")) : join(NODE_MODULES, `${spec}.d.ts`);
    for (const name of m[1].split(",").map((n) => n.trim())) imports.set(name, target);
  }
  return imports;
}

function load(file: string): Shape {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = stripComments(readFileSync(file, "utf8"));
  const imports = importsOf(text, file);
  const iface = /export interface I\w+(?: extends [\w, ]+)? \{/.exec(text);
  const alias = /export type I\w+ = ([^;]+);/.exec(text);
  let shape: Shape;
  if (iface) {
    const body = enclosed(text, iface.index + iface[0].length - 1);
    // An interface without members (k8s' JSON) stands for any value.
    shape = body.trim() ? parseMembers(body, file, imports) : { kind: "any" };
  } else if (alias) {
    shape = parseType(alias[1], file, imports);
  } else {
    throw new Error(`strict-fields: no interface or type alias in ${file}`);
  }
  cache.set(file, shape);
  return shape;
}

function walk(value: unknown, shape: Shape, path: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  switch (shape.kind) {
    case "any":
      return;
    case "union":
      // Our unions are primitives or one structured alternative; walk the structured one.
      for (const s of shape.of) if (s.kind !== "any") walk(value, s, path, problems);
      return;
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, shape.of, `${path}[${i}]`, problems));
      return;
    case "map":
      if (typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, shape.of, `${path}.${k}`, problems);
      return;
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) return;
      for (const [k, v] of Object.entries(value)) {
        const field = shape.fields.get(k);
        if (!field) problems.push(`${path ? `${path}.` : ""}${k}: unknown field`);
        else walk(v, field, path ? `${path}.${k}` : k, problems);
      }
  }
}

/** Every field of `object` that its kind's schema does not declare, as `spec.syncPolicy.syncOption: unknown field`. */
export function unknownFields(object: { kind: string }): string[] {
  const problems: string[] = [];
  walk(object, load(join(ARGO_V1ALPHA1, `${object.kind}.d.ts`)), "", problems);
  return problems;
}
