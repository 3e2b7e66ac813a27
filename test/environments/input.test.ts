/**
 * Environment input as a careless hand, or an attacker, writes it (issue 7, "Environment input"): every case
 * is refused by the synth with messages naming the file, line and column, the field path and what was
 * expected, and the output folder is left byte for byte as it was.
 *
 * Fixtures beside this test: a dev environment (generator secrets) and a prod one (Vault, prod policy).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ConfigError } from "../../lib/errors";
import { synth } from "../../render/pipeline";
import { readTree } from "../support/tree";

const FIXTURES = join(__dirname, "fixtures");
const dev = readFileSync(join(FIXTURES, "valid.yaml"), "utf8");
const prod = readFileSync(join(FIXTURES, "prod.yaml"), "utf8");
const cwd = process.cwd();
let root: string;
let before: Record<string, string>;

/** `text` with `from` replaced by `to`; a fixture that no longer holds `from` fails loudly, never tests nothing. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the fixture no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** Runs the synth with `files` written into environments/ (and removed after); returns the problems it refused with. */
async function refusal(files: Record<string, string>): Promise<readonly string[]> {
  const envs = join(root, "environments");
  const originals = Object.fromEntries(readdirSync(envs).map((f) => [f, readFileSync(join(envs, f), "utf8")]));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(envs, name), text);
  let problems: readonly string[] | undefined;
  try {
    await synth({ root, outDir: join(root, "dist") });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems = e.problems;
  } finally {
    for (const name of Object.keys(files)) rmSync(join(envs, name));
    for (const [name, text] of Object.entries(originals)) writeFileSync(join(envs, name), text);
  }
  expect(readTree(join(root, "dist"))).toEqual(before);
  if (!problems) throw new Error("expected the synth to refuse these files, but it rendered them");
  return problems;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "slipway-input-"));
  mkdirSync(join(root, "environments"));
  copyFileSync(join(FIXTURES, "valid.yaml"), join(root, "environments/dev.yaml"));
  copyFileSync(join(FIXTURES, "prod.yaml"), join(root, "environments/prod.yaml"));
  // Messages name files as the user sees them, from the project root.
  process.chdir(root);
  await synth({ root, outDir: join(root, "dist") });
  before = readTree(join(root, "dist"));
}, 120_000);

afterAll(() => process.chdir(cwd));

const PROD_NAMESPACE = "    namespace: shop";
const API_RESOURCES = "resources: { cpu: 250m, memory: 512Mi }";

describe("namespaces that are not a stack's to take", () => {
  test.each([
    ["kube-system", "Kubernetes' own"],
    ["kube-public", "Kubernetes' own"],
    ["kube-node-lease", "Kubernetes' own"],
    ["default", "the namespace of everything applied without one"],
    ["argocd", "Argo CD's (argocd.namespace): a stack's default-deny policy would cut Argo CD off its repository"],
    ["ingress-nginx", "the ingress controller's (ingress.controllerNamespace)"],
  ])("%s", async (namespace, why) => {
    expect(await refusal({ "prod.yaml": edit(prod, PROD_NAMESPACE, `    namespace: ${namespace}`) })).toEqual([
      `environments/prod.yaml:19:16: stacks.web.namespace: expected a namespace of the stack's own, got '${namespace}', ${why}`,
    ]);
  });

  test("the ingress controller's namespace as this environment names it (k3s's Traefik)", async () => {
    const text = edit(edit(prod, "    name: letsencrypt-prod", "    name: letsencrypt-prod\n  controllerNamespace: traefik"), PROD_NAMESPACE, "    namespace: traefik");
    expect(await refusal({ "prod.yaml": text })).toEqual([
      "environments/prod.yaml:20:16: stacks.web.namespace: expected a namespace of the stack's own, got 'traefik', the ingress controller's (ingress.controllerNamespace)",
    ]);
  });
});

