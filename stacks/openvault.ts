/**
 * Open Vault (seed 003): a Remix frontend rendering on the server, a Wagtail backend and API, PostgreSQL,
 * an nginx proxy in front, and an optional jumpbox for operators.
 *
 * The seed's call sequence is the network: client → proxy → frontend → backend → database. So:
 * - the proxy routes everything to the frontend and reaches nothing else. The seed sends no path (not
 *   /admin, not media) from the proxy to Wagtail, so Wagtail's admin is not public: editors reach it with
 *   `kubectl port-forward svc/backend 8000`. A route to it would be a second call path, added here on purpose;
 * - the frontend calls the backend's API server-side, as `OV_API_URL` (what ov-frontend reads);
 * - the backend reads the database as `OV_DB_HOST`, `_PORT`, `_NAME`, `_USER`, `_PASSWORD` (what ov-wag's
 *   settings read), and its migrations (`manage.py migrate`) run before it rolls out;
 * - the jumpbox (ubuntu with curl, psql and python, in the seed) reaches the database and the backend, with
 *   their variables, and is reached by no one. It runs where `jumpbox:` is set, and not in prod unless
 *   `enabled: true` says so (see jumpboxEnabled).
 *
 * Namespaces: the seed allows exactly `openvault` (production) and `ov-demo` (demo/staging), so the
 * settings refuse any other. Development happens with docker compose (seed), so no dev environment runs it.
 *
 * Decided where the seed is silent or its images do not fit the restricted profile:
 * - the seed's `postgres:14.2-alpine` runs as uid 70; the Database construct runs the official Debian image
 *   as 999, so the environment files pin `postgres:14.x` (Debian);
 * - the seed's `ov-nginx` image carries its own config; here the Proxy renders it for nginx-unprivileged;
 * - ov-wag's image listens on port 80 (`PORT=80`), which a container without capabilities cannot bind, so
 *   the backend gets `PORT=8000`; it writes its logs to /logs and collectstatic's output to /app/static;
 *   Django's `ALLOWED_HOSTS` (`OV_ALLOWED_HOSTS`) are the public hosts and `backend`, the name the frontend
 *   calls it by; `OV_TRUSTED_ORIGINS` are the public hosts over https;
 * - ov-wag's production settings also use S3 (static and media files), Elasticsearch and Auth0; they are
 *   not in the seed's call sequence, so no egress to them is opened: add them as ExternalServices when
 *   that version is deployed.
 */
import { z } from "zod";
import { Api } from "../constructs/api";
import { Database } from "../constructs/database";
import { ExternalSecret } from "../constructs/external-secret";
import { Frontend } from "../constructs/frontend";
import { Jumpbox } from "../constructs/jumpbox";
import { Proxy } from "../constructs/proxy";
import { StackBase } from "../environments/schema";
import { defineStack } from "./lib/define";
import { ApiSettings, DatabaseSettings, FrontendSettings, JumpboxSettings, jumpboxEnabled, ProxySettings } from "./lib/settings";

/** What ov-wag's production image writes besides /tmp: gunicorn's logs and collectstatic's STATIC_ROOT. */
const BACKEND_WRITABLE_PATHS = ["/tmp", "/logs", "/app/static"];
const BACKEND_PORT = 8000;
/** The backend's name: its Service, and the host the frontend calls, which Django must allow. */
const BACKEND = "backend";

export default defineStack({
  settings: StackBase.extend({
    namespace: z.enum(["openvault", "ov-demo"]).describe("openvault (production) or ov-demo (demo/staging): the only namespaces Open Vault runs in."),
    proxy: ProxySettings,
    frontend: FrontendSettings.omit({ mode: true }),
    backend: ApiSettings.omit({ port: true }),
    database: DatabaseSettings,
    jumpbox: JumpboxSettings.optional().describe("An operator's shell next to the database; omit it for none."),
  }).strict(),

  build(scope, { settings, env, secrets }) {
    const database = new Database(scope, "database", { ...settings.database, secrets });
    const backendSecrets = new ExternalSecret(scope, "backend-secrets", { store: secrets, secretName: "backend-secrets", keys: ["secret-key"] });
    const backend = new Api(scope, BACKEND, {
      ...settings.backend,
      port: BACKEND_PORT,
      healthPath: "/api/v2/health/",
      writablePaths: BACKEND_WRITABLE_PATHS,
      env: {
        ...settings.backend.env,
        PORT: String(BACKEND_PORT),
        OV_SECRET_KEY: backendSecrets.ref("secret-key"),
        OV_ALLOWED_HOSTS: [...settings.hosts, BACKEND].join(","),
        OV_TRUSTED_ORIGINS: settings.hosts.map((host) => `https://${host}`).join(","),
      },
      migration: { command: ["python", "manage.py", "migrate", "--noinput"] },
    });
    backend.connect(database, { envPrefix: "OV_DB" });

    const frontend = new Frontend(scope, "frontend", { ...settings.frontend, mode: "ssr" });
    frontend.connect(backend, { envPrefix: "OV_API" });

    new Proxy(scope, "proxy", {
      ...settings.proxy,
      hosts: settings.hosts,
      ingress: env.ingress,
      routes: [{ path: "/", to: frontend }],
    });

    const { jumpbox } = settings;
    if (jumpbox && jumpboxEnabled(jumpbox, env.policy)) {
      new Jumpbox(scope, "jumpbox", { image: jumpbox.image, resources: jumpbox.resources }).connect(database).connect(backend);
    }
  },
});
