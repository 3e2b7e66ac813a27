/**
 * The semantic diff of two rendered trees: per environment and stack, which objects were added, removed
 * or changed, and for a changed object the field paths that changed with their old and new values.
 * Lists of named items (containers, env vars, ports, volumes) are matched by name, so `env[LOG_LEVEL]`
 * changes rather than "item 3 of env". Secret values never leave this module: they are marked secret and
 * replaced before anything could print them. Pure functions over plain objects.
 */
import { isDeepStrictEqual } from "node:util";
import { structuredPatch } from "diff";
import type { KubeObject, RenderedFile } from "../lib/kube-object";
import { byCodePoint } from "../lib/order";
import { field, record } from "../validation/lib/values";
import { isCredentialName } from "../validation/policies/no-plaintext-credentials";
import { placeObjects, type Group, type PlacedGroup, type PlacedObject } from "./objects";

export type Status = "added" | "removed" | "changed";

export interface FieldChange {
  readonly path: string;
  /** Absent (undefined) where the field does not exist on that side. */
  readonly before?: unknown;
  readonly after?: unknown;
  /** A secret changed: the values are HIDDEN, or hold HIDDEN where the secret part was (a URL's password). */
  readonly secret?: boolean;
  /** Unified-diff hunks (`@@ … @@`, ` `, `-`, `+` lines) when the values are multi-line text. */
  readonly hunks?: readonly string[];
}

export interface ObjectChange {
  readonly status: Status;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** File name in the group's folder (the new one, unless removed). */
  readonly file: string;
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** Changed fields, in path order; empty for added and removed objects. */
  readonly fields: readonly FieldChange[];
}

export interface GroupDiff {
  readonly group: Group;
  /** Every changed object, by kind then name. */
  readonly objects: readonly ObjectChange[];
  /** The group exists in the base (false: the whole stack is new). */
  readonly existed: boolean;
}

/** What secret values are replaced with. */
export const HIDDEN = "‹hidden›";
const TEXT_CONTEXT_LINES = 2;

type Segment = string | number;

/** A field's value is a secret: Secret data, a credential-named env var's literal, a credential-named ConfigMap key. */
function isSecretField(kind: string, segments: readonly Segment[]): boolean {
  const [first, second] = segments;
  if (kind === "Secret") return first === "data" || first === "stringData";
  if (kind === "ConfigMap" && (first === "data" || first === "binaryData")) return typeof second === "string" && isCredentialName(second);
  const env = segments.lastIndexOf("env");
  const name = segments[env + 1];
  return env >= 0 && typeof name === "string" && isCredentialName(name) && segments[env + 2] === "value";
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** A value with its secret parts replaced: secret fields whole, passwords inside URLs. */
function redact(value: unknown, kind: string, segments: Segment[]): unknown {
  if (isSecretField(kind, segments)) return HIDDEN;
  if (typeof value === "string") return value.replace(URL_CREDENTIALS, `$1${HIDDEN}@`);
  if (Array.isArray(value)) return value.map((v, i) => redact(v, kind, [...segments, namedKey(v) ?? i]));
  const obj = record(value);
  if (!obj) return value;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redact(v, kind, [...segments, k])]));
}

/** An item's name: `name` (containers, env vars, ports, volumes) or `metadata.name` (volumeClaimTemplates). */
const namedKey = (item: unknown): string | undefined => {
  const obj = record(item);
  const name = obj?.name ?? record(obj?.metadata)?.name;
  return typeof name === "string" ? name : undefined;
};

/** Items matched by name: every item of both lists is an object with a unique string `name`. */
function byName(list: readonly unknown[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const item of list) {
    const name = namedKey(item);
    if (name === undefined || out.has(name)) return undefined;
    out.set(name, item);
  }
  return out;
}

const isScalar = (v: unknown) => v === null || typeof v !== "object";

interface Walk {
  readonly kind: string;
  readonly out: FieldChange[];
}

function pathOf(segments: readonly Segment[], named: ReadonlySet<number>): string {
  let out = "";
  segments.forEach((s, i) => {
    out = named.has(i) ? `${out}[${String(s)}]` : field(out, s);
  });
  return out;
}