describe("amounts the API server would refuse, or never schedule", () => {
  test.each([
    [
      "a memory request above its limit",
      edit(prod, API_RESOURCES, "resources: { cpu: 250m, memory: 512Mi, memoryLimit: 256Mi }"),
      [
        "environments/prod.yaml:23:59: stacks.web.api.resources.memoryLimit: expected a memory limit at least the request 512Mi, got '256Mi' (the API server refuses a request above its limit)",
      ],
    ],
    [
      "2m of memory and no CPU at all",
      edit(prod, API_RESOURCES, "resources: { cpu: 0, memory: 2m }"),
      [
        "environments/prod.yaml:23:25: stacks.web.api.resources.cpu: expected a CPU request from 1m to 64, such as 250m, got '0'",
        "environments/prod.yaml:23:36: stacks.web.api.resources.memory: expected a memory size from 6Mi to 256Gi, such as 512Mi, got '2m' ('m' is thousandths: write Mi for mebibytes)",
      ],
    ],
    [
      "millicores without their m, and bytes for mebibytes",
      edit(prod, API_RESOURCES, "resources: { cpu: 250, memory: 512 }"),
      [
        "environments/prod.yaml:23:25: stacks.web.api.resources.cpu: expected a CPU request from 1m to 64, such as 250m, got '250'",
        "environments/prod.yaml:23:38: stacks.web.api.resources.memory: expected a memory size from 6Mi to 256Gi, such as 512Mi, got '512'",
      ],
    ],
    [
      "1e8 replicas",
      edit(dev, "      env:\n        LOG_LEVEL", "      replicas: 1e8\n      env:\n        LOG_LEVEL"),
      ["environments/dev.yaml:17:17: stacks.web.api.replicas: expected a number ≤ 1000, got 100000000"],
    ],
    [
      "autoscaling up to 1e8 pods",
      edit(dev, "      env:\n        LOG_LEVEL", "      autoscaling: { minReplicas: 2, maxReplicas: 1e8 }\n      env:\n        LOG_LEVEL"),
      ["environments/dev.yaml:17:51: stacks.web.api.autoscaling.maxReplicas: expected a number ≤ 1000, got 100000000"],
    ],
    [
      "a volume of 10 thousandths of a byte, and one larger than any disk",
      edit(edit(dev, "storage: { size: 2Gi }", "storage: { size: 10m }"), "      image: { repository: docker.io/library/redis, tag: 7.4.1-alpine }", "      image: { repository: docker.io/library/redis, tag: 7.4.1-alpine }\n      persistence: { size: 100Ti }"),
      [
        "environments/dev.yaml:21:24: stacks.web.database.storage.size: expected a volume size from 1Mi to 64Ti, such as 10Gi, got '10m' ('m' is thousandths: write Mi or Gi)",
        "environments/dev.yaml:25:28: stacks.web.cache.persistence.size: expected a volume size from 1Mi to 64Ti, such as 10Gi, got '100Ti'",
      ],
    ],
  ])("%s", async (_case, text, expected) => {
    const file = text.startsWith("cluster:\n  name: prod") ? "prod.yaml" : "dev.yaml";
    expect(await refusal({ [file]: text })).toEqual(expected);
  });
});

