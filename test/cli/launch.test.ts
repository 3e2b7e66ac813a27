import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readTree } from "../support/tree";

const ROOT = join(__dirname, "../..");

/** A throwaway project: the real launcher, tsconfigs and lockfile, the repository's node_modules, and `files`. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-launch-"));
  for (const file of ["cli/launch.mjs", "tsconfig.json", "tsconfig.synth.json", "package-lock.json"]) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(root, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const launch = (root: string, args: string[] = []) =>
  spawnSync(process.execPath, [join(root, "cli/launch.mjs"), "synth", ...args], { cwd: root, encoding: "utf8" });

/** A main.ts as the launcher expects: it waits for the type-check before it writes. */
const MAIN = `import { writeFileSync } from "node:fs";
import { port } from "./lib/port";

export class TypeCheckFailed extends Error {
  constructor(readonly output: string) {
    super("type errors");
  }
}

export async function main(_argv: string[], beforeWrite: () => Promise<void>): Promise<void> {
  try {
    await beforeWrite();
    writeFileSync("written", String(port));
  } catch (e) {
    if (!(e instanceof TypeCheckFailed)) throw e;
    console.error(e.output.trimEnd());
    process.exitCode = 1;
  }
}
`;

describe("the launcher (cli/launch.mjs)", () => {
  test("a stack trace from a bundled command names the .ts file and line, not .build/main.js", () => {
    const root = project({
      "main.ts": MAIN,
      "lib/port.ts": `export const port = explode();

function explode(): number {
  throw new Error("boom while loading the stack");
}
`,
    });
    const result = launch(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Error: boom while loading the stack");
    expect(result.stderr).toMatch(new RegExp(`^ +at explode \\(${join(root, "lib/port.ts")}:4:9\\)$`, "m"));
    expect(result.stderr).toMatch(new RegExp(`^ +at .*\\(?${join(root, "lib/port.ts")}:1:21\\)?$`, "m"));
    expect(result.stderr).not.toContain(".build/main.js");
  }, 60_000);

  test("`tsc -b` type-checks beside the render: a type error stops the write; once fixed, the write happens", () => {
    const root = project({ "main.ts": MAIN, "lib/port.ts": `export const port: number = "8080";\n` });
    const failed = launch(root);
    expect([failed.status, failed.stderr]).toEqual([1, "lib/port.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n"]);
    expect(existsSync(join(root, "written"))).toBe(false);

    writeFileSync(join(root, "lib/port.ts"), "export const port: number = 8080;\n");
    const fixed = launch(root);
    expect([fixed.status, fixed.stderr]).toEqual([0, ""]);
    expect(readTree(root).written).toBe("8080");
  }, 60_000);

  test("a package that requires the deprecated built-in punycode gets the userland package: no DEP0040 on Node 22 and later", () => {
    const root = project({
      "main.ts": MAIN,
      // kubernetes-models' validators reach punycode through ajv-formats-draft2019's idn-hostname format.
      "lib/port.ts": `const isHostname: (value: string) => boolean = require("ajv-formats-draft2019/formats/idn-hostname");
export const port = isHostname("bücher.example") ? 8080 : 0;
`,
    });
    const result = launch(root);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(readTree(root).written).toBe("8080");
    const bundles = readdirSync(join(root, ".build")).filter((f) => /^vendor-\w+-\w+\.cjs$/.test(f));
    expect(bundles).toHaveLength(1);
    expect(readFileSync(join(root, ".build", bundles[0]), "utf8")).not.toMatch(/require\(["']punycode["']\)/);
  }, 60_000);

  test("a run with nothing changed loads the last bundle; an edited source or a new file beside the sources rebuilds it", () => {
    const root = project({ "main.ts": MAIN, "lib/port.ts": "export const port = 8080;\n" });
    const bundle = join(root, ".build/main.js");
    const built = () => statSync(bundle).mtimeMs;
    expect(launch(root).status).toBe(0);
    const first = built();
    expect(launch(root).status).toBe(0);
    expect(built()).toBe(first);

    writeFileSync(join(root, "lib/port.ts"), "export const port = 8081;\n");
    expect(launch(root).status).toBe(0);
    expect(readTree(root).written).toBe("8081");
    const second = built();
    expect(second).not.toBe(first);

    // A stack is found by its file name, so a new file in a source folder can change the bundle.
    writeFileSync(join(root, "lib/stack.ts"), "export const stack = 1;\n");
    expect(launch(root).status).toBe(0);
    expect(built()).not.toBe(second);
  }, 60_000);

  test("a package the sources import that node_modules/ lacks (a pull without `npm ci`) is one line naming it and the fix", () => {
    const root = project({ "main.ts": MAIN, "lib/port.ts": `import { port as p } from "not-installed-yet";\nexport const port: number = p;\n` });
    const result = launch(root);
    expect([result.status, result.stderr]).toEqual([
      1,
      "launch: the sources import 'not-installed-yet', which node_modules/ does not hold: run `npm ci` to install what package-lock.json lists\n",
    ]);
  }, 60_000);

  test("two synths launched at once both exit 0 with a complete output, and leave no temporary files in .build/", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "slipway-launch-")), "dist");
    const runs = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<{ status: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ["cli/launch.mjs", "synth", "--out", out, "--quiet"], { cwd: ROOT });
            let stderr = "";
            child.stderr.on("data", (chunk) => (stderr += chunk));
            child.on("close", (status) => resolve({ status, stderr }));
          }),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual([0, 0]);
    expect(readTree(out)).toEqual(readTree(join(ROOT, "dist")));
    expect(readdirSync(join(ROOT, ".build")).filter((f) => f.endsWith(".tmp") || f.startsWith("vendor-entry"))).toEqual([]);
  }, 120_000);
});
