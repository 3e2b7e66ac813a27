/**
 * `npm run schema`: writes environments/environment.schema.json, the JSON Schema editors use to
 * autocomplete and check environment files (`# yaml-language-server: $schema=./environment.schema.json`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { environmentSchema } from "../environments";
import { loadStacks, settingsOf } from "../render/stacks";

export const SCHEMA_FILE = join("environments", "environment.schema.json");

export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentSchema(settingsOf(loadStacks())), { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "Slipway environment" }, null, 2)}\n`;
}

export function main(): void {
  writeFileSync(SCHEMA_FILE, environmentJsonSchema());
  console.log(`schema: wrote ${SCHEMA_FILE}`);
}

if (require.main === module) main();
