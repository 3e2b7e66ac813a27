/**
 * bootstrap/Pulumi.yaml runs launch.cjs, not the TypeScript: it must compile the program itself and return the
 * stack outputs, sharing one @pulumi/pulumi with the Pulumi runtime (checked here under the mocks).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT, runMocked } from "./support";

test("Pulumi.yaml runs launch.cjs with Pulumi's own TypeScript support off", () => {
  const project = parse(readFileSync(join(REPO_ROOT, "bootstrap/Pulumi.yaml"), "utf8"));
  expect(project).toMatchObject({ name: "slipway-bootstrap", runtime: { name: "nodejs", options: { typescript: false } }, main: "launch.cjs" });
});

test("launch.cjs bundles the program, runs it and exports the stack outputs", async () => {
  const run = await runMocked("in-cluster", { context: "kind-slipway" }, () => {
    return require(join(REPO_ROOT, "bootstrap/launch.cjs"));
  });
  expect(run.result).toMatchObject({ cluster: "in-cluster", context: "kind-slipway", argocd: { namespace: "argocd" } });
  expect(run.resources.map((r) => r.name)).toContain("root-application-slipway");
});