describe("schedules that are not cron, or never fire, and zones no one knows", () => {
  const WINDOW = '{ kind: deny, schedule: "0 16 * * 5", duration: 64h, timeZone: Europe/Berlin }';
  const window = (w: string) => edit(prod, WINDOW, w);
  test.each([
    [
      "a backup at minute 99 of hour 99",
      edit(prod, 'schedule: "0 3 * * *"', 'schedule: "99 99 99 99 99"'),
      "environments/prod.yaml:27:27: stacks.web.database.backup.schedule: expected a cron schedule such as '0 3 * * *' or @daily, got '99 99 99 99 99' (minute '99' is invalid: expected 0-59)",
    ],
    [
      "a backup on 31 February",
      edit(prod, 'schedule: "0 3 * * *"', 'schedule: "0 0 31 2 *"'),
      "environments/prod.yaml:27:27: stacks.web.database.backup.schedule: expected a cron schedule such as '0 3 * * *' or @daily, got '0 0 31 2 *' (it never runs: no date matches its day-of-month and month)",
    ],
    [
      "a freeze on 31 February",
      window('{ kind: deny, schedule: "0 0 31 2 *", duration: 64h }'),
      "environments/prod.yaml:16:31: argocd.syncWindows[0].schedule: expected a five-field cron schedule such as '0 16 * * 5', got '0 0 31 2 *' (it never runs: no date matches its day-of-month and month)",
    ],
    [
      "a freeze @weekly, a macro Argo CD does not read",
      window('{ kind: deny, schedule: "@weekly", duration: 64h }'),
      "environments/prod.yaml:16:31: argocd.syncWindows[0].schedule: expected a five-field cron schedule such as '0 16 * * 5', got '@weekly' (Argo CD sync windows take no macros)",
    ],
    [
      "a freeze on Sunday as 7, which robfig/cron refuses",
      window('{ kind: deny, schedule: "0 16 * * 7", duration: 64h }'),
      "environments/prod.yaml:16:31: argocd.syncWindows[0].schedule: expected a five-field cron schedule such as '0 16 * * 5', got '0 16 * * 7' (day-of-week '7' is invalid: expected 0-6 or SUN-SAT)",
    ],
    [
      "a freeze in a time zone that does not exist (Argo CD would read it in UTC and only log a warning)",
      window('{ kind: deny, schedule: "0 16 * * 5", duration: 64h, timeZone: Mars/Olympus }'),
      "environments/prod.yaml:16:70: argocd.syncWindows[0].timeZone: expected an IANA time zone such as Europe/Berlin or UTC, got 'Mars/Olympus'",
    ],
    [
      "a freeze in a zone spelt in the wrong case",
      window('{ kind: deny, schedule: "0 16 * * 5", duration: 64h, timeZone: europe/berlin }'),
      "environments/prod.yaml:16:70: argocd.syncWindows[0].timeZone: expected 'Europe/Berlin' (time zone names are case-sensitive), got 'europe/berlin'",
    ],
  ])("%s", async (_case, text, expected) => {
    expect(await refusal({ "prod.yaml": text })).toEqual([expected]);
  });
});

describe("names and hosts Kubernetes and cert-manager would refuse", () => {
  const ISSUER = "  tlsIssuer:\n    name: letsencrypt-prod";
  test.each([
    [
      "an ingress class, an issuer and a storage class that are no DNS names",
      edit(edit(prod, ISSUER, "  className: Nginx_Public\n  tlsIssuer:\n    name: LetsEncrypt"), "storageClassName: fast-ssd", "storageClassName: Fast_SSD"),
      [
        "environments/prod.yaml:5:14: ingress.className: expected a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253), got 'Nginx_Public'",
        "environments/prod.yaml:7:11: ingress.tlsIssuer.name: expected a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253), got 'LetsEncrypt'",
        "environments/prod.yaml:27:49: stacks.web.database.storage.storageClassName: expected a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253), got 'Fast_SSD'",
      ],
    ],
    [
      "an IP address for a host",
      edit(prod, "hosts: [shop.example.com]", "hosts: [203.0.113.7]"),
      ["environments/prod.yaml:20:13: stacks.web.hosts[0]: expected a DNS host name such as app.example.com, got '203.0.113.7' (an IP address: Ingress rules take DNS names only)"],
    ],
    [
      "a wildcard host where the issuer solves HTTP-01 (the default)",
      edit(prod, "hosts: [shop.example.com]", "hosts: ['*.shop.example.com']"),
      [
        "environments/prod.yaml:20:13: stacks.web.hosts[0]: expected a host name without '*', got '*.shop.example.com': the issuer 'letsencrypt-prod' solves HTTP-01 challenges, which cannot prove a wildcard; use an issuer that solves DNS-01 and say so (ingress.tlsIssuer.solver: dns01)",
      ],
    ],
    [
      "a host listed twice",
      edit(prod, "hosts: [shop.example.com]", "hosts: [shop.example.com, www.shop.example.com, shop.example.com]"),
      ["environments/prod.yaml:20:53: stacks.web.hosts[2]: 'shop.example.com' is listed twice (first at hosts[0])"],
    ],
  ])("%s", async (_case, text, expected) => {
    expect(await refusal({ "prod.yaml": text })).toEqual(expected);
  });

  test("a wildcard host is accepted where the issuer says it solves DNS-01", async () => {
    const text = edit(edit(prod, ISSUER, `${ISSUER}\n    solver: dns01`), "hosts: [shop.example.com]", "hosts: ['*.shop.example.com']");
    // A refusal elsewhere in the same run proves the wildcard itself passed.
    expect(await refusal({ "prod.yaml": edit(text, API_RESOURCES, "resources: { cpu: 0, memory: 512Mi }") })).toEqual([
      "environments/prod.yaml:24:25: stacks.web.api.resources.cpu: expected a CPU request from 1m to 64, such as 250m, got '0'",
    ]);
  });
});

