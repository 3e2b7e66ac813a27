/**
 * The reference stack: a proxy in front of a static frontend and an API, the API backed by PostgreSQL and
 * Redis — the shape of Open Vault, the DaaS API and the homelab weather app. It maps one environment's
 * values to construct props; the constructs know nothing of environments.
 */
import { Construct } from "constructs";
import { Api } from "../constructs/api";
import { Cache } from "../constructs/cache";
import { Database } from "../constructs/database";
import { ExternalSecret } from "../constructs/external-secret";
import { Frontend } from "../constructs/frontend";
import { NetworkPolicies } from "../constructs/network-policies";
import { Proxy } from "../constructs/proxy";
import { SecretStore } from "../constructs/secret-store";
import type { StackContext } from "./context";
import type { WebSettings } from "./web-settings";

export function webStack(scope: Construct, ctx: StackContext<WebSettings>): void {
  const { settings, env } = ctx;
  const secrets = new Construct(scope, "secrets");
  const store = new SecretStore(secrets, "store", { source: env.secrets, keyPrefix: `${ctx.stack}` });
  const dbPassword = new ExternalSecret(secrets, "database-credentials", { store, secretName: "database-credentials", keys: ["password"] });
  const cachePassword = new ExternalSecret(secrets, "cache-credentials", { store, secretName: "cache-credentials", keys: ["password"] });
  const apiSecrets = new ExternalSecret(secrets, "api-secrets", { store, secretName: "api-secrets", keys: ["secret-key"] });

  const database = new Database(scope, "database", {
    image: settings.database.image,
    password: dbPassword.ref("password"),
    storage: settings.database.storage,
    backup: settings.database.backup,
    databaseName: settings.database.databaseName,
    resources: settings.database.resources,
  });
  const cache = new Cache(scope, "cache", {
    image: settings.cache.image,
    password: cachePassword.ref("password"),
    persistence: settings.cache.persistence,
    maxmemory: settings.cache.maxmemory,
    maxmemoryPolicy: settings.cache.maxmemoryPolicy,
    resources: settings.cache.resources,
  });
  const highAvailability = env.policy.highAvailability;
  const api = new Api(scope, "api", {
    image: settings.api.image,
    port: settings.api.port,
    replicas: settings.api.replicas,
    autoscaling: settings.api.autoscaling,
    highAvailability,
    resources: settings.api.resources,
    config: {
      ...settings.api.config,
      DATABASE_HOST: database.name,
      DATABASE_PORT: String(database.ports.postgres),
      DATABASE_NAME: database.databaseName,
      DATABASE_USER: database.databaseName,
      REDIS_HOST: cache.name,
      REDIS_PORT: String(cache.ports.redis),
    },
    secretEnv: {
      DATABASE_PASSWORD: dbPassword.ref("password"),
      REDIS_PASSWORD: cachePassword.ref("password"),
      SECRET_KEY: apiSecrets.ref("secret-key"),
    },
    migration: settings.api.migrations === false ? undefined : settings.api.migrations,
  });
  const frontend = new Frontend(scope, "frontend", {
    image: settings.frontend.image,
    mode: settings.frontend.mode,
    port: settings.frontend.port,
    replicas: settings.frontend.replicas,
    autoscaling: settings.frontend.autoscaling,
    highAvailability,
    resources: settings.frontend.resources,
    config: settings.frontend.mode === "ssr" ? settings.frontend.config : undefined,
  });
  const proxy = new Proxy(scope, "proxy", {
    image: settings.proxy.image,
    hosts: settings.hosts,
    routes: [
      { path: "/", to: frontend },
      { path: "/api", to: api, rateLimit: settings.proxy.apiRateLimit },
      { path: "/api/ws", to: api, websocket: true },
    ],
    ingressClassName: env.ingress.className,
    tlsIssuer: env.ingress.tlsIssuer,
    clientMaxBodySize: settings.proxy.clientMaxBodySize,
    upstreamTimeoutSeconds: settings.proxy.upstreamTimeoutSeconds,
    replicas: settings.proxy.replicas,
    autoscaling: settings.proxy.autoscaling,
    highAvailability,
    resources: settings.proxy.resources,
  });

  new NetworkPolicies(scope, "network-policies", {
    public: [proxy],
    ingressControllerNamespace: env.ingress.controllerNamespace,
    edges: [
      { from: proxy, to: frontend },
      { from: proxy, to: api },
      ...(frontend.mode === "ssr" ? [{ from: frontend, to: api }] : []),
      { from: api, to: database },
      { from: api, to: cache },
      ...(api.migrationJob ? [{ from: api.migrationJob, to: database }] : []),
      ...(database.backupJob ? [{ from: database.backupJob, to: database }] : []),
    ],
  });
}
