/**
 * Credential scanning with secretlint: its recommended rules (cloud keys, tokens, private keys,
 * connection strings with passwords...) plus a few patterns of our own, over every string value
 * of every object. One scan per validation: all values go into one text, one line range each, so a
 * hit maps back to its object and field.
 */
import type { SecretLintCoreConfig } from "@secretlint/types";
import type { Violation } from "./types";
import { field } from "./lib/values";

/** Credentials the recommended preset leaves to context-aware rules; in a manifest they are never legitimate. */
const EXTRA_PATTERNS = [
  { name: "JSON Web Token", patterns: ["/\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}/"] },
  { name: "AWS access key ID", patterns: ["/\\b(AKIA|ASIA)[0-9A-Z]{16}\\b/"] },
];

interface Scanner {
  readonly lintSource: typeof import("@secretlint/core").lintSource;
  readonly config: SecretLintCoreConfig;
}

let scanner: Promise<Scanner> | undefined;

/** secretlint and its rules, loaded once, on first use. */
async function loadScanner(): Promise<Scanner> {
  const [{ lintSource }, { creator: recommend }, { creator: pattern }] = await Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend"),
    import("@secretlint/secretlint-rule-pattern"),
  ]);
  const config = {
    rules: [
      { id: "@secretlint/secretlint-rule-preset-recommend", rule: recommend },
      { id: "@secretlint/secretlint-rule-pattern", rule: pattern, options: { patterns: EXTRA_PATTERNS } },
    ],
  } as SecretLintCoreConfig;
  return { lintSource, config };
}

/** One string value's line in the scanned text; its field path is built only if secretlint reports it. */
interface Leaf {
  readonly object: number;
  readonly parent: string;
  /** Undefined for a document that is itself a string. */
  readonly key: string | number | undefined;
  readonly start: number;
  readonly end: number;
}

interface Collected {
  readonly text: string[];
  readonly leaves: Leaf[];
  length: number;
}

function pathOf(parent: string, key: string | number | undefined): string {
  return key === undefined ? parent : field(parent, key);
}

function collect(value: unknown, object: number, parent: string, key: string | number | undefined, name: string, out: Collected): void {
  if (typeof value === "string") {
    // `name: value` keeps the context some rules look for (e.g. `password: ...`).
    const line = `${name}: ${value}\n`;
    out.leaves.push({ object, parent, key, start: out.length, end: out.length + line.length });
    out.text.push(line);
    out.length += line.length;
    return;
  }
  if (value === null || typeof value !== "object") return;
  const path = pathOf(parent, key);
  if (Array.isArray(value)) value.forEach((item, i) => collect(item, object, path, i, name, out));
  else for (const k in value) collect((value as Record<string, unknown>)[k], object, path, k, k, out);
}

/** The leaf containing text offset `at` (leaves are sorted by offset). */
function leafAt(leaves: readonly Leaf[], at: number): Leaf | undefined {
  let low = 0;
  let high = leaves.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const leaf = leaves[mid]!;
    if (at < leaf.start) high = mid - 1;
    else if (at >= leaf.end) low = mid + 1;
    else return leaf;
  }
  return undefined;
}

/** Credential-looking values, per object (same order as `objects`). The values themselves are never reported. */
export async function scanCredentials(objects: readonly unknown[]): Promise<Violation[][]> {
  const found: Violation[][] = objects.map(() => []);
  const collected: Collected = { text: [], leaves: [], length: 0 };
  objects.forEach((o, i) => collect(o, i, "", undefined, "", collected));
  if (collected.leaves.length === 0) return found;
  scanner ??= loadScanner();
  const { lintSource, config } = await scanner;
  const result = await lintSource({
    source: { content: collected.text.join(""), filePath: "/rendered-objects.yaml", ext: ".yaml", contentType: "text" },
    options: { config, maskSecrets: false },
  });
  const seen = new Set<string>();
  for (const message of result.messages) {
    const leaf = leafAt(collected.leaves, message.range[0]);
    if (!leaf) continue;
    const data = message.data as { PATTERN_NAME?: string } | undefined;
    const what = data?.PATTERN_NAME ?? message.ruleId.replace(/^@secretlint\/secretlint-rule-/, "");
    const at = pathOf(leaf.parent, leaf.key);
    const key = `${leaf.object} ${at} ${what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found[leaf.object]!.push({
      field: at,
      message: `value looks like a credential (secretlint: ${what}); keep it in the secret store and reference it through an ExternalSecret`,
    });
  }
  return found;
}
