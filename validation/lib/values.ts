/**
 * Safe reads of untyped YAML: rules judge any object, including ones the schema pass already
 * rejected, so a wrong type must read as "absent", never throw.
 */
export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The mappings of the list at `parent[key]`, each with its field path (`spec.containers[0].ports[1]`); other items are skipped. */
export function records(parent: unknown, path: string, key: string): { value: Json; path: string }[] {
  return list(record(parent)?.[key]).flatMap((item, i) => {
    const value = record(item);
    return value ? [{ value, path: field(path, key, i) }] : [];
  });
}

/** Reads a nested field: `at(obj, "spec", "template")`. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = record(current)?.[key];
  return current;
}

/** A string map such as labels or a selector's matchLabels; non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(value) ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key or index to a field path: `spec.containers[0]`, `metadata.annotations["a/b"]`. */
export function field(base: string, ...parts: (string | number)[]): string {
  let out = base;
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** A short rendering of a found value for messages: strings quoted, objects summarised. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const scalars = value.every((v) => v === null || typeof v !== "object");
    return scalars && value.length <= 5 ? `[${value.map((v) => String(v)).join(", ")}]` : "a list";
  }
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

export function kindName(object: { kind?: unknown; metadata?: unknown }): string {
  return `${text(object.kind) ?? "<no kind>"}/${text(at(object, "metadata", "name")) ?? "<no name>"}`;
}

/** Items grouped by key, groups and items in first-seen order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const same = groups.get(k);
    if (same) same.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
