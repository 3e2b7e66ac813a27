import type { KubeObject, RenderedFile } from "../../lib/kube-object";
import { groupKey, parseChanged, parseTexts } from "../../review/objects";
import { diffEnvironments, diffFields, diffTrees, HIDDEN } from "../../review/semantic-diff";

function deployment(name: string, image: string, env: Record<string, string>, namespace = "shop"): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { "app.kubernetes.io/version": image.split(":")[1] } },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            { name: "migrate-check", image: "busybox:1.36" },
            { name, image, env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) },
          ],
        },
      },
    },
  };
}

const file = (path: string, ...objects: KubeObject[]): RenderedFile => ({ path, objects });

describe("diffFields", () => {
  test("lists changed fields by path, matching containers and env vars by name", () => {
    const before = deployment("api", "ghcr.io/acme/api:1.4.2", { LOG_LEVEL: "info", WORKERS: "2" });
    const after = deployment("api", "ghcr.io/acme/api:1.5.0", { WORKERS: "2", LOG_LEVEL: "debug", FEATURE_X: "on" });
    expect(diffFields("Deployment", before, after)).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/version"]', before: "1.4.2", after: "1.5.0" },
      { path: "spec.template.spec.containers[api].env[LOG_LEVEL].value", before: "info", after: "debug" },
      { path: "spec.template.spec.containers[api].env[FEATURE_X]", after: { name: "FEATURE_X", value: "on" } },
      { path: "spec.template.spec.containers[api].image", before: "ghcr.io/acme/api:1.4.2", after: "ghcr.io/acme/api:1.5.0" },
    ]);
  });

  test("never shows a Secret's data, a credential-named env var's value or a password inside a URL", () => {
    const secret = (v: string): KubeObject => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { password: v } });
    expect(diffFields("Secret", secret("czNjcjN0"), secret("bjN3"))).toEqual([{ path: "data.password", before: HIDDEN, after: HIDDEN, secret: true }]);

    const before = deployment("api", "a:1", { DB_PASSWORD: "hunter2", DATABASE_URL: "postgres://app:hunter2@db:5432/app" });
    const after = deployment("api", "a:1", { DB_PASSWORD: "hunter3", DATABASE_URL: "postgres://app:hunter3@db:5432/app", API_TOKEN: "t0k3n" });
    const fields = diffFields("Deployment", before, after);
    expect(fields).toEqual([
      { path: "spec.template.spec.containers[api].env[DB_PASSWORD].value", before: HIDDEN, after: HIDDEN, secret: true },
      {
        path: "spec.template.spec.containers[api].env[DATABASE_URL].value",
        before: `postgres://app:${HIDDEN}@db:5432/app`,
        after: `postgres://app:${HIDDEN}@db:5432/app`,
        secret: true,
      },
      { path: "spec.template.spec.containers[api].env[API_TOKEN]", after: { name: "API_TOKEN", value: HIDDEN } },
    ]);
    expect(JSON.stringify(fields)).not.toMatch(/hunter|t0k3n/);
  });

  test("a credential-named ConfigMap key is hidden; a reference to a Secret is shown", () => {
    const cm = (v: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "api-token": v, mode: v } });
    expect(diffFields("ConfigMap", cm("a"), cm("b"))).toEqual([
      { path: 'data["api-token"]', before: HIDDEN, after: HIDDEN, secret: true },
      { path: "data.mode", before: "a", after: "b" },
    ]);
    const ref = (key: string) => ({ env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key } } }] });
    expect(diffFields("Pod", ref("password"), ref("pw"))).toEqual([{ path: "env[DB_PASSWORD].valueFrom.secretKeyRef.key", before: "password", after: "pw" }]);
  });

  test("multi-line text changes as unified-diff hunks", () => {
    const conf = (rate: string) => ["server {", "  listen 8080;", `  limit_req rate=${rate};`, "  location / {}", "}", ""].join("\n");
    const [change] = diffFields("ConfigMap", { data: { "nginx.conf": conf("10r/s") } }, { data: { "nginx.conf": conf("20r/s") } });
    expect(change.path).toBe('data["nginx.conf"]');
    expect(change.hunks).toEqual(["@@ -1,5 +1,5 @@", " server {", "   listen 8080;", "-  limit_req rate=10r/s;", "+  limit_req rate=20r/s;", "   location / {}", " }"]);
  });

  test("lists of unnamed items compare by position; lists of scalars as a whole", () => {
    expect(diffFields("Ingress", { spec: { rules: [{ host: "a.example.com" }] } }, { spec: { rules: [{ host: "b.example.com" }, { host: "c.example.com" }] } })).toEqual([
      { path: "spec.rules[0].host", before: "a.example.com", after: "b.example.com" },
      { path: "spec.rules[1]", after: { host: "c.example.com" } },
    ]);
    expect(diffFields("Pod", { args: ["--a", "--b"] }, { args: ["--b", "--a"] })).toEqual([{ path: "args", before: ["--a", "--b"], after: ["--b", "--a"] }]);
  });

  test("a reordered list of named items says so", () => {
    const c = (names: string[]) => ({ containers: names.map((name) => ({ name })) });
    expect(diffFields("Pod", c(["a", "b"]), c(["b", "a"]))).toEqual([{ path: "containers", before: ["a", "b"], after: ["b", "a"] }]);
  });
});

