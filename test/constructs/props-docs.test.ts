/**
 * The house rule for construct options, enforced: every optional field of a `…Props` interface says
 * what happens when it is left out, with a TSDoc `@default`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const FOLDERS = ["constructs", "constructs/lib", "argocd", "argocd/lib"];

function optionalFieldsWithoutDefault(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const missing: string[] = [];
  for (const match of text.matchAll(/export interface (\w+Props)\b[^{]*\{\n([\s\S]*?)\n\}/g)) {
    const [, name, body] = match;
    const lines = body.split("\n");
    lines.forEach((line, i) => {
      const field = /^\s+readonly (\w+)\?:/.exec(line);
      if (!field) return;
      const doc: string[] = [];
      for (let j = i - 1; j >= 0 && /^\s*(\/\*\*|\*)/.test(lines[j]); j--) doc.push(lines[j]);
      if (!doc.some((l) => l.includes("@default"))) missing.push(`${file}: ${name}.${field[1]}`);
    });
  }
  return missing;
}

test("every optional field of every construct's Props documents its @default", () => {
  const files = FOLDERS.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `${folder}/${f}`),
  );
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap(optionalFieldsWithoutDefault)).toEqual([]);
});
