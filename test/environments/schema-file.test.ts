import { readFileSync } from "node:fs";
import { join } from "node:path";
import { environmentJsonSchema, SCHEMA_FILE } from "../../cli/schema";
import { stackNames } from "../../render/stacks";

test("the committed environment JSON Schema matches the zod schema (run `npm run schema` when this fails)", () => {
  const committed = readFileSync(join(__dirname, "../..", SCHEMA_FILE), "utf8");
  expect(committed).toBe(environmentJsonSchema());
});

test("the JSON Schema rejects unknown keys and knows every stack in stacks/, each needing a namespace", () => {
  const schema = JSON.parse(environmentJsonSchema());
  expect(schema.additionalProperties).toBe(false);
  expect(Object.keys(schema.properties.stacks.properties)).toEqual(stackNames());
  for (const name of stackNames()) {
    expect([name, schema.properties.stacks.properties[name].additionalProperties]).toEqual([name, false]);
    expect([name, schema.properties.stacks.properties[name].required[0]]).toEqual([name, "namespace"]);
  }
});
