/**
 * Repository credentials are Pulumi secrets end to end: they reach the cluster only inside the repository
 * Secret, encrypted in Pulumi's state, and never appear in a plain input, a stack output or a log line.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runBootstrap } from "../../bootstrap/main";
import { plainStrings, REPO_ROOT, resolveOutputs, runMocked, SECRET_SIG } from "./support";

const TOKEN = "ghp_s3cr3tT0kenThatMustNeverLeak0000000000";
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAs3cr3t\n-----END OPENSSH PRIVATE KEY-----\n";

/** Runs the bootstrap with `config`, recording what Pulumi would print (info, warnings, errors, console). */
async function runWith(config: Record<string, string>, source?: { repoURL: string }) {
  const logged: string[] = [];
  const spies = (["info", "warn", "error"] as const).map((level) =>
    jest.spyOn(pulumi.log, level).mockImplementation((...args: unknown[]) => {
      logged.push(String(args[0]));
      return Promise.resolve();
    }),
  );
  const console_ = jest.spyOn(console, "log").mockImplementation((...args) => void logged.push(args.join(" ")));
  try {
    const run = await runMocked("in-cluster", config, () => runBootstrap({ repoRoot: source ? withRepo(source.repoURL) : REPO_ROOT }), [
      "repoToken",
      "repoSshPrivateKey",
    ]);
    return { run, logged };
  } finally {
    for (const spy of [...spies, console_]) spy.mockRestore();
  }
}

/** A copy of the repository root whose environments and root.yaml name `repoURL` (e.g. an ssh:// URL). */
function withRepo(repoURL: string): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-bootstrap-"));
  const from = "https://github.com/acme/slipway.git";
  for (const dir of ["environments", "dist/argocd"]) {
    mkdirSync(join(root, dir), { recursive: true });
    for (const f of readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith(".yaml"))) {
      writeFileSync(join(root, dir, f), readFileSync(join(REPO_ROOT, dir, f), "utf8").replaceAll(from, repoURL));
    }
  }
  mkdirSync(join(root, "bootstrap"));
  for (const dir of ["charts", "crds"]) symlinkSync(join(REPO_ROOT, "bootstrap", dir), join(root, "bootstrap", dir));
  cpSync(join(REPO_ROOT, "bootstrap/Pulumi.in-cluster.yaml"), join(root, "bootstrap/Pulumi.in-cluster.yaml"));
  return root;
}

describe.each([
  ["an https token", { context: "kind-slipway", repoAuth: "token", repoToken: TOKEN }, TOKEN, undefined],
  ["an ssh deploy key", { context: "kind-slipway", repoAuth: "ssh", repoSshPrivateKey: SSH_KEY }, SSH_KEY, { repoURL: "ssh://git@github.com/acme/slipway.git" }],
])("%s", (_, config, secret, source) => {
  let result: Awaited<ReturnType<typeof runWith>>;
  beforeAll(async () => {
    result = await runWith(config, source);
  });

  test("is registered with Argo CD in a repository Secret whose data is a Pulumi secret", () => {
    const repository = result.run.byName("repository");
    expect(repository.inputs.metadata).toEqual({
      name: "slipway-repository",
      namespace: "argocd",
      labels: { "argocd.argoproj.io/secret-type": "repository", "app.kubernetes.io/managed-by": "slipway-bootstrap" },
    });
    const expected =
      config.repoAuth === "token"
        ? { type: "git", url: "https://github.com/acme/slipway.git", username: "git", password: TOKEN }
        : { type: "git", url: "ssh://git@github.com/acme/slipway.git", sshPrivateKey: SSH_KEY };
    expect(repository.wire.stringData).toEqual({ [SECRET_SIG.key]: SECRET_SIG.value, value: expected });
    // @pulumi/kubernetes keeps a Secret's data encrypted in the state whatever the program says.
    expect(repository.additionalSecretOutputs).toEqual(expect.arrayContaining(["data", "stringData"]));
    expect(repository.dependsOn).toEqual(["namespace-argocd"]);
  });

  test("the root waits for the credentials, so its first sync can read the repository", () => {
    expect(result.run.byName("root-application-slipway").dependsOn).toContain("repository");
  });

  test("appears in no input outside a secret, in no stack output and in no log line", async () => {
    const leaks = result.run.resources.flatMap((r) => plainStrings(r.wire).filter((s) => s.value.includes(secret)).map((s) => `${r.name}: ${s.path}`));
    expect(leaks).toEqual([]);
    const outputs = await resolveOutputs(result.run.result);
    expect(outputs.filter((o) => String(o.value).includes(secret))).toEqual([]);
    expect(result.logged.filter((line) => line.includes(secret))).toEqual([]);
  });
});
