/**
 * Soundness of the strict unknown-field pass: it treats a property as declared when the compiled
 * validator reads it. This audit checks, for every model the schema packages ship, that each property
 * its TypeScript declaration lists is read by its validator, so no declared field can be reported as
 * unknown. The exceptions are the names the packages' generator strips from every schema (see
 * strippedByGenerator in validation/schema.ts). Re-run on every upgrade of kubernetes-models.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const NODE_MODULES = join(__dirname, "..", "..", "node_modules");
const PACKAGES = ["kubernetes-models", "@kubernetes-models/apimachinery", "@kubernetes-models/argo-cd", "@kubernetes-models/external-secrets", "@kubernetes-models/cert-manager"];

function modelFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "_schemas" ? [] : modelFiles(path);
    return name.endsWith(".js") && name !== "index.js" ? [path] : [];
  });
}

/** `Model.property` for every declared property its validator never reads. */
function unreadProperties(): { models: number; properties: number; unread: string[] } {
  let models = 0;
  let properties = 0;
  const unread: string[] = [];
  for (const pkg of PACKAGES) {
    for (const file of modelFiles(join(NODE_MODULES, pkg))) {
      const source = readFileSync(file, "utf8");
      const schemaImport = /import\{validate\}from"([^"]+_schemas\/[^"]+)"/.exec(source);
      const declaration = file.replace(/\.js$/, ".d.ts");
      if (!schemaImport || !existsSync(declaration)) continue;
      const body = /export interface I\w+ \{([\s\S]*?)\n\}/.exec(readFileSync(declaration, "utf8"))?.[1] ?? "";
      const validator = readFileSync(normalize(join(dirname(file), schemaImport[1]!)), "utf8");
      models++;
      for (const [, property] of body.matchAll(/^ {4}"([^"]+)"\??:/gm)) {
        if (["apiVersion", "kind"].includes(property!)) continue;
        properties++;
        if (!validator.includes(`data.${property}`) && !validator.includes(`data["${property}"]`)) {
          unread.push(`${file.slice(NODE_MODULES.length + 1)}: ${property}`);
        }
      }
    }
  }
  return { models, properties, unread };
}

test("every property the schema packages declare is read by its validator (except the generator-stripped names)", () => {
  const { models, properties, unread } = unreadProperties();
  expect(models).toBeGreaterThan(1000);
  expect(properties).toBeGreaterThan(4000);
  const stripped = (line: string) => /: (description|x-kubernetes-.*)$/.test(line);
  expect(unread.filter((line) => !stripped(line))).toEqual([]);
  // The audit does see unread properties: the stripped ones, e.g. an Argo CD project's description.
  expect(unread).toContain("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProjectSpec.js: description");
});