describe("images, servers and Vault paths", () => {
  test.each([
    ["LATEST", "environments/prod.yaml:22:56: stacks.web.api.image.tag: expected a fixed tag; 'latest' moves under you"],
    ["Latest", "environments/prod.yaml:22:56: stacks.web.api.image.tag: expected a fixed tag; 'latest' moves under you"],
  ])("the tag %s, in any case", async (tag, expected) => {
    expect(await refusal({ "prod.yaml": edit(prod, "tag: 1.4.2,", `tag: ${tag},`) })).toEqual([expected]);
  });

  test("plain http:// to Vault, the cluster and the repository where prod policy applies", async () => {
    const text = edit(
      edit(edit(prod, "server: https://vault.example.com", "server: http://vault.example.com:8200"), "server: https://prod.k8s.example.com:6443", "server: http://prod.k8s.example.com"),
      "repoURL: https://github.com/acme/slipway.git",
      "repoURL: http://git.example.com/acme/slipway.git",
    );
    const why = "this environment runs production policy (policy.requireImageDigests), and plain http lets anyone on the path read or change what it carries";
    expect(await refusal({ "prod.yaml": text })).toEqual([
      `environments/prod.yaml:3:11: cluster.server: expected an https:// URL, got 'http://prod.k8s.example.com': ${why}`,
      `environments/prod.yaml:14:12: argocd.repoURL: expected an https:// URL, got 'http://git.example.com/acme/slipway.git': ${why}`,
      `environments/prod.yaml:9:11: secrets.server: expected an https:// URL, got 'http://vault.example.com:8200': ${why}`,
    ]);
  });

  test("Vault paths that climb out of their folder with '..'", async () => {
    const text = edit(
      edit(prod, "server: https://vault.example.com", "server: https://vault.example.com\n  path: secret/../sys\n  authMountPath: ../kubernetes"),
      PROD_NAMESPACE,
      `${PROD_NAMESPACE}\n    secrets: { keyPrefix: staging/../prod/web }`,
    );
    const expected = "expected a Vault path such as secret or prod/shop (names of letters, digits, '-', '_' and '.' joined by '/', none of them '.' or '..')";
    expect(await refusal({ "prod.yaml": text })).toEqual([
      `environments/prod.yaml:10:9: secrets.path: ${expected}, got 'secret/../sys'`,
      `environments/prod.yaml:11:18: secrets.authMountPath: ${expected}, got '../kubernetes'`,
      `environments/prod.yaml:22:27: stacks.web.secrets.keyPrefix: ${expected}, got 'staging/../prod/web'`,
    ]);
  });
});

