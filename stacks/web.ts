/**
 * The reference stack: an nginx proxy in front of a frontend and an API, the API backed by PostgreSQL and
 * Redis — the shape of Open Vault, the DaaS API and the homelab weather app. Copy it to start a stack.
 *
 * The call path is exactly what the NetworkPolicies allow: ingress controller → proxy → frontend and api;
 * frontend → api when it renders on the server; api (and its migration) → database and cache.
 */
import { Api } from "../constructs/api";
import { Cache } from "../constructs/cache";
import { Database } from "../constructs/database";
import { ExternalSecret } from "../constructs/external-secret";
import { Frontend } from "../constructs/frontend";
import { RateLimit, StackBase } from "../environments/schema";
import { defineStack } from "./lib/define";
import { frontDoor } from "./lib/front-door";
import { ApiSettings, CacheSettings, DatabaseSettings, FrontendSettings, ProxySettings } from "./lib/settings";

export default defineStack({
  settings: StackBase.extend({
    api: ApiSettings,
    database: DatabaseSettings,
    cache: CacheSettings,
    proxy: ProxySettings.extend({ apiRateLimit: RateLimit.optional().describe("Per-client-IP rate limit on /api. @default no limit") }),
    frontend: FrontendSettings,
  }).strict(),

  build(scope, { settings, env, secrets }) {
    const database = new Database(scope, "database", { ...settings.database, secrets });
    const cache = new Cache(scope, "cache", { ...settings.cache, secrets });
    const apiSecrets = new ExternalSecret(scope, "api-secrets", { store: secrets, secretName: "api-secrets", keys: ["secret-key"] });
    const api = new Api(scope, "api", {
      ...settings.api,
      env: { ...settings.api.env, SECRET_KEY: apiSecrets.ref("secret-key") },
      migration: { command: ["alembic", "upgrade", "head"] },
    });
    api.connect(database).connect(cache);
    const frontend = new Frontend(scope, "frontend", settings.frontend);
    if (frontend.mode === "ssr") frontend.connect(api);
    frontDoor(scope, { settings, env }, [
      { path: "/", to: frontend },
      { path: "/api", to: api, rateLimit: settings.proxy.apiRateLimit },
      { path: "/api/ws", to: api, websocket: true },
    ]);
  },
});
