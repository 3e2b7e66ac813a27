import { readFileSync } from "node:fs";
import { join } from "node:path";
import { environmentJsonSchema, SCHEMA_FILE } from "../../cli/schema";

test("the committed environment JSON Schema matches the zod schema (run `npm run schema` when this fails)", () => {
  const committed = readFileSync(join(__dirname, "../..", SCHEMA_FILE), "utf8");
  expect(committed).toBe(environmentJsonSchema());
});

test("the JSON Schema rejects unknown keys and knows every stack", () => {
  const schema = JSON.parse(environmentJsonSchema());
  expect(schema.additionalProperties).toBe(false);
  expect(Object.keys(schema.properties.stacks.properties)).toEqual(["web"]);
  expect(schema.properties.stacks.properties.web.required).toEqual(["namespace", "hosts", "api", "database", "cache", "proxy", "frontend"]);
});