describe("across environments on one cluster", () => {
  const qa = (server: string, namespace: string) =>
    edit(edit(dev, "server: https://kubernetes.default.svc", `server: ${server}`), "namespace: web-dev", `namespace: ${namespace}`);

  test("the same host in two environments on one cluster", async () => {
    expect(await refusal({ "qa.yaml": qa("https://kubernetes.default.svc", "web-qa") })).toEqual([
      "environments/qa.yaml:14:13: stacks.web.hosts[0]: 'dev.shop.example.com' is already served by environments/dev.yaml stacks.web on cluster https://kubernetes.default.svc; expected a host of its own",
    ]);
  });

  test("one cluster however its URL is spelt: the host's case, the default port 443, a trailing slash", async () => {
    expect(await refusal({ "qa.yaml": qa("https://KUBERNETES.default.svc:443/", "web-dev") })).toEqual([
      "environments/qa.yaml:13:16: stacks.web.namespace: 'web-dev' is already used by environments/dev.yaml stacks.web on cluster https://KUBERNETES.default.svc:443/; expected a namespace of its own",
      "environments/qa.yaml:14:13: stacks.web.hosts[0]: 'dev.shop.example.com' is already served by environments/dev.yaml stacks.web on cluster https://KUBERNETES.default.svc:443/; expected a host of its own",
    ]);
  });
});

describe("input too large, too deep, or built to explode", () => {
  test("a file over 1 MiB is refused before it is read", async () => {
    const big = `${dev}# ${"x".repeat(1024 * 1024)}\n`;
    expect(await refusal({ "dev.yaml": big })).toEqual([
      `environments/dev.yaml: expected at most 1 MiB (1048576 bytes) of settings, got ${Buffer.byteLength(big)} bytes; an environment file holds settings, not data`,
    ]);
  });

  test("a YAML alias bomb is one error naming the file and where the aliases start", async () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)];
    expect(await refusal({ "dev.yaml": `${levels.join("\n")}\n${dev}` })).toEqual([
      "environments/dev.yaml:2:8: its aliases expand past 100 uses (an alias bomb?); expected a few aliases of shared blocks, or the values written out",
    ]);
  });

  test("an alias to no anchor, and one to the node around it", async () => {
    expect(await refusal({ "dev.yaml": edit(dev, "stacks:\n", "extra: [*missing, &loop [*loop]]\nstacks:\n") })).toEqual([
      "environments/dev.yaml:11:9: extra[0]: alias *missing refers to no anchor &missing before it",
      "environments/dev.yaml:11:26: extra[1][0]: alias *loop refers to the node that contains it",
    ]);
  });

  test("nesting deep enough to exhaust the parser's stack", async () => {
    expect(await refusal({ "dev.yaml": `deep: ${"[".repeat(5000)}${"]".repeat(5000)}\n${dev}` })).toEqual([
      "environments/dev.yaml:1:71: nested more than 64 levels deep; an environment file needs a few",
    ]);
  });

  test("thousands of problems are listed as the first hundred and a count", async () => {
    const names = Array.from({ length: 150 }, (_, i) => `        ${i}BAD: x`).join("\n");
    const problems = await refusal({ "dev.yaml": edit(dev, "        LOG_LEVEL: debug", names) });
    expect(problems).toHaveLength(101);
    expect(problems[0]).toBe(
      "environments/dev.yaml:18:9: stacks.web.api.env.0BAD: expected an environment variable name (letters, digits and '_', not starting with a digit), got '0BAD'",
    );
    expect(problems[100]).toBe("environments/dev.yaml: … and 50 more problem(s)");
  });
});

