/** The gate judges plain objects: validation/ imports only lib/ and npm packages, never a construct, stack or environment. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

test("validation/ imports nothing of ours outside validation/ and lib/", () => {
  const outside: string[] = [];
  for (const file of sources(join(ROOT, "validation"))) {
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
      const target = relative(ROOT, resolve(dirname(file), specifier!));
      if (!/^(validation|lib)\//.test(target)) outside.push(`${relative(ROOT, file)} imports ${specifier}`);
    }
  }
  expect(outside).toEqual([]);
});
