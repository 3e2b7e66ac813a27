import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle, createProject, ROOT } from "../support/project";
import { readTree } from "../support/tree";

test("`cdk8s synth`, as cdk8s users and CI run it, renders exactly the committed dist/ (cdk8s-cli is a pinned devDependency)", () => {
  // In a copy of the project: the launcher that cdk8s.yaml runs writes its bundles into the project's .build/.
  const project = createProject(join(ROOT, "environments"), bundle("main.ts", "cdk8s-synth-test"));
  const out = join(mkdtempSync(join(tmpdir(), "slipway-cdk8s-")), "dist");
  const result = spawnSync(join(ROOT, "node_modules/.bin/cdk8s"), ["synth", "--no-check-upgrade", "--output", out], { cwd: project.dir, encoding: "utf8" });
  // On Node 22+, cdk8s-cli's own dependencies use the deprecated `punycode` module: Node's warning is all it may print.
  const stderr = result.stderr.split("\n").filter((l) => l && !/\[DEP0040\] DeprecationWarning: The `punycode` module|--trace-deprecation/.test(l));
  expect([result.status, stderr]).toEqual([0, []]);
  expect(result.stdout).toMatch(/^Synthesizing application\n/);
  expect(readTree(out)).toEqual(readTree(join(ROOT, "dist")));
});
