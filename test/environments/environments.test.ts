import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ConfigError, loadEnvironments, parseEnvironment } from "../../environments";
import type { z } from "zod";
import { stackNames } from "../../render/stacks";
import webStack from "../../stacks/web";
import { stackSettings } from "../support/stacks";

const FILE = "environments/dev.yaml";
const valid = readFileSync(join(__dirname, "fixtures/valid.yaml"), "utf8");
const API_CONFIG = "      env:\n        LOG_LEVEL: debug";

/** The problems parseEnvironment reports for `text`, or [] when it parses. */
function problems(text: string): readonly string[] {
  try {
    parseEnvironment(FILE, text, stackSettings);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe("environment files", () => {
  test("a valid file parses, with every default filled in from the schema", () => {
    const env = parseEnvironment(FILE, valid, stackSettings);
    expect(env.name).toBe("dev");
    expect(env.data.ingress).toEqual({
      className: "nginx",
      controllerNamespace: "ingress-nginx",
      tlsIssuer: { kind: "ClusterIssuer", name: "letsencrypt-staging" },
    });
    expect(env.data.policy).toEqual({ requireImageDigests: false, highAvailability: false, requireBackups: false });
    expect(env.data.argocd.targetRevision).toBe("main");
    const web = env.data.stacks.web as z.output<typeof webStack.settings>;
    expect(web.api.resources).toEqual({ cpu: "100m", memory: "256Mi" });
    expect(web.api.port).toBe(8000);
    expect(web.api.env).toEqual({ LOG_LEVEL: "debug" });
    expect(web.api.replicas).toBeUndefined();
    expect(web.database.databaseName).toBe("app");
    expect(web.cache).toMatchObject({ persistence: false, maxmemory: "100mb", maxmemoryPolicy: "allkeys-lru" });
    expect(web.frontend.mode).toBe("static");
  });

  test.each([
    [
      "negative replicas",
      valid.replace(API_CONFIG, "      replicas: -3"),
      ["environments/dev.yaml:17:17: stacks.web.api.replicas: expected a number ≥ 1, got -3"],
    ],
    [
      "an unknown key, with the key it probably meant",
      valid.replace(API_CONFIG, "      replicass: 2"),
      ["environments/dev.yaml:17:7: stacks.web.api.replicass: unknown key; did you mean 'replicas'?"],
    ],
    [
      "a malformed image repository",
      valid.replace("repository: ghcr.io/acme/shop-api", "repository: GHCR.io/Acme//api"),
      ["environments/dev.yaml:16:28: stacks.web.api.image.repository: expected an image repository such as ghcr.io/acme/api, got 'GHCR.io/Acme//api'"],
    ],
    [
      "the latest tag",
      valid.replace("tag: 1.5.0-rc.1", "tag: latest"),
      ["environments/dev.yaml:16:56: stacks.web.api.image.tag: expected a fixed tag; 'latest' moves under you"],
    ],
    [
      "a malformed digest",
      valid.replace("tag: 1.5.0-rc.1", "tag: 1.5.0, digest: sha256:abc"),
      ["environments/dev.yaml:16:71: stacks.web.api.image.digest: expected a digest such as sha256:<64 hex characters>, got 'sha256:abc'"],
    ],
    [
      "a missing namespace",
      valid.replace("    namespace: web-dev\n", ""),
      ["environments/dev.yaml:13:5: stacks.web.namespace: missing: expected a string"],
    ],
    [
      "a YAML syntax error",
      valid.replace("    hosts: [dev.shop.example.com]", "    hosts: [dev.shop.example.com"),
      ["environments/dev.yaml:15:5: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ],
    [
      "a duplicated key",
      valid.replace("    namespace: web-dev\n", "    namespace: web-dev\n    namespace: other\n"),
      ["environments/dev.yaml:14:5: YAML syntax error: Map keys must be unique"],
    ],
    [
      "an unknown secret provider",
      valid.replace("provider: generator", "provider: vaultt"),
      ["environments/dev.yaml:8:13: secrets.provider: expected one of 'vault', 'generator', got 'vaultt'"],
    ],
    [
      "both replicas and autoscaling, with bounds the wrong way round",
      valid.replace(API_CONFIG, "      replicas: 2\n      autoscaling: { minReplicas: 2, maxReplicas: 1 }"),
      [
        "environments/dev.yaml:17:17: stacks.web.api.replicas: expected either replicas or autoscaling, not both",
        "environments/dev.yaml:18:51: stacks.web.api.autoscaling.maxReplicas: expected maxReplicas ≥ minReplicas 2, got 1",
      ],
    ],
    [
      "a storage size that is not a quantity",
      valid.replace("storage: { size: 2Gi }", "storage: { size: 2 gigs }"),
      ["environments/dev.yaml:21:24: stacks.web.database.storage.size: expected a Kubernetes quantity such as 250m, 512Mi or 10Gi, got '2 gigs'"],
    ],
    [
      "a stack no code renders",
      `${valid}  blog:\n    namespace: blog\n`,
      [`environments/dev.yaml:29:3: stacks.blog: unknown key; expected one of ${stackNames().join(", ")}`],
    ],
    [
      "a backup schedule that is not cron",
      valid.replace("backup: false", "backup: { schedule: daily }"),
      ["environments/dev.yaml:22:27: stacks.web.database.backup.schedule: expected a cron schedule such as '0 3 * * *' or @daily, got 'daily'"],
    ],
    [
      "a backup schedule that never runs (31 February)",
      valid.replace("backup: false", "backup: { schedule: '0 0 31 2 *' }"),
      ["environments/dev.yaml:22:27: stacks.web.database.backup.schedule: expected a cron schedule such as '0 3 * * *' or @daily, got '0 0 31 2 *': it never runs: no date matches its day-of-month and month"],
    ],
    [
      "a backup schedule with fields out of range",
      valid.replace("backup: false", "backup: { schedule: '99 99 99 99 99' }"),
      ["environments/dev.yaml:22:27: stacks.web.database.backup.schedule: expected a cron schedule such as '0 3 * * *' or @daily, got '99 99 99 99 99': minute '99' is outside 0–59"],
    ],
    [
      "keeping more dumps than a volume should hold",
      valid.replace("backup: false", "backup: { keep: 365 }"),
      ["environments/dev.yaml:22:23: stacks.web.database.backup.keep: expected a number ≤ 90, got 365"],
    ],
    [
      "a rotation count that is negative",
      valid.replace("namespace: web-dev", "namespace: web-dev\n    secrets: { rotation: -1 }"),
      ["environments/dev.yaml:14:26: stacks.web.secrets.rotation: expected a number ≥ 0, got -1"],
    ],
    [
      "a URL where a host name belongs",
      valid.replace("[dev.shop.example.com]", "[https://dev.shop.example.com]"),
      ["environments/dev.yaml:14:13: stacks.web.hosts[0]: expected a DNS host name such as app.example.com, got 'https://dev.shop.example.com'"],
    ],
    [
      "a cluster server that is not a URL",
      valid.replace("server: https://kubernetes.default.svc", "server: kubernetes"),
      ["environments/dev.yaml:3:11: cluster.server: expected the API server URL, e.g. https://kubernetes.default.svc, got 'kubernetes'"],
    ],
    [
      "a number where a mapping belongs",
      valid.replace("storage: { size: 2Gi }", "storage: 2"),
      ["environments/dev.yaml:21:16: stacks.web.database.storage: expected an object, got 2"],
    ],
    [
      "a Vault store without its server",
      valid.replace("provider: generator", "provider: vault"),
      ["environments/dev.yaml:8:3: secrets.server: missing: expected a string"],
    ],
    [
      "a namespace that is not a DNS label",
      valid.replace("namespace: web-dev", "namespace: Web_Dev"),
      ["environments/dev.yaml:13:16: stacks.web.namespace: expected a DNS label (lower-case letters, digits and '-', at most 63), got 'Web_Dev'"],
    ],
    [
      "an eviction policy Redis does not have",
      valid.replace("tag: 7.4.1-alpine }", "tag: 7.4.1-alpine }\n      maxmemoryPolicy: lru"),
      [
        "environments/dev.yaml:25:24: stacks.web.cache.maxmemoryPolicy: expected one of 'noeviction', 'allkeys-lru', 'allkeys-lfu', 'volatile-lru', 'volatile-lfu', 'allkeys-random', 'volatile-random', 'volatile-ttl', got 'lru'",
      ],
    ],
    [
      "an empty file",
      "",
      [
        "environments/dev.yaml: cluster: missing: expected an object",
        "environments/dev.yaml: ingress: missing: expected an object",
        "environments/dev.yaml: secrets: missing: expected an object",
        "environments/dev.yaml: argocd: missing: expected an object",
        "environments/dev.yaml: stacks: missing: expected an object",
      ],
    ],
    [
      "an image without a digest where policy requires one",
      valid.replace("argocd:", "policy: { requireImageDigests: true }\nargocd:").replace(
        /repository: docker\.io\/library\/redis, tag: 7\.4\.1-alpine/,
        "repository: docker.io/library/redis, tag: 7.4.1-alpine, digest: sha256:c35af3bbcef51a62c8bae5a9a563c6f1b60d7ebaea4cb5a3ccbcc157580ae098",
      ),
      [
        "environments/dev.yaml:17:14: stacks.web.api.image.digest: missing: this environment pins images by digest (policy.requireImageDigests); add the digest of ghcr.io/acme/shop-api:1.5.0-rc.1",
        "environments/dev.yaml:21:14: stacks.web.database.image.digest: missing: this environment pins images by digest (policy.requireImageDigests); add the digest of docker.io/library/postgres:16.4",
        "environments/dev.yaml:27:14: stacks.web.proxy.image.digest: missing: this environment pins images by digest (policy.requireImageDigests); add the digest of docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine",
        "environments/dev.yaml:29:14: stacks.web.frontend.image.digest: missing: this environment pins images by digest (policy.requireImageDigests); add the digest of ghcr.io/acme/shop-web:2.4.0-rc.1",
      ],
    ],
    [
      "backups off where policy requires them",
      valid.replace("argocd:", "policy: { requireBackups: true }\nargocd:"),
      ["environments/dev.yaml:23:15: stacks.web.database.backup: expected a backup schedule, got false: this environment requires backups (policy.requireBackups)"],
    ],
  ])("rejects %s, naming the file, the field path and what was expected", (_case, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });
});

test("a Vault store's role and key folder are the stack's own by default; a stack may name its own", () => {
  const vault = valid.replace("provider: generator", "provider: vault\n  server: https://vault.example.com");
  expect(parseEnvironment(FILE, vault, stackSettings).data.secrets).toEqual({ provider: "vault", server: "https://vault.example.com", path: "secret", authMountPath: "kubernetes" });
  const own = parseEnvironment(FILE, vault.replace("namespace: web-dev", "namespace: web-dev\n    secrets: { role: shop-dev, keyPrefix: shop/dev }"), stackSettings);
  expect(own.data.stacks.web!.secrets).toEqual({ role: "shop-dev", keyPrefix: "shop/dev" });
});

test("a backup schedule may be one of the macros Kubernetes accepts, such as @daily", () => {
  expect(problems(valid.replace("backup: false", "backup: { schedule: '@daily' }"))).toEqual([]);
});

describe("the environments folder", () => {
  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "slipway-envs-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }
  const errorsOf = (fn: () => unknown): readonly string[] => {
    try {
      fn();
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  };

  test("loads the repository's dev, prod and staging environments", () => {
    const envs = loadEnvironments(join(__dirname, "../../environments"), stackSettings);
    expect(envs.map((e) => e.name)).toEqual(["dev", "prod", "staging"]);
  });

  test("rejects an unknown environment name, listing the known ones", () => {
    const dir = folder({ "dev.yaml": valid });
    expect(errorsOf(() => loadEnvironments(dir, stackSettings, ["qa"]))).toEqual([
      expect.stringMatching(/^unknown environment 'qa': expected one of dev \(files in .*\/\)$/),
    ]);
  });

  test("rejects two stacks sharing a namespace on one cluster", () => {
    const dir = folder({ "dev.yaml": valid, "qa.yaml": valid });
    const rel = (name: string) => relative(process.cwd(), join(dir, name));
    expect(errorsOf(() => loadEnvironments(dir, stackSettings))).toEqual([
      `${rel("qa.yaml")}: stacks.web.namespace: 'web-dev' is already used by ${rel("dev.yaml")} stacks.web on cluster https://kubernetes.default.svc; expected a namespace of its own`,
    ]);
  });

  test("reports the problems of every file at once", () => {
    const dir = folder({ "dev.yaml": valid.replace("tag: latest", ""), "qa.yaml": "cluster: [" });
    const found = errorsOf(() => loadEnvironments(dir, stackSettings));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/qa\.yaml:1:11: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a \]$/);
  });

  test("rejects a file whose name is not a DNS label", () => {
    const dir = folder({ "Prod_EU.yaml": valid });
    expect(errorsOf(() => loadEnvironments(dir, stackSettings))[0]).toMatch(
      /Prod_EU\.yaml: file name 'Prod_EU' is not a valid environment name: expected a DNS label such as 'staging'$/,
    );
  });

  test("rejects an empty folder", () => {
    const dir = folder({});
    expect(errorsOf(() => loadEnvironments(dir, stackSettings))[0]).toMatch(/: no environment files \(expected .*\/<env>\.yaml\)$/);
  });
});
