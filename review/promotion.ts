/**
 * Promotion as data: which image references of one environment file go into another, and the edit that
 * puts them there. Pure functions over the files' text; cli/promote.ts reads, checks and writes.
 *
 * A component is an entry `stacks.<stack>.<component>` of an environment file that holds an `image`:
 * nothing here knows which stacks or components exist.
 */
import { isMap, isScalar, parseDocument, Scalar, type Document, type YAMLMap } from "yaml";
import { isDeepStrictEqual } from "node:util";

export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
}

/** A component's image as an environment file pins it. */
export interface ImageEntry {
  readonly stack: string;
  readonly component: string;
  readonly image: ImageRef;
}

/** What promotion needs to know of an environment. */
export interface EnvImages {
  readonly name: string;
  /** The environment file, as messages name it. */
  readonly file: string;
  /** Every image the file pins, in file order. */
  readonly images: readonly ImageEntry[];
  /** `policy.requireImageDigests`: every image must carry its digest. */
  readonly requireDigests: boolean;
}

/** Stacks and components to promote; an empty list selects all. */
export interface Selection {
  readonly stacks: readonly string[];
  readonly components: readonly string[];
}

export interface ImageChange {
  readonly stack: string;
  readonly component: string;
  readonly before: ImageRef;
  readonly after: ImageRef;
}

export interface PromotionPlan {
  readonly changes: readonly ImageChange[];
  /** Selected components the target already runs at the source's image. */
  readonly unchanged: readonly ImageEntry[];
  /** Selected components of the source that the target does not run: promotion never adds a component. */
  readonly notInTarget: readonly ImageEntry[];
}

/** The command named a stack or component that does not exist in both environments. */
export class UnknownName extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "UnknownName";
  }
}

/** The target environment's policy refuses the promotion. */
export class PromotionRefused extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "PromotionRefused";
  }
}

const FIELDS = ["repository", "tag", "digest"] as const;

function isImage(value: unknown): value is ImageRef {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.repository === "string" && typeof v.tag === "string" && (v.digest === undefined || typeof v.digest === "string");
}

/** The images an environment file's data pins: every `stacks.<stack>.<component>.image`, in file order. */
export function imagesOf(data: unknown): ImageEntry[] {
  const stacks = (data as { stacks?: unknown } | null)?.stacks;
  if (!stacks || typeof stacks !== "object") return [];
  return Object.entries(stacks as Record<string, unknown>).flatMap(([stack, settings]) =>
    settings && typeof settings === "object"
      ? Object.entries(settings as Record<string, unknown>).flatMap(([component, value]) => {
          const image = (value as { image?: unknown } | null)?.image;
          return isImage(image) ? [{ stack, component, image }] : [];
        })
      : [],
  );
}

/** `ghcr.io/acme/api:1.4.2@sha256:5f0c3a4e1d2b…`, the repository left out unless asked for. */
export function formatImage(image: ImageRef, withRepository = false): string {
  const digest = image.digest ? `@${image.digest.slice(0, "sha256:".length + 12)}…` : "";
  return `${withRepository ? `${image.repository}:` : ""}${image.tag}${digest}`;
}

/** `web/api: 1.4.2@sha256:5f0c3a4e1d2b… → 1.5.0@sha256:cd34…` (repositories shown when they differ). */
export function describeChange(change: ImageChange): string {
  const repo = change.before.repository !== change.after.repository;
  return `${change.stack}/${change.component}: ${formatImage(change.before, repo)} → ${formatImage(change.after, repo)}`;
}

const sameImage = (a: ImageRef, b: ImageRef) => FIELDS.every((f) => a[f] === b[f]);
const listed = (names: Iterable<string>) => [...new Set(names)].join(", ") || "none";

/**
 * Which images of `from` go to `to`: the selected components both environments run, whose references
 * differ. Throws UnknownName for a stack or component not in both, PromotionRefused when `to` pins images
 * by digest and one of the incoming images has none.
 */
