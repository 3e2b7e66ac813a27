/**
 * The layout, kept honest: which folder may import which. Data flows one way — environments (data),
 * constructs (building blocks) and validation (a judge of plain objects) share only lib/; stacks and the
 * Argo CD generator compose them; render runs the pipeline; cli parses and prints on top. The Pulumi
 * bootstrap shares the environment schema with the cdk8s side and nothing else.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(__dirname, "..");

/** Each top-level folder, and the folders of ours its code may import (itself always may). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  environments: ["lib"],
  constructs: ["lib"],
  validation: ["lib"],
  stacks: ["lib", "environments", "constructs"],
  argocd: ["lib", "environments", "constructs"],
  bootstrap: ["lib", "environments"],
  render: ["lib", "environments", "constructs", "validation", "stacks", "argocd"],
  // Promotion and review judge plain objects and files, with the gate's own readers of plain objects.
  review: ["lib", "validation"],
  cli: ["lib", "environments", "constructs", "validation", "stacks", "argocd", "render", "review"],
  bench: ["lib", "environments", "constructs", "validation", "stacks", "argocd", "render"],
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(path);
    return /\.(ts|mjs|cjs)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The top-level folders of ours a file imports (relative imports only; packages are not ours). */
function importedFolders(file: string): { specifier: string; folder: string }[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import|require)\s*\(?\s*["'`](\.{1,2}\/[^"'`$]*)/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => {
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    return { specifier, folder: target.split("/")[0]! };
  });
}

describe("import rules", () => {
  test("every top-level folder of code has a rule", () => {
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !["node_modules", "dist", "docs", "test"].includes(e.name))
      .filter((e) => sources(e.name).length > 0)
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(ALLOWED).sort());
  });

  test.each(Object.keys(ALLOWED))("%s/ imports only what its layer may", (folder) => {
    const allowed = new Set([folder, ...ALLOWED[folder]!]);
    const broken = sources(folder).flatMap((file) =>
      importedFolders(file)
        .filter(({ folder: target }) => !allowed.has(target) && target !== "package.json" && target !== "node_modules")
        .map(({ specifier }) => `${file} imports ${specifier}`),
    );
    expect(broken).toEqual([]);
  });

});
