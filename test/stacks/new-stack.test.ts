/**
 * The promise of "Add a stack" in the README, kept: copying stacks/web.ts to a new name and giving it
 * settings in an environment file renders a folder of its own, with no other edit — no registry, no list.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";

const ROOT = join(__dirname, "../..");
const SKIP = new Set(["node_modules", "dist", ".git", ".build", "coverage"]);

/** A copy of the project's sources in a temp folder, sharing node_modules. */
function projectCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-new-stack-"));
  for (const entry of readdirSync(ROOT)) {
    if (!SKIP.has(entry)) cpSync(join(ROOT, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

test("a copy of stacks/web.ts under a new name, with settings in dev's file, renders dist/dev/<name>/ and passes the gate", () => {
  const root = projectCopy();
  cpSync(join(root, "stacks/web.ts"), join(root, "stacks/shop.ts"));
  const file = join(root, "environments/dev.yaml");
  const doc = parseDocument(readFileSync(file, "utf8"));
  const web = doc.getIn(["stacks", "web"]) as { clone(): unknown };
  doc.setIn(["stacks", "shop"], web.clone());
  doc.setIn(["stacks", "shop", "namespace"], "shop-dev");
  doc.setIn(["stacks", "shop", "hosts"], doc.createNode(["dev.shop2.example.com"]));
  writeFileSync(file, doc.toString());

  const run = spawnSync(process.execPath, ["cli/launch.mjs", "synth"], { cwd: root, encoding: "utf8" });
  expect([run.status, run.stderr]).toEqual([0, ""]);
  expect(run.stdout).toMatch(/^ {2}dev\/shop +\d+ objects$/m);
  const kustomization = readFileSync(join(root, "dist/dev/shop/kustomization.yaml"), "utf8");
  for (const component of ["namespace", "api", "database", "cache", "frontend", "proxy"]) expect(kustomization).toContain(`- ${component}.yaml`);
  expect(readFileSync(join(root, "dist/dev/shop/namespace.yaml"), "utf8")).toContain("name: shop-dev");
  expect(existsSync(join(root, "dist/argocd/apps-dev.yaml")) && readFileSync(join(root, "dist/argocd/apps-dev.yaml"), "utf8")).toContain("dist/dev/shop");
}, 180_000);
