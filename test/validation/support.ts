/** Fixture helpers for the validation tests: fixtures live in test/validation/fixtures/, beside the tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject, RenderedFile } from "../../lib/kube-object";
import { validate, type Finding, type Profile, type ValidationReport } from "../../validation";
import { parseYaml } from "../../validation/load";
import { STRICT_PROFILE } from "../../validation/types";

export const FIXTURES = join(__dirname, "fixtures");

/** A fixture file as synth would hand it over: its path relative to the fixtures folder, its objects. */
export function fixture(relativePath: string): RenderedFile {
  const parsed = parseYaml(relativePath, readFileSync(join(FIXTURES, relativePath), "utf8"));
  if (parsed.problems.length) throw new Error(parsed.problems.join("\n"));
  return { path: relativePath, objects: parsed.objects };
}

/** Validates files under one profile (strict, like prod, unless told otherwise). */
export function check(files: readonly RenderedFile[], profile: Profile = STRICT_PROFILE): Promise<ValidationReport> {
  return validate(files, { profileFor: () => profile });
}

/** Validates inline objects as one file, `test/objects.yaml`. */
export function checkObjects(objects: readonly unknown[], profile: Profile = STRICT_PROFILE): Promise<ValidationReport> {
  return check([{ path: "test/objects.yaml", objects: objects as KubeObject[] }], profile);
}

/** `Kind/name: field: message` for each finding of `rule`. */
export function lines(findings: readonly Finding[], rule: string): string[] {
  return findings.filter((f) => f.rule === rule).map((f) => `${f.kind}/${f.name}: ${f.field}: ${f.message}`);
}
