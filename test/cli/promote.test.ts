import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parseTexts } from "../../review/objects";
import { diffTrees } from "../../review/semantic-diff";
import { bundle, createProject, Project, ROOT } from "../support/project";
import { readTree } from "../support/tree";

const FIXTURES = join(__dirname, "fixtures/environments");
const API142 = `sha256:${"a142".repeat(16)}`;
const API150 = `sha256:${"a150".repeat(16)}`;
const WEB231 = `sha256:${"b231".repeat(16)}`;
const WEB240 = `sha256:${"b240".repeat(16)}`;
const ALWAYS_OPEN_FREEZE = '    - { kind: deny, schedule: "* * * * *", duration: 1h, timeZone: Europe/Berlin, description: Release freeze }\n';

let synth: string;
let promote: string;
let validate: string;
let base: Project;

beforeAll(() => {
  synth = bundle("main.ts", "promote-test");
  promote = bundle("cli/promote.ts", "promote-test");
  validate = bundle("cli/validate.ts", "promote-test");
  base = createProject(FIXTURES, synth);
});

/** The field paths that changed in dist/ between the last commit and the working tree, as `group kind/name field`. */
function changedFields(project: Project): string[] {
  const committed = new Map(
    project
      .git("ls-files", "dist")
      .split("\n")
      .filter(Boolean)
      .map((path) => [path.slice("dist/".length), project.git("show", `HEAD:${path}`)] as [string, string]),
  );
  const now = new Map(Object.entries(readTree(join(project.dir, "dist"))));
  return diffTrees(parseTexts(committed), parseTexts(now)).flatMap(({ group, objects }) =>
    objects.flatMap((o) => (o.fields.length ? o.fields.map((f) => `${group.env}/${group.stack} ${o.kind}/${o.name} ${f.path}`) : [`${o.status} ${o.kind}/${o.name}`])),
  );
}

/** Only image references and the version labels derived from them. */
const IMAGE_FIELD = /(\.image|\["app\.kubernetes\.io\/version"\])$/;

/** The suite's own checks on a project: a fresh synth renders exactly its dist/, and its dist/ passes validation. */
function expectChecksPass(project: Project): void {
  const out = join(project.dir, ".build/fresh-dist");
  expect(project.run(synth, "--out", out, "--quiet").status).toBe(0);
  expect(readTree(out)).toEqual(readTree(join(project.dir, "dist")));
  const validated = project.run(validate);
  expect([validated.status, validated.stdout]).toEqual([0, expect.stringContaining("0 errors, 0 warnings")]);
}

