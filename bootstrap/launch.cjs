// Pulumi's entry point (Pulumi.yaml `main`). Plain JavaScript: Pulumi's own TypeScript support runs ts-node,
// which cannot load TypeScript 7. esbuild bundles the program (not its npm packages, so the program and Pulumi
// share one @pulumi/pulumi) into .build/, and the bundle runs. Type errors are `npm test`'s job.
const { buildSync } = require("esbuild");
const { join } = require("node:path");

const repoRoot = join(__dirname, "..");
const outfile = join(repoRoot, ".build", "bootstrap", "main.cjs");
buildSync({
  entryPoints: [join(__dirname, "main.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  outfile,
  logLevel: "warning",
});
module.exports = require(outfile).runBootstrap({ repoRoot });
