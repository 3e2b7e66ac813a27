/** docs/validation.md is the policy pack's reference: it must document every rule as registered. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../validation";

const DOC = readFileSync(join(__dirname, "..", "..", "docs", "validation.md"), "utf8");
const README = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");

describe("docs/validation.md", () => {
  test.each(RULES.map((r) => [r.id, r] as const))("documents %s with its severity, title, rationale and link", (_id, rule) => {
    const start = DOC.indexOf(`#### \`${rule.id}\` (${rule.severity})\n`);
    expect(start).toBeGreaterThanOrEqual(0);
    const section = DOC.slice(start, DOC.indexOf("\n#### ", start + 1) === -1 ? undefined : DOC.indexOf("\n#### ", start + 1));
    expect(section).toContain(`${rule.title}.`);
    expect(section).toContain(rule.rationale);
    expect(section).toContain(`<${rule.link}>`);
  });

  test("documents no rule that does not exist", () => {
    const documented = [...DOC.matchAll(/^#### `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test("it and the README count the rules as registered", () => {
    expect(DOC).toContain(`\n${RULES.length} rules. `);
    expect(README).toContain(`a ${RULES.length}-rule policy pack`);
    expect(README).toContain(`**Policy pack**: ${RULES.length} rules`);
  });
});