describe("npm run promote", () => {
  test("promotes staging's images into prod: prints each change, edits only the image lines, re-renders dist/prod", () => {
    const p = base.clone("promote-api");
    const result = p.run(promote, "staging", "prod");
    expect(result).toEqual({
      status: 0,
      stdout: [
        "promote staging → prod: 1 image",
        "  web/api: 1.4.2@sha256:a142a142a142… → 1.5.0@sha256:a150a150a150…",
        "  unchanged: web/database, web/cache, web/proxy, web/frontend",
        "wrote environments/prod.yaml; rendered dist/prod/ (51 objects, validation: 0 errors)",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(p.git("diff", "--", "environments")).toContain(
      `         # the version customers run\n-        tag: 1.4.2\n-        digest: ${API142}\n+        tag: 1.5.0\n+        digest: ${API150}\n`,
    );
    expect(p.git("diff", "--numstat", "--", "environments")).toBe("2\t2\tenvironments/prod.yaml\n");
    const fields = changedFields(p);
    expect(fields.filter((f) => !IMAGE_FIELD.test(f) || !f.startsWith("prod/web "))).toEqual([]);
    expect(fields).toContain("prod/web Deployment/api spec.template.spec.containers[api].image");
    expect(fields).toContain('prod/web Deployment/api metadata.labels["app.kubernetes.io/version"]');
    expectChecksPass(p);
  });

  test("--stack and --component choose what moves; --commit-message writes the commit message", () => {
    const p = base.clone("promote-frontend");
    const result = p.run(promote, "dev", "staging", "--stack", "web", "--component", "frontend", "--commit-message", "PROMOTE_MSG");
    expect([result.status, result.stdout]).toEqual([0, expect.stringContaining("  web/frontend: 2.3.1@sha256:b231b231b231… → 2.4.0@sha256:b240b240b240…\n")]);
    expect(readFileSync(join(p.dir, "PROMOTE_MSG"), "utf8")).toBe(
      "Promote dev → staging: web/frontend 2.4.0\n\nweb/frontend: 2.3.1@sha256:b231b231b231… → 2.4.0@sha256:b240b240b240…\n",
    );
    expect(p.git("diff", "--", "environments/staging.yaml")).toContain(`-      image: { repository: ghcr.io/acme/shop-web, tag: 2.3.1, digest: ${WEB231} }\n+      image: { repository: ghcr.io/acme/shop-web, tag: 2.4.0, digest: ${WEB240} }\n`);
    expect(changedFields(p).filter((f) => !IMAGE_FIELD.test(f) || !f.startsWith("staging/web "))).toEqual([]);
  });

  test("nothing to promote exits 3, so CI can skip the pull request", () => {
    const p = base.clone("nothing");
    expect(p.run(promote, "staging", "prod", "--component", "frontend")).toEqual({
      status: 3,
      stdout: "promote staging → prod: nothing to promote: prod already runs staging's images (web/frontend 2.3.1@sha256:b231b231b231…)\n",
      stderr: "",
    });
  });

  test("--dry-run prints the plan and writes nothing", () => {
    const p = base.clone("dry-run");
    const before = p.files();
    const result = p.run(promote, "staging", "prod", "--dry-run");
    expect([result.status, result.stdout]).toEqual([0, expect.stringMatching(/web\/api: 1\.4\.2@sha256:a142a142a142… → 1\.5\.0@sha256:a150a150a150…\n {2}unchanged: .*\ndry run: nothing written\n$/)]);
    expect(p.files()).toEqual(before);
  });

  describe("refuses, writing nothing", () => {
    /** Runs promote in a fresh clone (after `prepare`, committed) and checks that no file changed. */
    function refused(args: string[], prepare?: (p: Project) => void) {
      const p = base.clone("refused");
      if (prepare) {
        prepare(p);
        p.git("commit", "--quiet", "-am", "prepare");
      }
      const before = p.files();
      const result = p.run(promote, ...args);
      expect(p.files()).toEqual(before);
      return result;
    }

    test("an unknown environment, stack or component (exit 2)", () => {
      expect(refused(["staging", "qa"])).toEqual({
        status: 2,
        stdout: "",
        stderr: "promote: unknown environment 'qa': expected one of dev, prod, staging (files in environments/)\n",
      });
      expect(refused(["staging", "prod", "--stack", "shop"])).toEqual({
        status: 2,
        stdout: "",
        stderr:
          "promote: unknown stack 'shop': environments/staging.yaml has no stacks.shop with images (its stacks: web)\n" +
          "promote: unknown stack 'shop': environments/prod.yaml has no stacks.shop with images (its stacks: web)\n",
      });
      expect(refused(["staging", "prod", "--component", "worker"]).stderr).toBe(
        "promote: unknown component 'worker': environments/staging.yaml pins no image for it in the selected stacks (its components: api, database, cache, proxy, frontend)\n" +
          "promote: unknown component 'worker': environments/prod.yaml pins no image for it in the selected stacks (its components: api, database, cache, proxy, frontend)\n",
      );
    });

    test("an image without a digest into an environment that pins digests (exit 1)", () => {
      expect(refused(["dev", "staging", "--component", "api"])).toEqual({
        status: 1,
        stdout: "",
        stderr:
          "environments/dev.yaml: stacks.web.api.image: ghcr.io/acme/shop-api:1.6.0-rc.1 has no digest, but staging pins every image by digest (policy.requireImageDigests in environments/staging.yaml); add its digest to environments/dev.yaml first\n" +
          "promote: refused; nothing written\n",
      });
    });

    test("while a deny sync window of the target is open (exit 1)", () => {
      const freeze = (p: Project) => {
        const file = join(p.dir, "environments/prod.yaml");
        writeFileSync(file, readFileSync(file, "utf8").replace("  syncWindows:\n", `  syncWindows:\n${ALWAYS_OPEN_FREEZE}`));
      };
      const result = refused(["staging", "prod"], freeze);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^environments\/prod\.yaml: argocd\.syncWindows: prod is frozen: deny window 'Release freeze' \(\* \* \* \* \* for 1h, Europe\/Berlin\) is open from \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin until \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin; promote after it closes, or pass --override-freeze "reason" \(recorded in the commit message\)\npromote: refused; nothing written\n$/,
      );
    });

    test("when the render fails, the target's environment file is restored", () => {
      const breakStaging = (p: Project) => {
        const file = join(p.dir, "environments/staging.yaml");
        writeFileSync(file, readFileSync(file, "utf8").replace("      replicas: 2\n      env:", "      replicas: 0\n      env:"));
      };
      const result = refused(["staging", "prod"], breakStaging);
      expect(result).toEqual({
        status: 1,
        stdout: expect.stringMatching(/^promote staging → prod: 1 image\n/),
        stderr: "environments/staging.yaml:23:17: stacks.web.api.replicas: expected a number ≥ 1, got 0\npromote: refused; nothing written\n",
      });
    });

    test("bad arguments (exit 2, with the usage)", () => {
      const result = refused(["staging"]);
      expect([result.status, result.stderr.split("\n").slice(0, 2)]).toEqual([2, ["promote: expected <from> and <to> environments, got 'staging'", "usage: npm run promote -- <from> <to> [options]"]]);
      expect(refused(["prod", "prod"]).stderr).toMatch(/^promote: <from> and <to> are both 'prod': expected two different environments\n/);
      expect(refused(["staging", "prod", "--override-freeze"]).stderr).toMatch(/^promote: --override-freeze \(the reason, recorded in the commit message\): expected a value\n/);
    });
  });

  test("--override-freeze promotes during a freeze and records the reason in the commit message", () => {
    const p = base.clone("override");
    const file = join(p.dir, "environments/prod.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("  syncWindows:\n", `  syncWindows:\n${ALWAYS_OPEN_FREEZE}`));
    p.run(synth, "--quiet");
    p.git("commit", "--quiet", "-am", "freeze");
    const result = p.run(promote, "staging", "prod", "--override-freeze", "hotfix for INC-42", "--commit-message", "PROMOTE_MSG");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\n {2}freeze overridden \(deny window 'Release freeze' .* is open from .*\): hotfix for INC-42\n/);
    expect(result.stdout).toMatch(/\nFreeze-Override: hotfix for INC-42\n$/);
    expect(readFileSync(join(p.dir, "PROMOTE_MSG"), "utf8")).toMatch(
      /^Promote staging → prod: web\/api 1\.5\.0\n\nweb\/api: 1\.4\.2@sha256:a142a142a142… → 1\.5\.0@sha256:a150a150a150…\n\nFreeze window overridden: deny window 'Release freeze' \(\* \* \* \* \* for 1h, Europe\/Berlin\) is open from .*\nFreeze-Override: hotfix for INC-42\n$/,
    );
  });
});

describe("the daily workflow keeps CI green", () => {
  test("with the live environment files: dev gets new digests, promote dev → staging, and the suite's checks pass", () => {
    const project = createProject(join(ROOT, "environments"), synth);
    const p = project.clone("daily");
    // The app's CI publishes images and pins dev to them by digest.
    const devFile = join(p.dir, "environments/dev.yaml");
    const dev = parseDocument(readFileSync(devFile, "utf8"));
    const stacks = dev.get("stacks") as { items: { key: { value: string }; value: { items: { key: { value: string } }[] } }[] };
    for (const stack of stacks.items) {
      for (const component of stack.value.items) {
        if (dev.getIn(["stacks", stack.key.value, component.key.value, "image"])) {
          dev.setIn(["stacks", stack.key.value, component.key.value, "image", "digest"], `sha256:${"d".repeat(64)}`);
        }
      }
    }
    writeFileSync(devFile, dev.toString());
    expect(p.run(synth, "--quiet").status).toBe(0);
    p.git("commit", "--quiet", "-am", "CI: pin dev's images by digest");

    const result = p.run(promote, "dev", "staging");
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(result.stdout).toMatch(/^promote dev → staging: \d+ images?\n/);
    const fields = changedFields(p);
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.filter((f) => !IMAGE_FIELD.test(f) || !f.startsWith("staging/"))).toEqual([]);
    expectChecksPass(p);
  });
});