function push(walk: Walk, segments: Segment[], named: Set<number>, before: unknown, after: unknown): void {
  const path = pathOf(segments, named);
  if (isSecretField(walk.kind, segments)) {
    walk.out.push({
      path,
      ...(before !== undefined ? { before: HIDDEN } : {}),
      ...(after !== undefined ? { after: HIDDEN } : {}),
      secret: true,
    });
    return;
  }
  const shownBefore = before === undefined ? undefined : redact(before, walk.kind, segments);
  const shownAfter = after === undefined ? undefined : redact(after, walk.kind, segments);
  const multiline = (v: unknown) => typeof v === "string" && v.includes("\n");
  const hunks =
    typeof shownBefore === "string" && typeof shownAfter === "string" && (multiline(shownBefore) || multiline(shownAfter))
      ? structuredPatch("", "", shownBefore, shownAfter, "", "", { context: TEXT_CONTEXT_LINES }).hunks.flatMap((h) => [
          `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
          ...h.lines,
        ])
      : undefined;
  walk.out.push({
    path,
    ...(shownBefore !== undefined ? { before: shownBefore } : {}),
    ...(shownAfter !== undefined ? { after: shownAfter } : {}),
    // Only a hidden part changed, e.g. the password inside a URL.
    ...(isDeepStrictEqual(shownBefore, shownAfter) ? { secret: true } : {}),
    ...(hunks ? { hunks } : {}),
  });
}

function walkValues(walk: Walk, before: unknown, after: unknown, segments: Segment[], named: Set<number>): void {
  if (isDeepStrictEqual(before, after)) return;
  if (before === undefined || after === undefined || isScalar(before) || isScalar(after) || Array.isArray(before) !== Array.isArray(after)) {
    push(walk, segments, named, before, after);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const old = byName(before);
    const now = byName(after);
    if (old && now) {
      const names = [...old.keys(), ...[...now.keys()].filter((n) => !old.has(n))];
      const found = walk.out.length;
      for (const name of names) {
        walkValues(walk, old.get(name), now.get(name), [...segments, name], new Set([...named, segments.length]));
      }
      if (walk.out.length === found) push(walk, segments, named, [...old.keys()], [...now.keys()]);
      return;
    }
    if (before.every(isScalar) && after.every(isScalar)) {
      push(walk, segments, named, before, after);
      return;
    }
    for (let i = 0; i < Math.max(before.length, after.length); i++) walkValues(walk, before[i], after[i], [...segments, i], named);
    return;
  }
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byCodePoint);
  for (const key of keys) walkValues(walk, a[key], b[key], [...segments, key], named);
}

/** The changed fields of one object, its secret values hidden. */
export function diffFields(kind: string, before: unknown, after: unknown): FieldChange[] {
  const walk: Walk = { kind, out: [] };
  walkValues(walk, before, after, [], new Set());
  return walk.out;
}

function objectChange(before: PlacedObject | undefined, after: PlacedObject | undefined, skip: (path: string) => boolean): ObjectChange | undefined {
  const placed = (after ?? before)!;
  const base = {
    kind: placed.kind,
    name: placed.name,
    ...(placed.namespace !== undefined ? { namespace: placed.namespace } : {}),
    file: placed.file,
    ...(before ? { before: before.object } : {}),
    ...(after ? { after: after.object } : {}),
  };
  if (!before) return { status: "added", ...base, fields: [] };
  if (!after) return { status: "removed", ...base, fields: [] };
  const fields = diffFields(placed.kind, before.object, after.object).filter((f) => !skip(f.path));
  return fields.length ? { status: "changed", ...base, fields } : undefined;
}

const byKindName = (a: ObjectChange, b: ObjectChange) => byCodePoint(a.kind, b.kind) || byCodePoint(a.name, b.name);

function diffGroup(group: Group, before: PlacedGroup | undefined, after: PlacedGroup | undefined, skip: (path: string) => boolean): GroupDiff {
  const old = before?.objects ?? new Map<string, PlacedObject>();
  const now = after?.objects ?? new Map<string, PlacedObject>();
  const ids = [...new Set([...old.keys(), ...now.keys()])];
  const objects = ids.flatMap((id) => objectChange(old.get(id), now.get(id), skip) ?? []).sort(byKindName);
  return { group, objects, existed: before !== undefined };
}

const never = () => false;

/** What changed from `base` to `head`, per group (`env/stack` folder), in code-point order of the groups. */
export function diffTrees(base: readonly RenderedFile[], head: readonly RenderedFile[]): GroupDiff[] {
  const old = placeObjects(base);
  const now = placeObjects(head);
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort(byCodePoint);
  return keys.map((key) => diffGroup((now.get(key) ?? old.get(key))!.group, old.get(key), now.get(key), never));
}

/**
 * What differs between two environments of one tree, stack by stack: objects matched by kind and name
 * across the stacks' namespaces (the namespace fields themselves left out, they always differ). The groups'
 * `env` reads `<a> → <b>`.
 */
export function diffEnvironments(files: readonly RenderedFile[], a: string, b: string): GroupDiff[] {
  const placed = placeObjects(files, true);
  const stacksOf = (env: string) => [...placed.values()].filter((g) => g.group.env === env && g.group.stack !== undefined).map((g) => g.group.stack!);
  const stacks = [...new Set([...stacksOf(a), ...stacksOf(b)])].sort(byCodePoint);
  const skip = (path: string) => path === "metadata.namespace";
  return stacks.map((stack) => diffGroup({ env: `${a} → ${b}`, stack }, placed.get(`${a}/${stack}`), placed.get(`${b}/${stack}`), skip));
}