export function planPromotion(from: EnvImages, to: EnvImages, selection: Selection): PromotionPlan {
  const stacksOf = (env: EnvImages) => new Set(env.images.map((i) => i.stack));
  const fromStacks = stacksOf(from);
  const toStacks = stacksOf(to);
  const unknown: string[] = [];
  for (const stack of selection.stacks) {
    for (const [env, stacks] of [[from, fromStacks], [to, toStacks]] as const) {
      if (!stacks.has(stack)) unknown.push(`unknown stack '${stack}': ${env.file} has no stacks.${stack} with images (its stacks: ${listed(stacks)})`);
    }
  }
  // Components are looked up in the selected stacks: only once those exist.
  if (unknown.length) throw new UnknownName(unknown);
  const inStacks = (e: ImageEntry) => (selection.stacks.length ? selection.stacks.includes(e.stack) : toStacks.has(e.stack));
  const candidates = from.images.filter(inStacks);
  for (const component of selection.components) {
    for (const env of [from, to]) {
      const names = env.images.filter(inStacks).map((e) => e.component);
      if (!names.includes(component)) {
        unknown.push(`unknown component '${component}': ${env.file} pins no image for it in the selected stacks (its components: ${listed(names)})`);
      }
    }
  }
  if (unknown.length) throw new UnknownName(unknown);

  const selected = candidates.filter((e) => !selection.components.length || selection.components.includes(e.component));
  const changes: ImageChange[] = [];
  const unchanged: ImageEntry[] = [];
  const notInTarget: ImageEntry[] = [];
  const refused: string[] = [];
  for (const source of selected) {
    const target = to.images.find((t) => t.stack === source.stack && t.component === source.component);
    if (!target) notInTarget.push(source);
    else if (sameImage(source.image, target.image)) unchanged.push(source);
    else {
      changes.push({ stack: source.stack, component: source.component, before: target.image, after: source.image });
      if (to.requireDigests && !source.image.digest) {
        refused.push(
          `${from.file}: stacks.${source.stack}.${source.component}.image: ${source.image.repository}:${source.image.tag} has no digest, ` +
            `but ${to.name} pins every image by digest (policy.requireImageDigests in ${to.file}); add its digest to ${from.file} first`,
        );
      }
    }
  }
  if (refused.length) throw new PromotionRefused(refused);
  return { changes, unchanged, notInTarget };
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A scalar in the style the replaced one had; plain only where YAML reads it back as the same string. */
function scalarText(value: string, like?: Scalar): string {
  if (like?.type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  const plain = like === undefined || like.type === Scalar.PLAIN;
  const readsBack = (() => {
    const probe = parseDocument(`[${value}]`);
    return probe.errors.length === 0 && isDeepStrictEqual(probe.toJS(), [value]);
  })();
  return plain && readsBack ? value : JSON.stringify(value);
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf("\n", at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf("\n", at);
  return end < 0 ? text.length : end;
}

function range(node: unknown): [number, number] {
  const r = (node as { range?: [number, number, number] }).range;
  if (!r) throw new Error("yaml node without a source range");
  return [r[0], r[1]];
}

/** The edits that turn `map`'s image fields into `after`'s, leaving every other character where it was. */
function imageEdits(text: string, map: YAMLMap, after: ImageRef): Edit[] {
  const edits: Edit[] = [];
  for (const field of FIELDS) {
    const index = map.items.findIndex((p) => isScalar(p.key) && p.key.value === field);
    const pair = map.items[index];
    const wanted = after[field];
    if (pair && wanted !== undefined) {
      if (!isScalar(pair.value)) throw new Error(`image.${field} is not a scalar`);
      if (pair.value.value === wanted) continue;
      const [start, end] = range(pair.value);
      edits.push({ start, end, text: scalarText(wanted, pair.value) });
    } else if (!pair && wanted !== undefined) {
      const last = map.items[map.items.length - 1];
      const lastEnd = range(last.value)[1];
      const entry = `${field}: ${scalarText(wanted)}`;
      if (map.flow) edits.push({ start: lastEnd, end: lastEnd, text: `, ${entry}` });
      else {
        const keyStart = range(last.key)[0];
        const indent = " ".repeat(keyStart - lineStart(text, keyStart));
        const at = lineEnd(text, lastEnd);
        edits.push({ start: at, end: at, text: `\n${indent}${entry}` });
      }
    } else if (pair && wanted === undefined) {
      const [keyStart] = range(pair.key);
      const [, valueEnd] = range(pair.value);
      if (!map.flow) {
        const end = lineEnd(text, valueEnd);
        edits.push({ start: lineStart(text, keyStart), end: Math.min(end + 1, text.length), text: "" });
      } else if (index > 0) {
        edits.push({ start: range(map.items[index - 1].value)[1], end: valueEnd, text: "" });
      } else {
        edits.push({ start: keyStart, end: range(map.items[index + 1].key)[0], text: "" });
      }
    }
  }
  return edits;
}

/** The document's data with the changes' images in place (a fresh copy: toJS builds new objects). */
function withImages(doc: Document.Parsed, changes: readonly ImageChange[]): unknown {
  const data = doc.toJS() as { stacks: Record<string, Record<string, { image: ImageRef }>> };
  for (const c of changes) data.stacks[c.stack][c.component].image = { ...c.after };
  return data;
}

/**
 * The environment file's text with the changes' images in place. Only the image fields' characters move:
 * comments, key order, quoting and layout stay as they were. The result is read back and must equal the
 * old data with just those images replaced; anything else is a bug and throws.
 */
export function applyImageChanges(text: string, changes: readonly ImageChange[]): string {
  const doc: Document.Parsed = parseDocument(text);
  if (doc.errors.length) throw new Error(`cannot edit a file with YAML errors: ${doc.errors[0].message}`);
  const edits = changes.flatMap((c) => {
    const node = doc.getIn(["stacks", c.stack, c.component, "image"], true);
    if (!isMap(node)) throw new Error(`stacks.${c.stack}.${c.component}.image is not a map`);
    return imageEdits(text, node, c.after);
  });
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const check = parseDocument(out);
  if (check.errors.length || !isDeepStrictEqual(check.toJS(), withImages(doc, changes))) {
    throw new Error(`editing the images changed more than the images:\n${out}`);
  }
  return out;
}
