import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMMENT_MARKER } from "../../review/format";
import { bundle, createProject, Project } from "../support/project";

const FIXTURES = join(__dirname, "fixtures/environments");
const API142 = `sha256:${"a142".repeat(16)}`;
const API150 = `sha256:${"a150".repeat(16)}`;

let synth: string;
let promote: string;
let diff: string;
let base: Project;
/** main's commit, as the report names it. */
let short: string;
/** A branch that promotes staging's api into prod and shrinks prod's database volume, committed with its dist/. */
let feature: Project;

function edit(p: Project, file: string, from: string, to: string): void {
  const path = join(p.dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no '${from}'`);
  writeFileSync(path, text.replace(from, to));
}

beforeAll(() => {
  synth = bundle("main.ts", "diff-test");
  promote = bundle("cli/promote.ts", "diff-test");
  diff = bundle("cli/diff.ts", "diff-test");
  base = createProject(FIXTURES, synth);
  short = base.git("rev-parse", "--short=7", "main").trim();
  feature = base.clone("feature");
  expect(feature.run(promote, "staging", "prod", "--component", "api").status).toBe(0);
  edit(feature, "environments/prod.yaml", "storage: { size: 100Gi, storageClassName: fast-ssd }", "storage: { size: 50Gi, storageClassName: fast-ssd }");
  expect(feature.run(synth, "--quiet").status).toBe(0);
  feature.git("commit", "--quiet", "-am", "Promote api to prod; smaller database volume");
});

describe("npm run diff", () => {
  test("compares the working tree with main's committed dist/: risky changes first, then env/stack → object → field", () => {
    const result = feature.run(diff);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^diff: merge base with main @ ${short}, committed dist/ → working tree in \\d+\\.\\d\\d s\\n$`));
    const out = result.stdout;
    expect(out).toMatch(
      new RegExp(
        `^slipway diff: merge base with main @ ${short} \\(committed dist/\\) → working tree\\n` +
          "risky changes \\(1\\):\\n" +
          "  ! prod/web StatefulSet database: volumeClaimTemplates\\[data\\]: storage shrinks 100Gi → 50Gi: Kubernetes cannot shrink a volume\\n\\n" +
          "prod/web: \\d+ changed\\n",
      ),
    );
    expect(out).toContain("  ~ StatefulSet database (database.yaml)\n      spec.volumeClaimTemplates[data].spec.resources.requests.storage: 100Gi → 50Gi\n");
    expect(out).toContain(
      "  ~ Deployment api (api.yaml)\n" +
        '      metadata.labels["app.kubernetes.io/version"]: 1.4.2 → 1.5.0\n' +
        '      spec.template.metadata.labels["app.kubernetes.io/version"]: 1.4.2 → 1.5.0\n' +
        `      spec.template.spec.containers[api].image: ghcr.io/acme/shop-api:1.4.2@${API142} → ghcr.io/acme/shop-api:1.5.0@${API150}\n`,
    );
    expect(out).toMatch(/\n\nunchanged: argocd, dev\/web, staging\/web\nsummary: \d+ changed in 1 of 4 folders; 1 risky\n$/);
    const fieldLines = out.split("\n").filter((l) => l.startsWith("      "));
    // The image, its version labels, and the volume with the namespace's storage quota derived from it.
    const expected = /^ {6}(\S+\.image|\S+\["app\.kubernetes\.io\/version"\]|spec\.volumeClaimTemplates\[data\]\.spec\.resources\.requests\.storage|spec\.hard\["requests\.storage"\]): /;
    expect(fieldLines.filter((l) => !expected.test(l))).toEqual([]);
  });

  test("--format markdown: a PR comment with the marker, the risks, the summary table and a section per environment", () => {
    const result = feature.run(diff, "--format", "markdown");
    expect(result.status).toBe(0);
    const md = result.stdout;
    expect(md.startsWith(`${COMMENT_MARKER}\n### Slipway diff\n\nmerge base with main @ ${short} (committed dist/) → working tree\n\n> [!CAUTION]\n> **1 risky change**\n`)).toBe(true);
    expect(md).toContain("> - **prod/web** StatefulSet `database`: volumeClaimTemplates[data]: storage shrinks 100Gi → 50Gi: Kubernetes cannot shrink a volume\n");
    expect(md).toMatch(/\n\| environment \| stack \| added \| removed \| changed \| risky \|\n\|---\|---\|--:\|--:\|--:\|--:\|\n\| prod \| web \| 0 \| 0 \| \d+ \| 1 \|\n\n<details><summary><b>prod<\/b>: \d+ changed<\/summary>\n/);
    expect(md).toContain("  - `spec.volumeClaimTemplates[data].spec.resources.requests.storage`: `100Gi` → `50Gi`\n");
  });

  test("--base names the base; the same tree gives no changes", () => {
    const result = feature.run(diff, "--base", "HEAD");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`slipway diff: HEAD @ ${feature.git("rev-parse", "--short=7", "HEAD").trim()} (committed dist/) → working tree\n\nunchanged: argocd, dev/web, prod/web, staging/web\nsummary: no changes in 0 of 4 folders\n`);
  });

  test("--render-base renders the base commit's sources with its own code, and finds the same changes", () => {
    const committed = feature.run(diff).stdout;
    const rendered = feature.run(diff, "--render-base");
    expect([rendered.status, rendered.stderr]).toEqual([0, expect.stringContaining(`diff: merge base with main @ ${short}, rendered from its sources → working tree in`)]);
    expect(rendered.stdout).toBe(committed.replace("(committed dist/)", "(rendered from its sources)"));
  });

  test("changes not yet rendered are diffed from the sources, with a note that dist/ is stale", () => {
    const p = feature.clone("stale");
    edit(p, "environments/prod.yaml", "LOG_LEVEL: warning", "LOG_LEVEL: error");
    const out = p.run(diff, "--base", "feature").stdout;
    expect(out).toContain("\nnote: the working tree's dist/ is not what its sources render: run `npm run synth` and commit dist/ (CI fails until then)\n");
    expect(out).toContain("  ~ Deployment api (api.yaml)\n      spec.template.spec.containers[api].env[LOG_LEVEL].value: warning → error\n");
  });

  test("--envs staging prod: what differs between two environments, namespaces aside", () => {
    const result = base.run(diff, "--envs", "staging", "prod");
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out.startsWith("slipway diff: staging → prod: what differs between the two environments (working tree)\n\nstaging → prod/web: ")).toBe(true);
    expect(out).toContain(`      spec.template.spec.containers[api].image: ghcr.io/acme/shop-api:1.5.0@${API150} → ghcr.io/acme/shop-api:1.4.2@${API142}\n`);
    expect(out).toContain("      spec.template.spec.containers[api].env[LOG_LEVEL].value: info → warning\n");
    expect(out).not.toContain("metadata.namespace");
  });

  describe("errors", () => {
    test("bad arguments and unknown refs exit 2 with the reason", () => {
      const format = feature.run(diff, "--format", "html");
      expect([format.status, format.stderr.split("\n")[0]]).toEqual([2, "diff: --format: expected text or markdown, got 'html'"]);
      const ref = feature.run(diff, "--base", "nope");
      expect([ref.status, ref.stderr.split("\n")[0]]).toEqual([2, "diff: --base: 'nope' names no commit in this repository"]);
      const envs = feature.run(diff, "--envs", "staging", "qa");
      expect([envs.status, envs.stderr.split("\n")[0]]).toEqual([2, "diff: unknown environment 'qa': expected one of dev, prod, staging (files in environments/)"]);
    });

    test("a working tree that does not render exits 1 with the problems", () => {
      const p = feature.clone("broken");
      edit(p, "environments/prod.yaml", "replicas: 3", "replicas: many");
      const result = p.run(diff);
      expect(result).toEqual({
        status: 1,
        stdout: "",
        stderr: expect.stringMatching(/^environments\/prod\.yaml:\d+:\d+: stacks\.web\.frontend\.replicas: .*\ndiff: the working tree does not render\n$/),
      });
    });
  });
});
