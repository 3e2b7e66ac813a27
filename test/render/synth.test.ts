import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
import { ApiObject, Chart, Testing } from "cdk8s";
import { synth, TypeCheckFailed, validateFiles, ValidationFailed } from "../../cli/synth";
import { collectFiles } from "../../render/files";
import { runValidateCli } from "../../cli/validate";
import { DEFAULT_PROFILE } from "../../validation";
import { ConfigError } from "../../environments";
import { kubectl } from "../support/kubectl";
import { readTree } from "../support/tree";

const ROOT = join(__dirname, "../..");
const scratch = () => mkdtempSync(join(tmpdir(), "slipway-synth-"));

async function problemsOf(fn: () => Promise<unknown>): Promise<readonly string[]> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

/** A throwaway project root with a copy of the repository's environments. */
function projectCopy(): string {
  const root = scratch();
  cpSync(join(ROOT, "environments"), join(root, "environments"), { recursive: true });
  return root;
}

describe("synth", () => {
  const fresh = scratch();
  beforeAll(() => synth({ root: ROOT, outDir: join(fresh, "dist") }));

  test("the committed dist/ is exactly what a fresh synth renders (run `npm run synth` and commit dist/ when this fails)", () => {
    const committed = readTree(join(ROOT, "dist"));
    const rendered = readTree(join(fresh, "dist"));
    expect(Object.keys(committed)).toEqual(Object.keys(rendered));
    for (const path of Object.keys(rendered)) expect([path, committed[path]]).toEqual([path, rendered[path]]);
  });

  test("renders byte-identical output on every run", async () => {
    const again = join(scratch(), "dist");
    await synth({ root: ROOT, outDir: again });
    expect(readTree(again)).toEqual(readTree(join(fresh, "dist")));
  });

  test("every folder builds with kubectl kustomize", () => {
    const folders = [...new Set(Object.keys(readTree(join(fresh, "dist"))).map((p) => p.slice(0, p.lastIndexOf("/"))))].filter(
      (f) => f !== "argocd",
    );
    expect(folders).toEqual(["dev/web", "prod/web", "staging/web"]);
    for (const folder of folders) {
      const built = execFileSync(kubectl(), ["kustomize", join(fresh, "dist", folder)], { encoding: "utf8" });
      const objects = built.split(/^---$/m).length;
      const listed = Object.entries(readTree(join(fresh, "dist", folder)))
        .filter(([name]) => name !== "kustomization.yaml")
        .reduce((n, [, text]) => n + text.split(/^---$/m).length, 0);
      expect([folder, objects]).toEqual([folder, listed]);
    }
  });

  test("files of a stack removed from the environments disappear from the output", async () => {
    const out = join(scratch(), "dist");
    mkdirSync(join(out, "qa/legacy"), { recursive: true });
    writeFileSync(join(out, "qa/legacy/api.yaml"), "kind: Stale\n");
    await synth({ root: ROOT, outDir: out });
    expect(Object.keys(readTree(out)).filter((p) => p.startsWith("qa/"))).toEqual([]);
  });

  test("--env rewrites only that environment's folder and keeps the others as they were", async () => {
    const out = join(scratch(), "dist");
    cpSync(join(fresh, "dist"), out, { recursive: true });
    writeFileSync(join(out, "dev/web/api.yaml"), "hand-edited\n");
    writeFileSync(join(out, "prod/web/api.yaml"), "hand-edited\n");
    await synth({ root: ROOT, outDir: out, only: ["prod"] });
    expect(readFileSync(join(out, "dev/web/api.yaml"), "utf8")).toBe("hand-edited\n");
    expect(readFileSync(join(out, "prod/web/api.yaml"), "utf8")).toBe(readFileSync(join(fresh, "dist/prod/web/api.yaml"), "utf8"));
  });

  test("a type-check that fails while the render runs stops the write", async () => {
    const out = join(scratch(), "dist");
    cpSync(join(fresh, "dist"), out, { recursive: true });
    writeFileSync(join(out, "prod/web/api.yaml"), "as it was\n");
    const failing = async () => {
      throw new TypeCheckFailed("stacks/web.ts(3,1): error TS2304: Cannot find name 'oops'.");
    };
    await expect(synth({ root: ROOT, outDir: out, beforeWrite: failing })).rejects.toBeInstanceOf(TypeCheckFailed);
    expect(readFileSync(join(out, "prod/web/api.yaml"), "utf8")).toBe("as it was\n");
  });

  test("a construct error names the environment file and stack, and leaves the output untouched", async () => {
    const root = projectCopy();
    const prod = join(root, "environments/prod.yaml");
    writeFileSync(prod, readFileSync(prod, "utf8").replace("maxmemory: 400mb", "maxmemory: 900mb"));
    const out = join(root, "dist");
    cpSync(join(fresh, "dist"), out, { recursive: true });
    const before = readTree(out);
    expect(await problemsOf(() => synth({ root, outDir: out }))).toEqual([
      `${relative(process.cwd(), prod)}: stacks.web: Cache 'cache': 'maxmemory' 900mb must stay below 90% of the memory limit 512Mi (Redis needs headroom); raise resources.memory or lower maxmemory`,
    ]);
    expect(readTree(out)).toEqual(before);
  });
});

