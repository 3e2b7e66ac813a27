/**
 * A chart set up the way the render pipeline (render/build.ts) sets up a stack's chart — namespace `shop`,
 * the `web` stack's labels, no name hashes — and lookups into what it renders.
 */
import { Chart, Testing, type ChartProps } from "cdk8s";
import { Api } from "../../constructs/api";
import { Cache } from "../../constructs/cache";
import { Database } from "../../constructs/database";
import { Frontend } from "../../constructs/frontend";
import type { Image } from "../../constructs/lib/image";
import { stackLabels } from "../../constructs/lib/labels";
import { Proxy } from "../../constructs/proxy";
import { SecretStore, type VaultStore } from "../../constructs/secret-store";
import type { KubeObject } from "../../lib/kube-object";

/** A `web` stack chart in namespace `shop`; `overrides` replace any of its props. */
export function testChart(overrides: ChartProps = {}): Chart {
  return new Chart(Testing.app(), "test", {
    namespace: "shop",
    labels: stackLabels("web"),
    disableResourceNameHashes: true,
    ...overrides,
  });
}

/** Every object the chart renders, as plain JSON, in rendering order. */
export function objects(chart: Chart): KubeObject[] {
  return chart.toJson() as KubeObject[];
}

/**
 * The one object of `kind` named `name`; throws, listing what there is, when it is missing or not unique.
 * `T` is the object's shape, e.g. `IDeployment` from kubernetes-models (a type-only import).
 */
export function find<T = KubeObject>(all: readonly KubeObject[], kind: string, name: string): T {
  const hits = all.filter((o) => o.kind === kind && o.metadata.name === name);
  if (hits.length !== 1) {
    const present = all.map((o) => `${o.kind}/${o.metadata.name}`).join(", ") || "nothing";
    throw new Error(`expected exactly one ${kind}/${name}, found ${hits.length}; the chart renders: ${present}`);
  }
  return hits[0] as T;
}

/** `kind/name` of every object, e.g. `["ServiceAccount/api", "Deployment/api"]`. */
export function kindsAndNames(all: readonly KubeObject[]): string[] {
  return all.map((o) => `${o.kind}/${o.metadata.name}`);
}

/** An image fixture; the tag doubles as the `app.kubernetes.io/version` label. */
export function image(repository: string, tag = "1.0.0"): Image {
  return { repository, tag };
}

/** A Vault store as an environment with Vault gives a stack (role and key folder of its own). */
export const VAULT: VaultStore = {
  provider: "vault",
  server: "https://vault.example.com",
  path: "secret",
  role: "web-prod",
  authMountPath: "kubernetes",
};

/** The ingress controller of most test environments. */
export const INGRESS = {
  className: "nginx",
  controllerNamespace: "ingress-nginx",
  tlsIssuer: { kind: "ClusterIssuer" as const, name: "letsencrypt-prod" },
};

export interface ShopStack {
  readonly store: SecretStore;
  readonly database: Database;
  readonly cache: Cache;
  readonly api: Api;
  readonly frontend: Frontend;
  readonly proxy: Proxy;
}

/**
 * Every construct the way the reference `web` stack wires them: a secret store, a database with backups,
 * a cache, an API with a migration connected to both, a frontend and the proxy in front.
 */
export function buildShop(chart: Chart, options: { secrets?: "vault" | "generator"; frontendMode?: "static" | "ssr" } = {}): ShopStack {
  const store = new SecretStore(chart, "secret-store", {
    source: (options.secrets ?? "vault") === "vault" ? VAULT : { provider: "generator" },
    keyPrefix: "prod/web",
  });
  const database = new Database(chart, "database", { image: image("postgres", "16.4"), secrets: store });
  const cache = new Cache(chart, "cache", { image: image("redis", "7.4.1"), secrets: store });
  const api = new Api(chart, "api", { image: image("ghcr.io/acme/shop-api", "1.4.2"), migration: { command: ["alembic", "upgrade", "head"] } });
  api.connect(database).connect(cache);
  const frontend = new Frontend(chart, "frontend", { image: image("ghcr.io/acme/shop-web", "2.3.1"), mode: options.frontendMode ?? "static" });
  if (frontend.mode === "ssr") frontend.connect(api);
  const proxy = new Proxy(chart, "proxy", {
    image: image("nginxinc/nginx-unprivileged", "1.27.3"),
    hosts: ["shop.example.com"],
    routes: [
      { path: "/", to: frontend },
      { path: "/api", to: api },
    ],
    ingress: INGRESS,
  });
  return { store, database, cache, api, frontend, proxy };
}

/** The message `fn` throws, to compare whole; fails when it throws nothing. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error("expected an error, but nothing was thrown");
}
