/**
 * `npm run validate [path] [--profile strict|default]` on a small repository (fixtures/repo):
 * environments/dev.yaml (default policy) and prod.yaml (every policy switch on), a dist/ with the same
 * workload in both, Argo CD objects, a third-party chart's output, JSON manifests, a folder without
 * manifests and files that do not parse.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { runValidateCli } from "../../cli/validate";

const REPO = join(__dirname, "fixtures", "repo");
const ROOT = join(__dirname, "..", "..");

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCli(argv, { cwd: REPO, stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) });
  return { code, stdout, stderr };
}

const PROD_REPORT = [
  "prod",
  "  web",
  "    image-digest (error)",
  `      dist/prod/web/app.yaml: Deployment/app: spec.template.spec.containers[0].image: container 'app': expected an image pinned by digest (<image>:<tag>@sha256:<64 hex>), got "ghcr.io/acme/app:1.0.0"`,
  "    min-replicas (error)",
  "      dist/prod/web/app.yaml: Deployment/app: spec.replicas: expected at least 2 in this environment (or an HPA with minReplicas ≥ 2), got nothing (1 by default)",
  "    pdb-required (error)",
  "      dist/prod/web/app.yaml: Deployment/app: spec.template.metadata.labels: expected a PodDisruptionBudget in namespace 'shop' selecting these pods, found none",
  "    topology-spread (error)",
  "      dist/prod/web/app.yaml: Deployment/app: spec.template.spec.topologySpreadConstraints: expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing",
  "",
  "validation failed: 4 errors, 0 warnings, 0 allowed exceptions in 7 objects (3 files)",
  "",
].join("\n");

describe("npm run validate", () => {
  test("checks dist/ by default, each environment under its own policy, and exits 1 on errors", async () => {
    // The same workload passes in dev and fails prod's digests, replicas, PDB and spread; kustomization.yaml is skipped.
    expect(await run()).toEqual({ code: 1, stdout: PROD_REPORT, stderr: "" });
  });

  test("checks one environment's folder and exits 0 when it is clean", async () => {
    expect(await run("dist/dev")).toEqual({ code: 0, stdout: "validation passed: 0 errors, 0 warnings, 0 allowed exceptions in 3 objects (1 file)\n", stderr: "" });
  });

  test("checks any folder of YAML with the default profile, or the strict one on request", async () => {
    const spread = "      charts/redis/templates/statefulset.yaml: StatefulSet/redis: spec.template.spec.topologySpreadConstraints: expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing";
    const relaxed = await run("charts/redis");
    expect(relaxed.code).toBe(1);
    expect(relaxed.stdout).toBe(
      ["redis", "  templates", "    topology-spread (error)", spread, "", "validation failed: 1 error, 0 warnings, 0 allowed exceptions in 3 objects (1 file)", ""].join("\n"),
    );
    const strict = await run("charts/redis", "--profile", "strict");
    expect(strict.stdout).toContain("    image-digest (error)\n");
    expect(strict.stdout).toContain("validation failed: 2 errors, 0 warnings, 0 allowed exceptions in 3 objects (1 file)");
  });

  test("exits 2 on YAML that does not parse, naming file, line and column", async () => {
    expect(await run("broken")).toEqual({
      code: 2,
      stdout: "",
      stderr: "broken/bad.yaml:4:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }\n",
    });
  });

  test("reads JSON manifests, one object per file, and the items of a List", async () => {
    expect(await run("manifests")).toEqual({
      code: 1,
      stdout: [
        "manifests",
        "  (top level)",
        "    no-plaintext-credentials (error)",
        "      manifests/configmaps.json: ConfigMap/mail: items[1].data.SMTP_PASS: expected no credential in a ConfigMap, got key 'SMTP_PASS'; keep it in a Secret produced by an ExternalSecret",
        "",
        "validation failed: 1 error, 0 warnings, 0 allowed exceptions in 2 objects (1 file)",
        "",
      ].join("\n"),
      stderr: "",
    });
  });

  test("exits 2 on JSON that does not parse or holds anything but one object, naming file, line and column", async () => {
    expect(await run("broken-json")).toEqual({
      code: 2,
      stdout: "",
      stderr: [
        "broken-json/array.json: expected one JSON object (Argo CD reads one object per .json file), got a list",
        "broken-json/trailing-comma.json:5:1: JSON syntax error",
        "",
      ].join("\n"),
    });
  });

  test("exits 2 on a folder it read no object from, rather than passing it", async () => {
    expect(await run("empty")).toEqual({
      code: 2,
      stdout: "",
      stderr: "empty: no Kubernetes object found in 0 manifest file(s) (*.yaml, *.yml, *.json; kustomization.yaml aside); nothing was validated\n",
    });
  });

  test("exits 2 on usage errors", async () => {
    expect(await run("--profile", "lax")).toMatchObject({ code: 2, stderr: expect.stringContaining("--profile: expected strict or default, got 'lax'") });
    expect(await run("--verbose")).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option '--verbose'") });
    expect(await run("dist", "charts")).toMatchObject({ code: 2, stderr: expect.stringContaining("expected one path, got 'dist' and 'charts'") });
    expect(await run("missing")).toEqual({ code: 2, stdout: "", stderr: "missing: no such file or folder\n" });
  });

  test("the bundled entry point (as npm run validate builds it) prints the report and sets the exit code", () => {
    const bundle = join(ROOT, ".build", "test", "validate.js");
    execFileSync(join(ROOT, "node_modules", ".bin", "esbuild"), ["cli/validate.ts", "--bundle", "--platform=node", "--packages=external", `--outfile=${bundle}`, "--log-level=warning"], { cwd: ROOT });
    const result = spawnSync(process.execPath, [bundle], { cwd: REPO, encoding: "utf8" });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 1, stdout: PROD_REPORT, stderr: "" });
  });
});