describe("no message echoes a secret or megabytes of input", () => {
  test("a token in the repository URL is refused, and shown as ***", async () => {
    const text = edit(prod, "repoURL: https://github.com/acme/slipway.git", "repoURL: https://deploy:ghp_s3cr3tT0k3n@github.com/acme/slipway.git");
    const problems = await refusal({ "prod.yaml": text });
    expect(problems).toEqual([
      "environments/prod.yaml:14:12: argocd.repoURL: expected a URL without credentials, got 'https://***@github.com/acme/slipway.git': this file is committed; Argo CD, Vault and the cluster take credentials from their own secrets",
    ]);
    expect(problems.join("\n")).not.toContain("ghp_s3cr3tT0k3n");
  });

  test("credentials in a URL that is not even valid are shown as *** too", async () => {
    const problems = await refusal({ "prod.yaml": edit(prod, "server: https://prod.k8s.example.com:6443", "server: https://admin:hunter2@prod k8s") });
    expect(problems).toEqual(["environments/prod.yaml:3:11: cluster.server: expected the API server URL, e.g. https://kubernetes.default.svc, got 'https://***@prod k8s'"]);
  });

  test("a long value is quoted by its start and its length", async () => {
    const problems = await refusal({ "dev.yaml": edit(dev, "namespace: web-dev", `namespace: ${"a".repeat(500_000)}`) });
    expect(problems).toEqual([`environments/dev.yaml:13:16: stacks.web.namespace: expected at most 63 character(s), got '${"a".repeat(80)}…' (500000 characters)`]);
  });

  test("a long key (explicit, as YAML allows) is cut short with the rest of its message", async () => {
    const [problem] = await refusal({ "dev.yaml": edit(dev, "    namespace: web-dev", `    ? ${"k".repeat(500_000)}\n    : 1\n    namespace: web-dev`) });
    expect(problem!.startsWith(`environments/dev.yaml:13:7: stacks.web.${"k".repeat(100)}`)).toBe(true);
    expect(problem).toMatch(/… \(\d+ more characters\)$/);
    expect(problem!.length).toBeLessThan(2100);
  });
});

describe("keys a user may not set", () => {
  test("a variable a connection sets (DATABASE_URL) is refused where the file sets it, never overwritten", async () => {
    expect(await refusal({ "dev.yaml": edit(dev, "        LOG_LEVEL: debug", "        LOG_LEVEL: debug\n        DATABASE_URL: postgresql://elsewhere/app") })).toEqual([
      "environments/dev.yaml:19:23: stacks.web.api.env.DATABASE_URL: Api 'api': 'DATABASE_URL' is set both by its env and by its connection to Database 'database'; keep one (a connection's variables can be renamed with its envPrefix)",
    ]);
  });

  test.each(["__proto__", "constructor", "prototype"])("%s as a key of a map", async (key) => {
    expect(await refusal({ "dev.yaml": edit(dev, "        LOG_LEVEL: debug", `        LOG_LEVEL: debug\n        ${key}: x`) })).toEqual([
      `environments/dev.yaml:19:9: stacks.web.api.env.${key}: expected a name of your own, got '${key}' (reserved: every JavaScript object already has it)`,
    ]);
  });
});

test("an environment with 5000 variables renders them all, sorted", async () => {
  const names = Array.from({ length: 5000 }, (_, i) => `VAR_${String(4999 - i).padStart(4, "0")}`);
  const text = edit(dev, "        LOG_LEVEL: debug", names.map((n) => `        ${n}: value-${n}`).join("\n"));
  const out = mkdtempSync(join(tmpdir(), "slipway-input-many-"));
  mkdirSync(join(out, "environments"));
  writeFileSync(join(out, "environments/dev.yaml"), text);
  await synth({ root: out, outDir: join(out, "dist") });
  const deployment = parseAllDocuments(readFileSync(join(out, "dist/dev/web/api.yaml"), "utf8"))
    .map((d) => d.toJS())
    .find((o) => o.kind === "Deployment");
  const rendered = (deployment.spec.template.spec.containers[0].env as { name: string }[]).map((e) => e.name).filter((n) => n.startsWith("VAR_"));
  expect(rendered).toEqual([...names].sort());
}, 120_000);