describe("the validation gate in synth", () => {
  test("the committed dist/ passes validation with zero errors and zero warnings", async () => {
    const out: string[] = [];
    const code = await runValidateCli([], { cwd: ROOT, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect([code, out.join("\n")]).toEqual([0, expect.stringMatching(/0 errors, 0 warnings/)]);
  });

  test("an object that breaks a policy fails validation with the rule, file, object and field", async () => {
    const chart = new Chart(Testing.app(), "t", { namespace: "shop", disableResourceNameHashes: true });
    // A raw object, as a user might add to a stack: a debug pod running privileged.
    new ApiObject(chart, "debug", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "debug" },
      spec: { containers: [{ name: "shell", image: "busybox:1.36", securityContext: { privileged: true } }] },
    });
    const failure = await validateFiles(collectFiles([{ chart, folder: "t/web", source: "test" }]), () => DEFAULT_PROFILE).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ValidationFailed);
    const findings = (failure as ValidationFailed).report.findings.map((f) => `${f.rule}: ${f.path}: ${f.kind}/${f.name}: ${f.field}`);
    expect(findings).toContain("no-privileged: t/web/debug.yaml: Pod/debug: spec.containers[0].securityContext.privileged");
  });
});

describe("the synth command", () => {
  // Inside the repository, so the bundle's external packages resolve from its node_modules.
  const bundle = join(ROOT, ".build/test/main.js");
  beforeAll(() => {
    buildSync({ entryPoints: [join(ROOT, "main.ts")], bundle: true, platform: "node", packages: "external", outfile: bundle, logLevel: "error" });
  });
  const run = (cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [bundle, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });

  test("prints one line per folder and a summary", () => {
    const root = projectCopy();
    const result = run(root);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}dev\/web +\d+ objects$/m);
    expect(result.stdout).toMatch(
      /^synth: \d+ objects in \d+ folders → dist\/ \(\d+ files\) in \d+\.\d\d s; validation: 0 errors, 0 warning\(s\), 0 allowed exception\(s\)$/m,
    );
  });

  test("renders the committed dist/ byte for byte in another locale and time zone", () => {
    const root = projectCopy();
    const result = run(root, [], { LC_ALL: "sv_SE.UTF-8", LANG: "sv_SE.UTF-8", TZ: "Pacific/Kiritimati" });
    expect(result.status).toBe(0);
    expect(readTree(join(root, "dist"))).toEqual(readTree(join(ROOT, "dist")));
  });

  test("bad input exits 1, names the file, field path and expectation, and leaves dist/ byte-identical", () => {
    const root = projectCopy();
    cpSync(join(ROOT, "dist"), join(root, "dist"), { recursive: true });
    const before = readTree(join(root, "dist"));
    const staging = join(root, "environments/staging.yaml");
    writeFileSync(staging, readFileSync(staging, "utf8").replace("replicas: 2\n      config:", "replicas: -3\n      config:"));
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "environments/staging.yaml:29:17: stacks.web.api.replicas: expected a number ≥ 1, got -3\nsynth: 1 problem(s); output left unchanged\n",
    );
    expect(readTree(join(root, "dist"))).toEqual(before);
  });

  test("an unknown environment exits 1 and lists the known ones", () => {
    const result = run(projectCopy(), ["--env", "qa"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "unknown environment 'qa': expected one of dev, prod, staging (files in environments/)\nsynth: 1 problem(s); output left unchanged\n",
    );
  });
});
