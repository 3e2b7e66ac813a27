import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow, type ValidationError } from "@action-validator/core";
import { parse } from "yaml";

/**
 * The workflows against GitHub's workflow schema (SchemaStore's, as @action-validator/core embeds it), and
 * the properties that keep them safe: actions pinned to commits, pull-request code never run with a token
 * that can write, no workflow input or event text pasted into a shell script.
 */
const ROOT = join(__dirname, "../..");
const DIR = join(ROOT, ".github/workflows");
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(DIR, file), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps: Step[];
  strategy?: { matrix?: Record<string, unknown> };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(text(file)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Every error of a validation, nested ones included, as `path: title (detail)`. */
function messages(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const own = `${"path" in e ? e.path : ""}: ${e.title}${e.detail ? ` (${e.detail})` : ""}`;
    const nested = "states" in e && e.states ? e.states.flatMap((s) => messages(s.errors)) : [];
    return [own, ...nested];
  });
}

describe("GitHub workflows", () => {
  test("the repository has the CI, pull-request diff and promotion workflows", () => {
    expect(files).toEqual(["ci.yml", "pr-diff-comment.yml", "pr-diff.yml", "promote.yml"]);
  });

  test.each(files)("%s is valid against GitHub's workflow schema", (file) => {
    const result = validateWorkflow(text(file));
    expect([file, messages(result.errors)]).toEqual([file, []]);
  });

  test("the schema check is real: a misspelt key, a wrong trigger and a bad permission are refused", () => {
    const ci = text("ci.yml");
    for (const broken of [ci.replace("runs-on:", "runs_on:"), ci.replace("pull_request:", "pull_requests:"), ci.replace("contents: read", "contents: readd")]) {
      expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    }
  });

  test("every action is pinned to a full commit, its version in a comment", () => {
    const uses = files.flatMap((f) => text(f).split("\n").filter((l) => /^\s*(- )?uses:/.test(l)).map((l) => `${f}: ${l.trim()}`));
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((l) => !/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(l))).toEqual([]);
  });

  test("no workflow input or event text is pasted into a shell script: it goes through environment variables", () => {
    const pasted = files.flatMap((f) =>
      steps(workflow(f))
        .filter((s) => s.run && /\$\{\{\s*(inputs\.|github\.event\.|github\.head_ref)/.test(s.run))
        .map((s) => `${f}: ${s.run}`),
    );
    expect(pasted).toEqual([]);
  });

  test("CI tests on every supported Node.js line (package.json engines) and checks dist/ and cdk8s synth", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    const lines = ci.jobs.test.strategy?.matrix?.node;
    expect(lines).toEqual([22, 24]);
    const engines = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    expect([engines, /^>=(\d+)\./.exec(engines)?.[1]]).toEqual([">=22.11", String((lines as number[])[0])]);
    const runs = steps(ci).flatMap((s) => s.run ?? []);
    for (const command of ["npm ci", "npm run typecheck", "npm run synth", "git status --porcelain --untracked-files=all -- dist", "npx cdk8s synth --no-check-upgrade", "npm test"]) {
      expect([command, runs.some((r) => r.includes(command))]).toEqual([command, true]);
    }
  });

  test("the pull-request diff runs pull-request code with a read-only token; the comment is posted by a workflow that runs none", () => {
    const diff = workflow("pr-diff.yml");
    expect(Object.keys(diff.on)).toEqual(["pull_request"]);
    expect(diff.permissions).toEqual({ contents: "read" });
    expect(text("pr-diff.yml")).not.toContain("secrets.");

    const comment = workflow("pr-diff-comment.yml");
    expect(comment.on).toEqual({ workflow_run: { workflows: ["PR diff"], types: ["completed"] } });
    expect(comment.permissions).toEqual({});
    expect(comment.jobs.comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    expect(steps(comment).map((s) => s.uses?.split("@")[0] ?? "run")).toEqual(["actions/download-artifact", "run"]);
    expect(steps(comment).some((s) => /npm|node|checkout/.test(s.run ?? ""))).toBe(false);
  });

  test("promotion is started by hand with from, to, stack, component and a freeze override reason", () => {
    const promote = workflow("promote.yml");
    const dispatch = promote.on.workflow_dispatch as { inputs: Record<string, { required: boolean }> };
    expect(Object.entries(dispatch.inputs).map(([k, v]) => `${k}${v.required ? "" : "?"}`)).toEqual(["from", "to", "stack?", "component?", "override_freeze?"]);
    const run = steps(promote).flatMap((s) => s.run ?? []).join("\n");
    expect(run).toContain('if [ "$code" -eq 3 ]; then');
    expect(run).toContain("gh pr create");
    expect(run).toContain("npm run --silent diff -- --base HEAD --format markdown");
  });

  test("CODEOWNERS names the owners of prod's environment file and rendered manifests", () => {
    const owners = readFileSync(join(ROOT, ".github/CODEOWNERS"), "utf8");
    expect(owners).toMatch(/^\/environments\/prod\.yaml\s+@\S+/m);
    expect(owners).toMatch(/^\/dist\/prod\/\s+@\S+/m);
  });
});
