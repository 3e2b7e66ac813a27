import { spawnSync } from "node:child_process";
import { join } from "node:path";

test("package-lock.json lists every optional platform package, so npm ci accepts it on a fresh machine", () => {
  const result = spawnSync(process.execPath, [join(__dirname, "../cli/lockfile.mjs"), "--check"], { encoding: "utf8" });
  expect([result.status, result.stdout + result.stderr]).toEqual([0, "lockfile: every optional platform package is listed\n"]);
});
