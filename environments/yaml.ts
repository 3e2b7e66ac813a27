/**
 * Reading an environment file's YAML without trusting it. Before its value is built: a size limit, a nesting
 * limit, keys unique within each mapping (checked in one pass: the `yaml` package's own `uniqueKeys` check
 * compares every key with every other, minutes for a mapping of thousands), no key that reaches a JavaScript
 * prototype, and aliases that resolve to an anchor outside themselves. While it is built: the `yaml`
 * package's limit on alias expansion (an "alias bomb" of nested aliases would otherwise expand to billions
 * of nodes). Every problem is located (`file:line:col`) and named by its field path.
 */
import { isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { ConfigError, quoted } from "../lib/errors";
import { formatPath, type Path } from "./format";

/**
 * Largest environment file read. A few hundred settings take a few KiB; thousands of environment variables
 * a few hundred. What Kubernetes stores of one object is capped near 1.5 MiB (etcd's request limit), so a
 * larger file cannot become valid objects: it is a mistake (a pasted log or dump), refused before parsing.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Deepest nesting read: an environment file nests under ten levels. The `yaml` parser recurses once per
 * level and runs out of stack near 500 nested flow collections (`[[[[…`), which can abort Node itself.
 */
export const MAX_DEPTH = 64;

/** Keys that, as JavaScript object keys, reach the object's prototype rather than naming a value. */
export const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/**
 * Alias uses allowed while the value is built, each counted once per alias inside its anchor: the `yaml`
 * package's own default (`maxAliasCount`), far above what shared image or resource blocks need.
 */
export const MAX_ALIAS_COUNT = 100;

export interface YamlFile {
  readonly doc: Document;
  readonly lines: LineCounter;
  /** The file's value, as plain data. */
  readonly value: unknown;
}

const MiB = 1024 * 1024;

/** The problem of a file of `bytes`, if it is over the limit. */
export function sizeProblem(file: string, bytes: number): string | undefined {
  if (bytes <= MAX_FILE_BYTES) return undefined;
  return `${file}: expected at most ${MAX_FILE_BYTES / MiB} MiB (${MAX_FILE_BYTES} bytes) of settings, got ${bytes} bytes; an environment file holds settings, not data`;
}

/** Control tokens the lexer emits that stand for no source text (document mode, scalar, flow error end). */
const CONTROL_TOKEN = /^[\x00-\x1f]$/;

/**
 * Where `text` first nests deeper than MAX_DEPTH, from its tokens alone (the lexer is a loop, not a
 * recursion): open flow collections, plus the block nesting a line can reach (its indentation and the
 * `- ` / `? ` indicators on it, each at least one level).
 */
function tooDeepAt(text: string): number | undefined {
  let offset = 0;
  let flow = 0;
  let line = 0;
  let atLineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL_TOKEN.test(token)) continue;
    if (token === "\n" || token === "\r\n") {
      line = 0;
      atLineStart = true;
    } else {
      if (atLineStart && /^ +$/.test(token)) line += token.length;
      else if (token === "-" || token === "?") line += 1;
      else if (token === "[" || token === "{") flow += 1;
      else if (token === "]" || token === "}") flow = Math.max(0, flow - 1);
      atLineStart = false;
      if (flow + line > MAX_DEPTH) return offset;
    }
    offset += token.length;
  }
  return undefined;
}

/** Parses `text` (the file `file`), or throws ConfigError with every problem found. */
export function readYaml(file: string, text: string): YamlFile {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const tooBig = sizeProblem(file, Buffer.byteLength(text));
  if (tooBig) throw new ConfigError([tooBig]);
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    // The line counter learns line starts while parsing; this file is not parsed, so count them here.
    const line = text.slice(0, deep).split("\n").length;
    const col = deep - text.lastIndexOf("\n", deep - 1);
    throw new ConfigError([`${file}:${line}:${col}: nested more than ${MAX_DEPTH} levels deep; an environment file needs a few`]);
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) {
    throw new ConfigError(doc.errors.map((e) => `${at(e.pos[0])}: YAML syntax error: ${e.message.split("\n")[0]}`));
  }
  const problems = structureProblems(doc, at, (offset) => lines.linePos(offset).line);
  if (problems.length) throw new ConfigError(problems);
  try {
    return { doc, lines, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {} };
  } catch (e) {
    // What the yaml package throws when aliases expand past maxAliasCount; unresolved aliases were refused above.
    if (e instanceof ReferenceError && e.message.startsWith("Excessive alias count")) {
      const first = firstAlias(doc);
      throw new ConfigError([
        `${first ? at(first) : file}: its aliases expand past ${MAX_ALIAS_COUNT} uses (an alias bomb?); expected a few aliases of shared blocks, or the values written out`,
      ]);
    }
    throw e;
  }
}

/** Duplicate, non-scalar and reserved keys, and aliases that resolve to nothing or to a node around them. */
function structureProblems(doc: Document, at: (offset: number) => string, lineOf: (offset: number) => number): string[] {
  const problems: string[] = [];
  const anchors = new Map<string, Node>();
  const where = (node: { range?: [number, number, number] | null } | null | undefined, path: Path) =>
    `${node?.range ? at(node.range[0]) : "?"}: ${formatPath(path)}`;
  const walk = (node: unknown, path: Path, around: readonly unknown[]): void => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) problems.push(`${where(node, path)}: alias *${node.source} refers to no anchor &${node.source} before it`);
      else if (around.includes(target)) problems.push(`${where(node, path)}: alias *${node.source} refers to the node that contains it`);
      return;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node as Node);
    const inside = [...around, node];
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) {
          problems.push(`${where(pair.key as Node, path)}: expected a plain key, got ${isSeq(pair.key) ? "a list" : isMap(pair.key) ? "a mapping" : "an alias"}`);
          continue;
        }
        const key = String(pair.key.value);
        const keyPath = [...path, key];
        const first = seen.get(key);
        if (first !== undefined) problems.push(`${where(pair.key, keyPath)}: duplicate key; the first is on line ${first}`);
        else seen.set(key, lineOf(pair.key.range![0]));
        if (RESERVED_KEYS.includes(key)) {
          problems.push(`${where(pair.key, keyPath)}: expected a name of your own, got ${quoted(key)} (reserved: every JavaScript object already has it)`);
        }
        walk(pair.value, keyPath, inside);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i], inside));
    }
  };
  walk(doc.contents, [], []);
  return problems;
}

/** Offset of the first alias in the document, where an alias bomb starts to go off. */
function firstAlias(doc: Document): number | undefined {
  let first: number | undefined;
  const walk = (node: unknown): void => {
    if (first !== undefined) return;
    if (isAlias(node)) first = node.range?.[0];
    else if (isMap(node)) node.items.forEach((p) => walk(p.value));
    else if (isSeq(node)) node.items.forEach(walk);
  };
  walk(doc.contents);
  return first;
}
