/**
 * DaaS, "Data as a Service" (seed 002): a generic, configuration-driven Django API over a central
 * PostgreSQL, a JWT auth service, Solr as the cache/index, and an indexer that listens to PostgreSQL
 * NOTIFY and writes batches to Solr.
 *
 * - `database`: PostgreSQL; its schema is Liquibase's (daas_db), applied by `migrate` before the apps roll
 *   out: a Job of the migration image, which the DaaS team builds on `liquibase/liquibase` with daas_db's
 *   changelogs in /liquibase/changelog, pinned per environment like every image. It connects as the
 *   application role (JDBC URL, user, password from the database's Secret). Django runs no migrations of
 *   its own: the seed's API is "a managed DBMS layer".
 * - `auth` (daas_py_auth): issues JWTs listing the facilities a user may see; reads users from the database.
 * - `api` (daas_py_api): verifies those tokens with the signing key it shares with `auth` (HS256, from the
 *   secret store), so it never calls `auth`; reads and writes the database and Solr.
 * - `indexer` (daas_py_idx): LISTENs for NOTIFY events and flushes a batch to Solr every `batchSize` records
 *   or every `batchSeconds`, whichever comes first; both are set per environment and reach it as
 *   `DYNACONF_BATCH_SIZE` and `DYNACONF_BATCH_SECONDS`. It touches /tmp/heartbeat at least every
 *   `batchSeconds` (after each batch, and on each idle wake-up); its probe fails when the heartbeat is
 *   older than three intervals.
 * - `search`: Solr with the core the environment names; clients get `SOLR_URL`. Never public.
 * - `proxy`: the public entry: `/auth` to the auth service, everything else to the API.
 *
 * Configuration is dynaconf's: each Python component runs with `ENV_FOR_DYNACONF` set to the environment's
 * name and reads `DYNACONF_*` variables; plain ones come from the environment file (`env:`), secrets
 * (`DYNACONF_SECRET_KEY`, `DYNACONF_JWT_SIGNING_KEY`) from the secret store, never from Git.
 *
 * Call paths, exactly what the NetworkPolicies allow: ingress controller → proxy → api and auth;
 * api → database and search; auth → database; indexer → database and search; migrate → database; and the
 * database's own setup and backup jobs → database.
 */
import { z } from "zod";
import { Api } from "../constructs/api";
import { Database } from "../constructs/database";
import { ExternalSecret } from "../constructs/external-secret";
import { Job } from "../constructs/job";
import { Proxy } from "../constructs/proxy";
import { SearchIndex } from "../constructs/search-index";
import { Worker } from "../constructs/worker";
import { ImageRef, Resources, StackBase } from "../environments/schema";
import { defineStack } from "./lib/define";
import { ApiSettings, DatabaseSettings, ProxySettings, SearchIndexSettings, WorkerSettings } from "./lib/settings";

/** uid/gid of the `liquibase` user in the liquibase/liquibase image. */
const LIQUIBASE_USER_ID = 1001;
/** Where the indexer's probe looks for its heartbeat. */
const HEARTBEAT = "/tmp/heartbeat";

const MigrationSettings = z
  .object({
    image: ImageRef.describe("Liquibase with the daas_db changelogs (built on liquibase/liquibase)."),
    changelogFile: z.string().min(1).default("changelog.xml").describe("Changelog to apply, relative to /liquibase/changelog."),
    resources: Resources.default({ cpu: "100m", memory: "512Mi" }),
  })
  .strict();

const IndexerSettings = WorkerSettings.extend({
  batchSize: z.number().int().min(1).describe("Records per batch: the indexer flushes when this many are queued…"),
  batchSeconds: z.number().int().min(1).describe("…or when this many seconds have passed, whichever comes first."),
}).strict();

/** The indexer's liveness: a heartbeat younger than three batch intervals, in whole minutes (find's -mmin). */
export function heartbeatProbe(batchSeconds: number): string[] {
  return ["sh", "-c", `find ${HEARTBEAT} -mmin -${Math.ceil((3 * batchSeconds) / 60)} | grep -q .`];
}

export default defineStack({
  settings: StackBase.extend({
    database: DatabaseSettings,
    migrate: MigrationSettings,
    search: SearchIndexSettings,
    auth: ApiSettings,
    api: ApiSettings,
    indexer: IndexerSettings,
    proxy: ProxySettings,
  }).strict(),

  build(scope, { settings, env, secrets }) {
    const dynaconf = { ENV_FOR_DYNACONF: env.name };
    const database = new Database(scope, "database", { ...settings.database, secrets });
    const search = new SearchIndex(scope, "search", settings.search);

    new Job(scope, "migrate", {
      phase: "pre-rollout",
      image: settings.migrate.image,
      resources: settings.migrate.resources,
      runAsUser: LIQUIBASE_USER_ID,
      command: ["/liquibase/docker-entrypoint.sh", "update"],
      env: {
        LIQUIBASE_COMMAND_URL: `jdbc:postgresql://${database.name}:${database.ports.postgres}/${database.databaseName}`,
        LIQUIBASE_COMMAND_USERNAME: database.databaseName,
        LIQUIBASE_COMMAND_PASSWORD: database.credentials.ref("password"),
        LIQUIBASE_COMMAND_CHANGELOG_FILE: settings.migrate.changelogFile,
      },
    }).connect(database, { envPrefix: false });

    const authSecrets = new ExternalSecret(scope, "auth-secrets", { store: secrets, secretName: "auth-secrets", keys: ["secret-key", "jwt-signing-key"] });
    const apiSecrets = new ExternalSecret(scope, "api-secrets", { store: secrets, secretName: "api-secrets", keys: ["secret-key"] });
    const signingKey = authSecrets.ref("jwt-signing-key");

    const auth = new Api(scope, "auth", {
      ...settings.auth,
      env: { ...settings.auth.env, ...dynaconf, DYNACONF_SECRET_KEY: authSecrets.ref("secret-key"), DYNACONF_JWT_SIGNING_KEY: signingKey },
    });
    auth.connect(database);

    const api = new Api(scope, "api", {
      ...settings.api,
      env: { ...settings.api.env, ...dynaconf, DYNACONF_SECRET_KEY: apiSecrets.ref("secret-key"), DYNACONF_JWT_SIGNING_KEY: signingKey },
    });
    api.connect(database).connect(search);

    const { batchSize, batchSeconds, ...indexer } = settings.indexer;
    new Worker(scope, "indexer", {
      ...indexer,
      env: { ...indexer.env, ...dynaconf, DYNACONF_BATCH_SIZE: String(batchSize), DYNACONF_BATCH_SECONDS: String(batchSeconds) },
      probe: { exec: heartbeatProbe(batchSeconds) },
    })
      .connect(database)
      .connect(search);

    new Proxy(scope, "proxy", {
      ...settings.proxy,
      hosts: settings.hosts,
      ingress: env.ingress,
      routes: [
        { path: "/", to: api },
        { path: "/auth", to: auth },
      ],
    });
  },
});