describe("diffTrees", () => {
  test("groups by environment and stack; objects are added, removed or changed by kind, namespace and name", () => {
    const svc = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "shop" }, spec: { ports: [{ port: 80 }] } });
    const base = [
      file("prod/shop/api.yaml", deployment("api", "a:1", {}), svc("api")),
      file("prod/shop/old.yaml", svc("old")),
      file("dev/shop/api.yaml", deployment("api", "a:2", {})),
      file("argocd/apps.yaml", { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "shop-prod" } }),
    ];
    const head = [
      file("prod/shop/api.yaml", deployment("api", "a:2", {}), svc("api")),
      file("prod/shop/worker.yaml", svc("worker")),
      file("dev/shop/api.yaml", deployment("api", "a:2", {})),
      file("argocd/apps.yaml", { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "shop-prod" } }),
      file("qa/shop/api.yaml", svc("api")),
    ];
    const diffs = diffTrees(base, head);
    expect(diffs.map((d) => [d.group, d.existed, d.objects.map((o) => `${o.status} ${o.kind} ${o.name} (${o.file}) ${o.fields.length}`)])).toEqual([
      [{ env: "argocd" }, true, []],
      [{ env: "dev", stack: "shop" }, true, []],
      [{ env: "prod", stack: "shop" }, true, ["changed Deployment api (api.yaml) 2", "removed Service old (old.yaml) 0", "added Service worker (worker.yaml) 0"]],
      [{ env: "qa", stack: "shop" }, false, ["added Service api (api.yaml) 0"]],
    ]);
  });

  test("reads YAML texts, every document of every file", () => {
    const files = parseTexts(new Map([["prod/shop/a.yaml", "# header\nkind: A\nmetadata: { name: a }\n---\nkind: B\nmetadata: { name: b }\n"], ["prod/shop/notes.txt", "x"]]));
    expect(files).toEqual([{ path: "prod/shop/a.yaml", objects: [{ kind: "A", metadata: { name: "a" } }, { kind: "B", metadata: { name: "b" } }] }]);
  });

  test("a file with the same text on both sides is left unparsed: its folder is there and unchanged, other files differ as ever", () => {
    const same = "kind: Service\nmetadata: { name: api, namespace: shop }\n";
    const base = new Map([["prod/shop/api.yaml", same], ["prod/shop/db.yaml", "kind: Service\nmetadata: { name: db, namespace: shop }\n"], ["dev/shop/api.yaml", same]]);
    const head = new Map([["prod/shop/api.yaml", same], ["prod/shop/db.yaml", "kind: Service\nmetadata: { name: db, namespace: data }\n"], ["dev/shop/api.yaml", same]]);
    const [old, now] = parseChanged(base, head);
    expect([...old, ...now].filter((f) => f.objects.length).map((f) => f.path)).toEqual(["prod/shop/db.yaml", "prod/shop/db.yaml"]);
    expect(diffTrees(old, now).map((d) => [groupKey(d.group), d.existed, d.objects.map((o) => `${o.status} ${o.kind} ${o.namespace}/${o.name}`)])).toEqual([
      ["dev/shop", true, []],
      ["prod/shop", true, ["removed Service shop/db", "added Service data/db"]],
    ]);
  });
});

describe("diffEnvironments", () => {
  test("compares two environments stack by stack, across their namespaces", () => {
    const files = [
      file("staging/shop/api.yaml", deployment("api", "a:1.5.0", { LOG_LEVEL: "info" }, "shop-staging")),
      file("prod/shop/api.yaml", deployment("api", "a:1.4.2", { LOG_LEVEL: "warning" }, "shop")),
      file("prod/blog/web.yaml", deployment("web", "b:1", {}, "blog")),
    ];
    const diffs = diffEnvironments(files, "staging", "prod");
    expect(diffs.map((d) => [d.group, d.objects.map((o) => [o.status, o.kind, o.name, o.fields.map((f) => f.path)])])).toEqual([
      [{ env: "staging → prod", stack: "blog" }, [["added", "Deployment", "web", []]]],
      [
        { env: "staging → prod", stack: "shop" },
        [
          [
            "changed",
            "Deployment",
            "api",
            ['metadata.labels["app.kubernetes.io/version"]', "spec.template.spec.containers[api].env[LOG_LEVEL].value", "spec.template.spec.containers[api].image"],
          ],
        ],
      ],
    ]);
  });
});
